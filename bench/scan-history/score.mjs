/**
 * Scoring a history scan against the generated history's truth. A finding `{ file, line, commit }` is a
 * true positive for the planted secret whose lines it falls in, in the file and commit that planted it (the
 * commit that added the lines: both tools name it). Findings are reduced to distinct (commit, file, line)
 * first, as in the tree scoring (bench/scan-tools/score.mjs). A finding on a planted secret's lines that
 * names another commit still finds the secret, but is counted apart (`wrongCommit`: the tool attributed it
 * to the wrong commit; gitleaks 8.16 names a merge commit for the changes of the commit after it in the log).
 * Anything else is a false positive, on a planted hard negative or on unlabelled text.
 */

function index(entries) {
  const byFile = new Map();
  entries.forEach((entry, i) => {
    if (!byFile.has(entry.file)) byFile.set(entry.file, []);
    byFile.get(entry.file).push({ ...entry, index: i });
  });
  return byFile;
}

function covering(list, line, commit) {
  return list?.find(
    (e) => line >= e.line && line <= e.endLine && (commit === undefined || e.commit === commit),
  );
}

export function scoreHistory(truth, findings) {
  const secrets = index(truth.secrets);
  const negatives = index(truth.negatives);
  const distinct = new Map();
  for (const f of findings) distinct.set(`${f.commit}\0${f.file}\0${f.line}`, f);
  const found = new Set();
  const elsewhere = new Set();
  let onNegatives = 0;
  let unlabelled = 0;
  for (const f of distinct.values()) {
    const secret = covering(secrets.get(f.file), f.line, f.commit);
    if (secret) {
      found.add(secret.index);
      continue;
    }
    const misplaced = covering(secrets.get(f.file), f.line);
    if (misplaced) elsewhere.add(misplaced.index);
    else if (covering(negatives.get(f.file), f.line, f.commit)) onNegatives++;
    else unlabelled++;
  }
  const wrong = [...elsewhere].filter((i) => !found.has(i));
  for (const i of wrong) found.add(i);
  const gone = truth.secrets.filter((s) => !s.atHead).length;
  const foundGone = [...found].filter((i) => !truth.secrets[i].atHead).length;
  const wrongCommit = wrong.length;
  const fp = onNegatives + unlabelled;
  return {
    planted: truth.secrets.length,
    tp: found.size,
    recall: truth.secrets.length ? found.size / truth.secrets.length : 0,
    gone,
    foundGone,
    wrongCommit,
    fp,
    fpOnNegatives: onNegatives,
    precision: found.size + fp ? found.size / (found.size + fp) : 0,
    findings: findings.length,
  };
}
