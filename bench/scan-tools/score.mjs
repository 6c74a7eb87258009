/**
 * Scoring a scanner's findings against the corpus truth.
 *
 * - Findings are reduced to distinct (file, line) pairs first: two rules firing on one line are one
 *   finding, so scanners that report several rules per line are neither rewarded nor punished for it.
 * - A finding on a line inside a secret's span (line..endLine) is a true positive for that secret; each
 *   secret counts once, and further findings inside an already-found secret (another line of the same PEM
 *   block, say) are counted as `repeats`, not as false positives.
 * - Any other finding is a false positive, labelled with the negative planted on that line when there is
 *   one, else as unlabelled text.
 */

/** Entries of one file, for lookups by line. */
function byFile(entries) {
  const map = new Map();
  entries.forEach((entry, index) => {
    if (!map.has(entry.file)) map.set(entry.file, []);
    map.get(entry.file).push({ ...entry, index });
  });
  return map;
}

function within(entries, line) {
  return entries?.find((e) => line >= e.line && line <= e.endLine);
}

function ratio(numerator, denominator) {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function scoreFindings(truth, findings) {
  const secrets = byFile(truth.secrets);
  const negatives = byFile(truth.negatives);
  const distinct = new Map();
  for (const f of findings) distinct.set(`${f.file}\0${f.line}`, f);
  const found = new Set();
  let repeats = 0;
  const falsePositives = {};
  for (const f of distinct.values()) {
    const secret = within(secrets.get(f.file), f.line);
    if (secret) {
      if (found.has(secret.index)) repeats++;
      else found.add(secret.index);
      continue;
    }
    const negative = within(negatives.get(f.file), f.line);
    const label = negative
      ? negative.kind
      : secrets.has(f.file) || negatives.has(f.file)
        ? '(unlabelled line)'
        : '(unlabelled file)';
    falsePositives[label] = (falsePositives[label] ?? 0) + 1;
  }
  const perKind = {};
  truth.secrets.forEach((secret, index) => {
    perKind[secret.kind] ??= { found: 0, total: 0 };
    perKind[secret.kind].total++;
    if (found.has(index)) perKind[secret.kind].found++;
  });
  const tp = found.size;
  const fp = Object.values(falsePositives).reduce((a, b) => a + b, 0);
  const fn = truth.secrets.length - tp;
  const recall = ratio(tp, truth.secrets.length);
  const precision = ratio(tp, tp + fp);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { tp, fp, fn, repeats, recall, precision, f1, findings: findings.length, perKind, falsePositives };
}
