/**
 * Puts the peer scanners in a cache folder outside the repository (`$XDG_CACHE_HOME/stagecraft-bench`, else
 * `~/.cache/stagecraft-bench`), once; later runs reuse them. Nothing is installed system-wide: Debian
 * packages are fetched with `apt-get download` and unpacked with `dpkg -x`, npm packages go to a prefix.
 *
 * Each installer returns `{ name, version, bin, ... }` or throws `ToolUnavailable` with the reason, which
 * the benchmark prints as a note and goes on without that scanner.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export class ToolUnavailable extends Error {}

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(base, 'stagecraft-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { ok: false, output: String(result.error.message) };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

function onPath(name) {
  const found = run('sh', ['-c', `command -v ${name}`]);
  return found.ok ? found.output.split('\n')[0] : null;
}

function lastLine(text) {
  return text.split('\n').filter(Boolean).at(-1) ?? '(no output)';
}

/**
 * apt options for a private trixie source list with its own lists and cache, so the system's apt
 * configuration and state are untouched. Signed by the keys in debian-archive-keyring.
 */
function trixieApt(cache) {
  const root = join(cache, 'apt-trixie');
  for (const sub of ['lists/partial', 'cache/archives/partial'])
    mkdirSync(join(root, sub), { recursive: true });
  const sources = join(root, 'sources.list');
  writeFileSync(
    sources,
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n',
  );
  return [
    '-q',
    '-o',
    `Dir::Etc::SourceList=${sources}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(root, 'lists')}`,
    '-o',
    `Dir::Cache=${join(root, 'cache')}`,
    '-o',
    'Dir::State::Status=/dev/null',
    // apt-get download writes to the working directory, which the _apt sandbox user may not own.
    '-o',
    'APT::Sandbox::User=root',
  ];
}

/** `apt-get download` then `dpkg -x` into `target`; `aptOptions` null uses the system's apt sources. */
function fetchDeb(cache, pkg, target, aptOptions) {
  const debs = join(cache, 'debs');
  mkdirSync(debs, { recursive: true });
  const options = aptOptions ?? ['-q', '-o', 'APT::Sandbox::User=root'];
  if (aptOptions) {
    const update = run('apt-get', [...aptOptions, 'update']);
    if (!update.ok) throw new ToolUnavailable(`apt-get update (trixie) failed: ${lastLine(update.output)}`);
  }
  const download = run('apt-get', [...options, 'download', pkg], { cwd: debs });
  if (!download.ok) throw new ToolUnavailable(`apt-get download ${pkg} failed: ${lastLine(download.output)}`);
  const deb = readdirSync(debs)
    .filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))
    .sort()
    .at(-1);
  if (!deb) throw new ToolUnavailable(`apt-get download ${pkg} left no .deb`);
  const unpack = run('dpkg', ['-x', join(debs, deb), target]);
  if (!unpack.ok) throw new ToolUnavailable(`dpkg -x ${deb} failed: ${lastLine(unpack.output)}`);
  const version = run('dpkg-deb', ['-f', join(debs, deb), 'Version']).output;
  writeFileSync(join(target, 'VERSION'), `${version}\n`);
  return version;
}

function cachedVersion(target) {
  const file = join(target, 'VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : 'unknown';
}

/** gitleaks: on PATH, else Debian trixie's package (8.16) unpacked into the cache. */
export function installGitleaks(cache) {
  const system = onPath('gitleaks');
  if (system) return { name: 'gitleaks', bin: system, version: run(system, ['version']).output };
  const target = join(cache, 'gitleaks');
  const bin = join(target, 'usr', 'bin', 'gitleaks');
  if (!existsSync(bin)) fetchDeb(cache, 'gitleaks', target, trixieApt(cache));
  if (!existsSync(bin)) throw new ToolUnavailable('the gitleaks package has no usr/bin/gitleaks');
  return { name: 'gitleaks', bin, version: `${cachedVersion(target)} (Debian)` };
}

/** git-secrets: on PATH, else the Debian package (system sources, then trixie) unpacked into the cache. */
export function installGitSecrets(cache) {
  if (!onPath('git'))
    throw new ToolUnavailable('git is not installed (git-secrets runs as a git subcommand)');
  const system = onPath('git-secrets');
  if (system) return { name: 'git-secrets', bin: system, binDir: null, version: 'system' };
  const target = join(cache, 'git-secrets');
  const bin = join(target, 'usr', 'bin', 'git-secrets');
  if (!existsSync(bin)) {
    try {
      fetchDeb(cache, 'git-secrets', target, null);
    } catch {
      fetchDeb(cache, 'git-secrets', target, trixieApt(cache));
    }
  }
  return {
    name: 'git-secrets',
    bin,
    binDir: join(target, 'usr', 'bin'),
    version: `${cachedVersion(target)} (Debian)`,
  };
}

/** secretlint and its recommended preset, from npm into a prefix in the cache, with a config there. */
export function installSecretlint(cache) {
  const prefix = join(cache, 'secretlint');
  const bin = join(prefix, 'node_modules', '.bin', 'secretlint');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    const npm = run(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        'secretlint',
        '@secretlint/secretlint-rule-preset-recommend',
      ],
      { cwd: prefix },
    );
    if (!npm.ok) throw new ToolUnavailable(`npm install secretlint failed: ${lastLine(npm.output)}`);
  }
  const config = join(prefix, '.secretlintrc.json');
  writeFileSync(
    config,
    `${JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] })}\n`,
  );
  const version = (pkg) =>
    JSON.parse(readFileSync(join(prefix, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')).version;
  return {
    name: 'secretlint',
    bin,
    config,
    version: `${version('secretlint')} (preset-recommend ${version('@secretlint/secretlint-rule-preset-recommend')})`,
  };
}

/** detect-secrets cannot be installed here (no PyPI); it is used only when already on PATH. */
export function findDetectSecrets() {
  const bin = onPath('detect-secrets');
  if (!bin) throw new ToolUnavailable('detect-secrets is not installed, and PyPI is out of reach here');
  return { name: 'detect-secrets', bin, version: run(bin, ['--version']).output };
}
