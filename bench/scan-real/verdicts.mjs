/**
 * Joins findings to the hand-labelled verdicts (./verdicts.json) and scores each tool per repository.
 *
 * A verdict is `{ repository, tool, commit, file, line, rule, fingerprint, verdict, why }`, verdict one of
 * VERDICTS. A finding takes the verdict with its repository, tool and fingerprint; failing that, one given
 * at the same repository, commit, file and line by either tool (the same line judged once serves both, and
 * survives a rule being renamed). Otherwise it is unlabelled and listed for review.
 */
import { readFileSync } from 'node:fs';

export const VERDICTS = ['true-secret', 'test-fixture', 'false-positive'];
export const TOOLS = ['stagecraft', 'gitleaks'];

const byFingerprint = (v) => `${v.repository}\0${v.tool}\0${v.fingerprint}`;
const byPlace = (v) => `${v.repository}\0${v.commit}\0${v.file}\0${v.line}`;

export function loadVerdicts(file) {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const verdicts = data.verdicts ?? [];
  const problems = [];
  verdicts.forEach((v, i) => {
    if (!VERDICTS.includes(v.verdict))
      problems.push(`verdict ${i + 1}: "${v.verdict}" is not one of ${VERDICTS.join(', ')}`);
    if (!TOOLS.includes(v.tool))
      problems.push(`verdict ${i + 1}: tool "${v.tool}" is not one of ${TOOLS.join(', ')}`);
    for (const key of ['repository', 'commit', 'file', 'rule', 'fingerprint', 'why']) {
      if (!v[key]) problems.push(`verdict ${i + 1}: ${key} is missing`);
    }
  });
  if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return verdicts;
}

/** Each finding with `verdict`, `why` and `via` (fingerprint | place), or `verdict: null`. */
export function labelFindings(findings, verdicts) {
  const exact = new Map(verdicts.map((v) => [byFingerprint(v), v]));
  const places = new Map();
  for (const v of verdicts) if (!places.has(byPlace(v))) places.set(byPlace(v), v);
  return findings.map((f) => {
    const hit = exact.get(byFingerprint(f));
    if (hit) return { ...f, verdict: hit.verdict, why: hit.why, via: 'fingerprint' };
    const near = places.get(byPlace(f));
    if (near) return { ...f, verdict: near.verdict, why: near.why, via: 'place' };
    return { ...f, verdict: null, why: null, via: null };
  });
}

/** Counts for one tool's labelled findings on one repository (or all). */
export function tally(findings) {
  const count = (pred) => findings.filter(pred).length;
  return {
    findings: findings.length,
    failing: count((f) => f.fails),
    trueSecrets: count((f) => f.verdict === 'true-secret'),
    fixtures: count((f) => f.verdict === 'test-fixture'),
    falsePositives: count((f) => f.verdict === 'false-positive'),
    failingFalsePositives: count((f) => f.fails && f.verdict === 'false-positive'),
    failingFixtures: count((f) => f.fails && f.verdict === 'test-fixture'),
    failingTrueSecrets: count((f) => f.fails && f.verdict === 'true-secret'),
    unlabelled: count((f) => f.verdict === null),
  };
}

/** Failing findings that are not true secrets (unlabelled ones count), or undefined when not scanned. */
const noise = (t) => (t ? t.failing - t.failingTrueSecrets : undefined);

const TARGETS = [
  'no more failing findings than gitleaks on any repository, true secrets aside',
  'fewer false positives failing the run, in total',
  'every verified true secret still reported',
];

/**
 * The three targets: no more failing findings than gitleaks on any repository — not counting true secrets,
 * since a real secret gitleaks misses is not noise (the literal count could only be met by hiding it);
 * fewer false positives that fail the run, in total; every true secret labelled (by either tool) still reported by
 * stagecraft, matched by fingerprint, or at the same repository, file and line.
 */
export function checkTargets(results, verdicts) {
  const perRepo = results.map((r) => ({
    repository: r.repository,
    ours: noise(r.tally.stagecraft),
    theirs: noise(r.tally.gitleaks),
  }));
  const comparable = perRepo.filter((r) => r.ours !== undefined && r.theirs !== undefined);
  if (comparable.length === 0) {
    const why = 'not checked: no repository was scanned by both tools';
    return TARGETS.map((target) => ({ target, pass: null, detail: why }));
  }
  const worse = comparable.filter((r) => r.ours > r.theirs);
  const sum = (tool) => results.reduce((n, r) => n + (r.tally[tool]?.failingFalsePositives ?? 0), 0);
  const ourFp = sum('stagecraft');
  const theirFp = sum('gitleaks');
  const scanned = new Set(results.filter((r) => r.tally.stagecraft).map((r) => r.repository));
  const ours = results.flatMap((r) => r.labelled.filter((f) => f.tool === 'stagecraft'));
  const reported = (v) =>
    ours.some(
      (f) =>
        f.repository === v.repository &&
        ((v.tool === 'stagecraft' && f.fingerprint === v.fingerprint) ||
          (f.file === v.file && f.line === v.line)),
    );
  const secrets = verdicts.filter((v) => v.verdict === 'true-secret' && scanned.has(v.repository));
  const lost = secrets.filter((v) => !reported(v));
  return [
    {
      target: TARGETS[0],
      pass: worse.length === 0,
      detail:
        worse.length === 0
          ? `${comparable.length} repositories compared`
          : worse.map((r) => `${r.repository} ${r.ours} > ${r.theirs}`).join(', '),
    },
    {
      target: TARGETS[1],
      pass: ourFp < theirFp || (ourFp === 0 && theirFp === 0),
      detail: `stagecraft ${ourFp}, gitleaks ${theirFp}`,
    },
    {
      target: TARGETS[2],
      pass: lost.length === 0,
      detail:
        lost.length === 0
          ? `${secrets.length} true secrets labelled, all reported`
          : `not reported: ${lost.map((v) => `${v.repository} ${v.file}:${v.line} (${v.rule})`).join(', ')}`,
    },
  ];
}
