/**
 * stagecraft's `scan --history` and gitleaks on the whole history of real repositories, in one run, with
 * every finding joined to a hand-labelled verdict — is the scanner quiet where it should be, and does it
 * still find what matters?
 *
 *   npm run build && node bench/scan-real.mjs [--repos DIR] [--only koa,fastify] [--review FILE] [--json]
 *
 * Repositories (bench/scan-real/repos.mjs) live in DIR: `--repos`, else $STAGECRAFT_REAL_REPOS, else
 * `stagecraft-bench/real-repos` in the user's cache folder — never inside this repository. One that is
 * absent is cloned from its public URL; each is then pinned to the commit recorded for it (one branch at
 * that commit, no other branches or tags; bench/scan-real/prepare.mjs), so both tools' all-branches modes
 * read the same commits every time. gitleaks is the one the scan benchmark uses (bench/scan-tools/install.mjs,
 * Debian's package), run with --redact.
 *
 * For each repository and tool the report gives the findings, those that fail the run, and how many of
 * them the verdicts (bench/scan-real/verdicts.json) call true secrets, test fixtures and false positives,
 * and how many are unlabelled; then totals, the targets (./scan-real/verdicts.mjs) with PASS or FAIL, and
 * the unlabelled findings to label. `--review FILE` writes every finding of both tools (repository, commit, file, line,
 * rule, confidence, context, fails, fingerprint, verdict, and the match with its secret masked).
 * Exit 0 when the run completed (whatever the targets say), 1 when a repository or tool could not be run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './_table.mjs';
import { PrepareError, prepareRepository } from './scan-real/prepare.mjs';
import { REPOSITORIES } from './scan-real/repos.mjs';
import { gitleaksTool, stagecraftTool } from './scan-real/tools.mjs';
import { checkTargets, labelFindings, loadVerdicts, TOOLS, tally } from './scan-real/verdicts.mjs';
import { cacheDir, installGitleaks } from './scan-tools/install.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const VERDICTS_FILE = fileURLToPath(new URL('./scan-real/verdicts.json', import.meta.url));

class BenchFailure extends Error {}

function parseArgs(argv) {
  const options = { repos: process.env.STAGECRAFT_REAL_REPOS || null, only: null, review: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--repos' || arg === '--review') {
      const value = argv[++i];
      if (!value) throw new BenchFailure(`${arg} needs a path`);
      options[arg.slice(2)] = value;
    } else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const known = REPOSITORIES.map((r) => r.name);
      const unknown = names.filter((n) => !known.includes(n));
      if (names.length === 0 || unknown.length > 0) {
        throw new BenchFailure(
          `--only takes a comma-separated list of ${known.join(', ')}; got ${argv[i] ?? 'nothing'}`,
        );
      }
      options.only = names;
    } else {
      throw new BenchFailure(
        `unknown option ${arg}; use --repos DIR, --only NAMES, --review FILE and --json`,
      );
    }
  }
  options.repos ??= join(cacheDir(), 'real-repos');
  return options;
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

const short = (sha) => (sha ? sha.slice(0, 12) : '-');

function describeFinding(f) {
  const extra = [f.confidence && `confidence ${f.confidence}`, f.context && `context ${f.context}`]
    .filter(Boolean)
    .join(', ');
  return (
    `${f.repository}  ${f.tool}  ${short(f.commit)}  ${f.file}:${f.line}  ${f.rule}` +
    `${extra ? `  (${extra})` : ''}  ${f.fails ? 'fails' : 'listed'}  ${f.fingerprint}` +
    `  ${f.verdict ?? 'UNLABELLED'}${f.why ? ` — ${f.why}` : ''}\n    ${String(f.match ?? '').slice(0, 160)}`
  );
}

/** A tally as table cells; false positives that are only listed (not failing) are told apart. */
function tallyCells(t) {
  const fp = t.failingFalsePositives === t.falsePositives ? '' : ` (${t.failingFalsePositives} fail)`;
  return [t.findings, t.failing, t.trueSecrets, t.fixtures]
    .map(String)
    .concat([`${t.falsePositives}${fp}`, String(t.unlabelled)]);
}

function printReport(report) {
  const rows = [];
  for (const r of report.results) {
    for (const tool of TOOLS) {
      const t = r.tally[tool];
      if (!t) rows.push([r.repository, tool, 'error', '', '', '', '', '', '']);
      else rows.push([r.repository, tool, ...tallyCells(t), (r.wallMs[tool] / 1000).toFixed(1)]);
    }
  }
  for (const tool of TOOLS) rows.push(['total', tool, ...tallyCells(report.totals[tool]), '']);
  console.log(`stagecraft ${report.tools.stagecraft}; gitleaks ${report.tools.gitleaks}\n`);
  console.log(
    formatTable(
      ['repository', 'tool', 'findings', 'failing', 'true', 'fixture', 'false pos.', 'unlabelled', 'seconds'],
      rows,
      [false, false, true, true, true, true, true, true, true],
    ),
  );
  console.log('\nRepositories:');
  for (const r of report.results) {
    const commits = r.commits === null ? 'not scanned' : `${r.commits} commits`;
    console.log(`  ${r.repository} @ ${short(r.commit)}: ${commits}, ${r.kind}`);
  }
  for (const r of report.results) {
    for (const [step, message] of Object.entries(r.errors)) {
      console.log(`  ${r.repository}: ${step} failed: ${message}`);
    }
  }
  console.log('\nTargets:');
  for (const t of report.targets)
    console.log(`  ${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.detail}`);
  const unlabelled = report.results.flatMap((r) => r.labelled.filter((f) => f.verdict === null));
  if (unlabelled.length > 0) {
    console.log(
      `\nUnlabelled findings (${unlabelled.length}); add a verdict for each to bench/scan-real/verdicts.json:`,
    );
    for (const f of unlabelled) console.log(`  ${describeFinding(f)}`);
  }
  if (report.review) console.log(`\nEvery finding, for review: ${report.review}`);
}

/** One repository: prepared (cloned, pinned), scanned by each tool, its findings labelled and counted. */
function scanRepository(repository, tools, verdicts, reposDir, work) {
  const result = {
    repository: repository.name,
    commit: repository.commit,
    kind: repository.kind,
    commits: null,
  };
  Object.assign(result, { wallMs: {}, errors: {}, tally: {}, labelled: [] });
  let dir;
  try {
    ({ dir, commits: result.commits } = prepareRepository(reposDir, repository, progress));
  } catch (error) {
    if (!(error instanceof PrepareError)) throw error;
    result.errors.clone = error.message;
    return result;
  }
  const findings = [];
  for (const tool of tools) {
    progress(`${repository.name}: ${tool.name} (${result.commits} commits)`);
    const scratch = mkdtempSync(join(work, `${tool.name}-`));
    try {
      const run = tool.scan(dir, scratch);
      findings.push(...run.findings.map((f) => ({ repository: repository.name, ...f })));
      result.wallMs[tool.name] = run.wallMs;
    } catch (error) {
      result.errors[tool.name] = error.message;
    }
  }
  result.labelled = labelFindings(findings, verdicts);
  for (const tool of tools) {
    if (result.errors[tool.name]) continue;
    result.tally[tool.name] = tally(result.labelled.filter((f) => f.tool === tool.name));
  }
  return result;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const verdicts = loadVerdicts(VERDICTS_FILE);
  progress('setting up gitleaks');
  const leaks = installGitleaks(cacheDir());
  const tools = [stagecraftTool(REPO), gitleaksTool(leaks.bin, leaks.version)];
  const repositories = REPOSITORIES.filter((r) => !options.only || options.only.includes(r.name));
  const work = mkdtempSync(join(tmpdir(), 'stagecraft-scan-real-'));
  const results = [];
  let failed = false;
  try {
    for (const repository of repositories) {
      const result = scanRepository(repository, tools, verdicts, options.repos, work);
      if (Object.keys(result.errors).length > 0) failed = true;
      results.push(result);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const totals = Object.fromEntries(
    TOOLS.map((tool) => [tool, tally(results.flatMap((r) => r.labelled.filter((f) => f.tool === tool)))]),
  );
  const report = {
    tools: Object.fromEntries(tools.map((t) => [t.name, t.version])),
    repos: options.repos,
    results,
    totals,
    targets: checkTargets(results, verdicts),
    review: options.review,
  };
  if (options.review) {
    const lines = results.flatMap((r) => r.labelled.map(describeFinding));
    writeFileSync(options.review, `${lines.join('\n')}\n`);
  }
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof BenchFailure ? error.message : error);
  process.exitCode = 1;
});
