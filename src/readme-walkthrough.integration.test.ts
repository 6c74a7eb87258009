/**
 * The README's guide and its ledger walkthrough, run as written: every shell block marked `<!-- guide -->`,
 * and then in another session every one marked `<!-- walkthrough -->`, is run in order, line by line, in one
 * bash session (so `cd`, `export` and variables carry over, as in a reader's terminal), with `stagecraft` on
 * PATH running the built CLI. Each line must exit 0, or 2 with the error code its `# refused: exit 2, CODE`
 * comment names. So renaming a service, flag or role in the code or the README breaks this test, not a
 * newcomer's first hour.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, CLI, REPO_ROOT, tempDir } from './test-support/cli.ts';

interface Line {
  /** The block (1-based) and the line within it, for messages. */
  where: string;
  command: string;
  /** The error code a line marked refused must print; undefined when it must succeed. */
  refused?: string | undefined;
  /** A line marked `# exit 2: …` reports a difference or a finding: exit 2, without an error. */
  problems?: boolean;
}

const REFUSED = /#\s*refused: exit 2, ([A-Z][A-Z0-9_]+)\s*$/;
const PROBLEMS = /#\s*exit 2: \S/;

/** The command lines of the blocks `marker` marks, in order, without blank and comment-only lines. */
function markedLines(readme: string, marker: string): Line[] {
  const blocks = [...readme.matchAll(new RegExp(`${marker}\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (m) => m[1] ?? '',
  );
  assert.equal(
    blocks.length,
    readme.split(marker).length - 1,
    `every ${marker} marker must stand right before a \`\`\`sh block`,
  );
  return blocks.flatMap((block, b) =>
    block
      .split('\n')
      .map((command, l) => ({ where: `block ${b + 1}, line ${l + 1}`, command }))
      .filter(({ command }) => command.trim() !== '' && !command.trim().startsWith('#'))
      .map((line) => ({
        ...line,
        refused: REFUSED.exec(line.command)?.[1],
        problems: PROBLEMS.test(line.command),
      })),
  );
}

/**
 * One bash script running every line in order. Before each line a marker goes to stdout and stderr, so the
 * output can be split by line; after it, its exit code goes to `codes`, and the script stops at the first
 * line that did not exit as expected.
 */
function script(lines: readonly Line[], codes: string): string {
  return lines
    .map((line, i) =>
      [
        `printf '\\n@@ %s @@\\n' ${i} ; printf '\\n@@ %s @@\\n' ${i} >&2`,
        '{',
        line.command,
        '}',
        `code=$? ; printf '%s %s\\n' ${i} "$code" >> '${codes}'`,
        `[ "$code" -eq ${line.refused || line.problems ? 2 : 0} ] || exit 0`,
      ].join('\n'),
    )
    .join('\n');
}

/** What one line printed on a stream. */
function outputOf(stream: string, index: number): string {
  const parts = stream.split(/\n@@ (\d+) @@\n/);
  for (let i = 1; i < parts.length; i += 2) if (Number(parts[i]) === index) return parts[i + 1] ?? '';
  return '';
}

/**
 * The end state a session promises: the service's digest succeeded in production. Read through
 * `status --format json`, by the fields that name a deployment's place, digest and state.
 */
function assertInProduction(statusJson: string, service: string, digest: string): void {
  const status = JSON.parse(statusJson) as {
    deployments: { environment: string; service: string; digest: string; status: string }[];
  };
  const deployment = status.deployments.find((d) => d.environment === 'production' && d.service === service);
  assert.deepEqual(
    deployment && { digest: deployment.digest, status: deployment.status },
    { digest, status: 'succeeded' },
    `${service} in production at the end:\n${statusJson}`,
  );
}

/** An executable `stagecraft` in `bin` running the built CLI, as `npm link` or an install puts it there. */
function stagecraftOnPath(bin: string): void {
  const shim = join(bin, 'stagecraft');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(shim, 0o755);
}

/** This process's environment for a reader's terminal: `bin` first on PATH, no stagecraft settings. */
function readerEnv(dir: string, bin: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env['PATH']}`,
    TMPDIR: dir,
    NO_COLOR: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  for (const key of Object.keys(env)) if (key.startsWith('STAGECRAFT_')) delete env[key];
  return env;
}

/** Runs `lines` in one bash session from `cwd`; each must exit 0, or 2 with the code it names. */
function runSession(
  dir: string,
  cwd: string,
  env: Record<string, string | undefined>,
  lines: readonly Line[],
) {
  const codes = join(dir, 'codes');
  writeFileSync(codes, '');
  const run = spawnSync('bash', ['-c', script(lines, codes)], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(run.error, undefined);
  const ran = readFileSync(codes, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((row) => row.split(' ').map(Number) as [number, number]);
  for (const [index, code] of ran) {
    const line = lines[index];
    assert.ok(line);
    const said = `${line.where}: ${line.command}\nstdout:\n${outputOf(run.stdout, index)}\nstderr:\n${outputOf(run.stderr, index)}`;
    if (line.problems) {
      assert.equal(code, 2, `expected exit 2 (problems found), got exit ${code} — ${said}`);
      assert.doesNotMatch(outputOf(run.stderr, index), /^error \[/m, `exit 2 without an error — ${said}`);
    } else if (line.refused) {
      assert.equal(code, 2, `expected a refusal (exit 2), got exit ${code} — ${said}`);
      assert.ok(
        outputOf(run.stderr, index).includes(`[${line.refused}]`),
        `expected ${line.refused} — ${said}`,
      );
    } else {
      assert.equal(code, 0, said);
    }
  }
  assert.equal(ran.length, lines.length, `the session stopped early:\n${run.stderr.slice(-2000)}`);
}

test('the README’s guide runs as written, from an empty folder to production', async (t) => {
  assertBuilt();
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const lines = markedLines(readme, '<!-- guide -->');
  assert.ok(lines.length >= 15, `only ${lines.length} guide lines found in README.md`);
  assert.match(lines[0]?.command ?? '', /^mkdir web && cd web && git init/, 'the guide starts from nothing');
  assert.ok(lines.some((line) => /npx stagecraft init /.test(line.command)));
  const digest = /^DIGEST=(sha256:[0-9a-f]{64})$/m.exec(readme.slice(readme.indexOf('<!-- guide -->')))?.[1];
  assert.ok(digest, 'the guide names its digest as DIGEST=sha256:…');

  const dir = tempDir(t);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const cli = join(dir, 'cli');
  mkdirSync(cli);
  stagecraftOnPath(cli);
  // No registry here: `npm` installs the packages of this checkout, linked into node_modules as npm would
  // place the published ones, with the `stagecraft` bin; `npx` runs what node_modules/.bin holds.
  const npm = join(bin, 'npm');
  writeFileSync(
    npm,
    `#!/bin/sh
set -e
case "$1" in
  init) printf '{ "name": "%s", "version": "1.0.0", "private": true }\\n' "$(basename "$PWD")" > package.json ;;
  install)
    mkdir -p node_modules/@stagecraft node_modules/.bin
    ln -sfn ${JSON.stringify(REPO_ROOT)} node_modules/stagecraft
    ln -sfn ${JSON.stringify(join(REPO_ROOT, 'packages/config'))} node_modules/@stagecraft/config
    cp ${JSON.stringify(join(cli, 'stagecraft'))} node_modules/.bin/stagecraft ;;
  *) echo "npm $1: not available in this test" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(npm, 0o755);
  const npx = join(bin, 'npx');
  writeFileSync(npx, '#!/bin/sh\nname="$1"; shift\nexec "./node_modules/.bin/$name" "$@"\n');
  chmodSync(npx, 0o755);
  const home = join(dir, 'home');
  mkdirSync(home);
  const statusFile = join(dir, 'status.json');
  runSession(dir, home, readerEnv(dir, bin), [
    ...lines,
    { where: 'after the guide', command: `npx stagecraft status --format json > '${statusFile}'` },
  ]);
  assertInProduction(readFileSync(statusFile, 'utf8'), 'web', digest);
  assert.ok(existsSync(join(home, 'web/.git/hooks/pre-commit')), 'the pre-commit hook is installed');
});

test('the README’s ledger walkthrough runs as written against a fresh copy of the shop', async (t) => {
  assertBuilt();
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const lines = markedLines(readme, '<!-- walkthrough -->');
  // The walkthrough is there and shows refusals: a lost marker must not make this test pass on nothing.
  assert.ok(lines.length >= 20, `only ${lines.length} walkthrough lines found in README.md`);
  assert.ok(
    lines.some((line) => line.refused),
    'the walkthrough shows no refusal',
  );
  const digest = /^DIGEST=(sha256:[0-9a-f]{64})$/m.exec(
    readme.slice(readme.indexOf('<!-- walkthrough -->')),
  )?.[1];
  assert.ok(digest, 'the walkthrough names storefront’s digest as DIGEST=sha256:…');

  const dir = tempDir(t);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  stagecraftOnPath(bin);
  const statusFile = join(dir, 'status.json');
  runSession(dir, REPO_ROOT, readerEnv(dir, bin), [
    ...lines,
    // Read in the same session: rehearsed entries count only while rehearsing.
    { where: 'after the walkthrough', command: `stagecraft status --format json > '${statusFile}'` },
  ]);
  assertInProduction(readFileSync(statusFile, 'utf8'), 'storefront', digest);
});
