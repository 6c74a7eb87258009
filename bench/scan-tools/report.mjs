/**
 * The text report: quality, recall per kind, false positives per negative kind, speed, and history-scan
 * throughput (each part only when it ran). It is built from counts only: no secret value reaches it.
 */

import { formatTable } from '../_table.mjs';
import { FLOOR } from '../scan-history/measure.mjs';
import { OURS } from './scanners.mjs';

const MIB = 1024 * 1024;

const percent = (value) => `${(value * 100).toFixed(1)}%`;

/** A failure in a table cell: its first words; the whole message is printed under the table. */
function failed(error) {
  return `failed (${error.length > 40 ? `${error.slice(0, 40)}…` : error})`;
}

function failures(results) {
  return Object.entries(results)
    .filter(([, r]) => r.error)
    .map(([name, r]) => `  ${name} failed: ${r.error}`);
}

function qualityTable(quality) {
  const headers = ['scanner', 'recall', 'precision', 'F1', 'TP', 'FP', 'FN', 'repeats'];
  const rows = Object.entries(quality).map(([name, q]) =>
    q.error
      ? [name, failed(q.error), '', '', '', '', '', '']
      : [
          name,
          percent(q.recall),
          percent(q.precision),
          q.f1.toFixed(3),
          `${q.tp}`,
          `${q.fp}`,
          `${q.fn}`,
          `${q.repeats}`,
        ],
  );
  return formatTable(headers, rows, [false, true, true, true, true, true, true, true]);
}

function perKindTable(quality, totals) {
  const names = Object.keys(quality).filter((name) => !quality[name].error);
  const rows = Object.keys(totals)
    .sort()
    .map((kind) => [
      kind,
      `${totals[kind]}`,
      ...names.map((name) => `${quality[name].perKind[kind]?.found ?? 0}`),
    ]);
  return formatTable(['kind', 'planted', ...names], rows, [false, true, ...names.map(() => true)]);
}

function falsePositiveTable(quality, planted) {
  const names = Object.keys(quality).filter((name) => !quality[name].error);
  const labels = new Set(Object.keys(planted));
  for (const name of names) for (const label of Object.keys(quality[name].falsePositives)) labels.add(label);
  const rows = [...labels]
    .sort()
    .map((label) => [
      label,
      planted[label] === undefined ? '-' : `${planted[label]}`,
      ...names.map((name) => `${quality[name].falsePositives[label] ?? 0}`),
    ]);
  return formatTable(['negative kind', 'planted', ...names], rows, [false, true, ...names.map(() => true)]);
}

function speedTable(speed, bytes) {
  const ours = speed[OURS] && !speed[OURS].error && !speed[OURS].timedOut ? speed[OURS] : null;
  const headers = [
    'scanner',
    'MiB/s',
    'vs stagecraft',
    'wall s (median)',
    'runs',
    'peak MiB',
    'vs stagecraft',
  ];
  const rows = Object.entries(speed).map(([name, s]) => {
    if (s.error) return [name, failed(s.error), '', '', '', '', ''];
    const rate = bytes / MIB / (s.medianMs / 1000);
    // A run stopped at the time limit gives bounds: at most this fast, at least this slow.
    const [below, above] = s.timedOut ? ['< ', '> '] : ['', ''];
    return [
      name,
      `${below}${rate.toFixed(1)}`,
      ours ? `${above}${(s.medianMs / ours.medianMs).toFixed(2)}×` : '-',
      `${above}${(s.medianMs / 1000).toFixed(2)}`,
      `${s.runs.length}`,
      `${s.timedOut ? '≥ ' : ''}${(s.peakKb / 1024).toFixed(0)}`,
      ours && ours.peakKb > 0 ? `${s.timedOut ? '≥ ' : ''}${(s.peakKb / ours.peakKb).toFixed(2)}×` : '-',
    ];
  });
  return formatTable(headers, rows, [false, true, true, true, true, true, true]);
}

function historyTable(history) {
  const { results, repo } = history;
  const ours = results[OURS] && !results[OURS].error && !results[OURS].timedOut ? results[OURS] : null;
  const headers = [
    'tool',
    'commits/s',
    'MiB/s',
    'vs stagecraft',
    'wall s (median)',
    'runs',
    'peak MiB',
    'secrets found',
    'of gone from HEAD',
    'wrong commit',
    'false pos.',
  ];
  const rows = Object.entries(results).map(([name, r]) => {
    if (r.error) return [name, failed(r.error), '', '', '', '', '', '', '', '', ''];
    const seconds = r.medianMs / 1000;
    const [below, above] = r.timedOut ? ['< ', '> '] : ['', ''];
    const q = r.score;
    return [
      name,
      `${below}${(repo.commits / seconds).toFixed(0)}`,
      `${below}${(repo.logBytes / MIB / seconds).toFixed(1)}`,
      ours ? `${above}${(r.medianMs / ours.medianMs).toFixed(2)}×` : '-',
      `${above}${seconds.toFixed(2)}`,
      `${r.runs.length}`,
      `${r.timedOut ? '≥ ' : ''}${(r.peakKb / 1024).toFixed(0)}`,
      q ? `${q.tp}/${q.planted} (${percent(q.recall)})` : '-',
      q ? `${q.foundGone}/${q.gone}` : '-',
      q ? `${q.wrongCommit}` : '-',
      q ? `${q.fp}` : '-',
    ];
  });
  return formatTable(headers, rows, [false, ...headers.slice(1).map(() => true)]);
}

function printHistory(history) {
  const r = history.repo;
  console.log(
    `\nHistory scan (every commit of every branch): ${r.commits} commits (${r.merges} --no-ff merges of ` +
      `${r.branches} branches, ${r.branches - r.merges} left unmerged), ${(r.logBytes / MIB).toFixed(1)} MiB of \`git log -p --all -U0\` ` +
      `output; ${r.secrets} planted secrets (${r.secretsGone} gone from HEAD), ${r.negatives} hard negatives; ` +
      `seed ${r.seed}, generated in ${(r.generateMs / 1000).toFixed(1)} s; median of ${history.runs} run(s)`,
  );
  console.log(
    '(MiB/s: of that git log output; vs stagecraft: wall time over stagecraft’s; a secret is found when a ' +
      'finding is on its lines; wrong commit: found, but attributed to another commit than the one that ' +
      'added it)\n',
  );
  console.log(historyTable(history));
  for (const line of failures(history.results)) console.log(line);
  if (history.results[FLOOR] && !history.results[FLOOR].error) {
    console.log(
      `  ${FLOOR}: \`git log -p --all -U0 --no-color > /dev/null\`, the cost of reading the history`,
    );
  }
}

function printPrecommit(precommit) {
  console.log(
    `\nPre-commit latency: a ${precommit.staged}-file staged change in a repository of this project's sources; ` +
      `wall time from spawn to exit, median of ${precommit.runs} runs (target: scan --staged under 300 ms)\n`,
  );
  const ours = precommit.rows[0].medianMs;
  console.log(
    formatTable(
      ['command', 'ms (median)', 'vs stagecraft scan --staged'],
      precommit.rows.map((r) => [r.name, r.medianMs.toFixed(0), `${(r.medianMs / ours).toFixed(2)}×`]),
      [false, true, true],
    ),
  );
}

export function printReport(report) {
  const { machine: m, quality, speed, corpus, history } = report;
  console.log(`seed ${report.seed}; node ${m.node} on ${m.platform}, ${m.cpuCount} × ${m.cpu}`);
  if (corpus.quality) {
    console.log(
      `quality corpus: ${corpus.quality.files} files, ${(corpus.quality.bytes / MIB).toFixed(1)} MiB, ` +
        `${corpus.quality.secrets} secrets of ${corpus.quality.kinds} kinds, ${corpus.quality.negatives} hard negatives`,
    );
  }
  if (corpus.speed) {
    console.log(
      `speed corpus: ${corpus.speed.files} files, ${(corpus.speed.bytes / MIB).toFixed(1)} MiB, ` +
        `${corpus.speed.secrets} secrets; ${report.settings.runs} timed run(s) per scanner, median`,
    );
  }
  for (const s of report.scanners) console.log(`  ${s.name}: ${s.version}`);
  for (const s of report.skipped) console.log(`  ${s.name}: skipped (${s.reason})`);
  for (const note of report.notes) console.log(`  note: ${note}`);
  if (quality) {
    console.log('\nQuality (a finding is a distinct file:line; TP if inside a planted secret’s lines)\n');
    console.log(qualityTable(quality));
    for (const line of failures(quality)) console.log(line);
    console.log('\nSecrets found per kind\n');
    console.log(perKindTable(quality, corpus.quality.secretKinds));
    console.log('\nFalse positives per negative kind (distinct lines)\n');
    console.log(falsePositiveTable(quality, corpus.quality.negativeKinds));
  }
  if (speed) {
    console.log(
      '\nSpeed (vs stagecraft: the peer’s wall time or peak over stagecraft’s; > 1× means stagecraft is faster or leaner)\n',
    );
    console.log(speedTable(speed, corpus.speed.bytes));
    for (const line of failures(speed)) console.log(line);
  }
  if (history) printHistory(history);
  if (report.precommit) printPrecommit(report.precommit);
}
