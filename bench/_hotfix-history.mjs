/**
 * The hotfix part of bench/drift.mjs: a generated history of N commits on main (default 20,000, written with
 * one `git fast-import`), a hotfix branch off an old commit (the 1,000th) with five fixes, two of them
 * cherry-picked to main at its head. Timed in the same run: `stagecraft drift hotfix --deployed-commit` on
 * the hotfix's tip, and git log alone over the same range (main...hotfix: the commits either side has since
 * the merge base), listed and with patches.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './_manifests.mjs';

const FILES = 500;
const BRANCH_AT = 1000;
const FIXES = 5;
const PICKED = [1, 3];

function git(dir, args, input) {
  const result = spawnSync('git', args, {
    cwd: dir,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The fast-import stream: main's commits, the hotfix branch off the BRANCH_AT-th, the cherry-picks. */
function history(commits) {
  const parts = [];
  let mark = 0;
  let time = 1_700_000_000;
  const commit = (ref, message, files, from) => {
    mark += 1;
    time += 60;
    const body = Buffer.byteLength(message);
    parts.push(
      `commit ${ref}\nmark :${mark}\nauthor Dev ${mark % 7} <dev${mark % 7}@example.com> ${time} +0000\ncommitter CI <ci@example.com> ${time} +0000\ndata ${body}\n${message}\n`,
    );
    if (from !== undefined) parts.push(`from :${from}\n`);
    for (const [path, text] of files)
      parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    return mark;
  };
  const fix = (k) => [`hotfix/fix${k}.txt`, `the fix for incident ${k}\n`];
  let mainTip;
  for (let i = 1; i <= commits - PICKED.length; i++) {
    // In folders of 20: a flat folder of 500 would make every commit write a 500-entry tree.
    const file = `src/part${i % (FILES / 20)}/module${i % FILES}.ts`;
    mainTip = commit(
      'refs/heads/main',
      `Change ${i}`,
      [[file, `export const value = ${i};\n// revision ${i}\n`]],
      i === 1 ? undefined : mainTip,
    );
    if (i === BRANCH_AT) {
      let hotfixTip = mainTip;
      for (let k = 1; k <= FIXES; k++)
        hotfixTip = commit('refs/heads/hotfix', `Fix incident ${k}`, [fix(k)], hotfixTip);
    }
  }
  for (const k of PICKED)
    mainTip = commit('refs/heads/main', `Fix incident ${k} (cherry picked)`, [fix(k)], mainTip);
  return parts.join('');
}

function timeRuns(runs, command, args, cwd) {
  const times = [];
  let last;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    last = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(performance.now() - start);
    if (last.error) throw last.error;
  }
  return { ms: median(times), last };
}

export function measureHotfix(repo, work, commits, runs) {
  const dir = join(work, 'hotfix-history');
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const start = performance.now();
  git(dir, ['fast-import', '--quiet'], history(commits));
  const generateMs = performance.now() - start;
  const tip = git(dir, ['rev-parse', 'hotfix']).trim();
  const total = Number(git(dir, ['rev-list', '--count', '--all']).trim());
  const cli = join(repo, 'dist/cli/main.js');
  const drift = timeRuns(
    runs,
    process.execPath,
    [cli, 'drift', 'hotfix', '--deployed-commit', tip, '--format', 'json'],
    dir,
  );
  if (drift.last.status !== 2)
    throw new Error(`drift hotfix exited ${drift.last.status}: ${drift.last.stderr}`);
  const report = JSON.parse(drift.last.stdout);
  const listed = timeRuns(runs, 'git', ['log', '--no-merges', '--format=%H %s', `main...${tip}`], dir);
  const patches = timeRuns(
    runs,
    'git',
    ['log', '-p', '--no-merges', '--format=commit %H', `main...${tip}`],
    dir,
  );
  return {
    commits: total,
    generateMs,
    driftMs: drift.ms,
    logMs: listed.ms,
    logPatchMs: patches.ms,
    rangeCommits: listed.last.stdout.split('\n').filter(Boolean).length,
    verdict: report.verdict,
    missing: report.commits[0].missingCount,
    equivalent: report.commits[0].equivalent.length,
  };
}
