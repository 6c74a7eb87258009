/**
 * Finding and reading lockfiles at a commit, with git: `git ls-tree -r -l` lists every lockfile in the tree
 * (a monorepo has several) with its blob id and size, so that a file larger than its format's cap is refused
 * before it is read and a file whose blob is the same on both sides is never read at all; `git show
 * COMMIT:PATH` reads the rest. Folders of installed or vendored code are skipped: their lockfiles belong to
 * someone else's project.
 */
import { posix } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS } from '@stagecraft/config/input';
import { type GitEnvironment, runGitAsync } from '../../git/run.ts';
import { DriftCodes } from '../errors.ts';
import { readBunLockfile } from './bun.ts';
import { type LockfileFormat, type LockGraph, objectAt } from './lock-graph.ts';
import { readNpmLockfile } from './npm.ts';
import { readPnpmLockfile } from './pnpm.ts';
import { readTerraformLockfile } from './terraform-lock.ts';
import { isBerryLockfile, readYarnBerryLockfile, readYarnV1Lockfile } from './yarn.ts';

const MiB = 1024 * 1024;

/** The files read, by name, with the most each may weigh: the YAML parser costs far more per byte than JSON. */
export const LOCKFILE_NAMES: Readonly<Record<string, number>> = {
  'package-lock.json': 64 * MiB,
  'npm-shrinkwrap.json': 64 * MiB,
  'pnpm-lock.yaml': INPUT_LIMITS.rendered,
  'yarn.lock': INPUT_LIMITS.rendered,
  'bun.lock': 64 * MiB,
  'bun.lockb': 0,
  '.terraform.lock.hcl': 4 * MiB,
};

/** Installed, vendored or cached code: never the project's own lockfiles. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'vendor',
  'bower_components',
  'jspm_packages',
  '.terraform',
  '.yarn',
  '.git',
]);

export interface TreeFile {
  path: string;
  oid: string;
  size: number;
}

export interface TreeLockfiles {
  lockfiles: TreeFile[];
  /** package.json files by folder (`""` for the root): v1 lockfiles need them to know the direct dependencies. */
  manifests: Map<string, TreeFile>;
}

/** Every lockfile in the commit's tree (under `paths` when given), with the package.json files beside them. */
export async function listLockfiles(
  root: string,
  commit: string,
  paths: readonly string[] = [],
  env?: GitEnvironment,
): Promise<TreeLockfiles> {
  const args = [
    'ls-tree',
    '-r',
    '-l',
    '-z',
    '--full-tree',
    commit,
    ...(paths.length ? ['--', ...paths] : []),
  ];
  const out = (await runGitAsync(root, args, env ? { env } : {})).toString('utf8');
  const lockfiles: TreeFile[] = [];
  const manifests = new Map<string, TreeFile>();
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, oid, size] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    if (type !== 'blob' || oid === undefined) continue;
    const segments = path.split('/');
    const name = segments[segments.length - 1] as string;
    if (segments.slice(0, -1).some((segment) => SKIPPED_FOLDERS.has(segment))) continue;
    const file = { path, oid, size: Number(size) };
    if (Object.hasOwn(LOCKFILE_NAMES, name)) lockfiles.push(file);
    else if (name === 'package.json') manifests.set(folderOf(path), file);
  }
  lockfiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { lockfiles, manifests };
}

export function folderOf(path: string): string {
  const folder = posix.dirname(path);
  return folder === '.' ? '' : folder;
}

export function lockfileName(path: string): string {
  return posix.basename(path);
}

/** Reads and parses one lockfile at a commit; a StagecraftError (located in `COMMIT:PATH`) when it cannot. */
export async function readLockfile(
  root: string,
  commit: string,
  file: TreeFile,
  manifest?: TreeFile,
  env?: GitEnvironment,
): Promise<LockGraph> {
  const name = lockfileName(file.path);
  const where = `${commit.slice(0, 12)}:${file.path}`;
  if (name === 'bun.lockb') {
    throw new StagecraftError(DriftCodes.DEPS_LOCKFILE_BINARY, 'bun.lockb is binary and cannot be read', {
      location: { file: where },
      hint: 'run `bun install --save-text-lockfile` (bun 1.1.39 and later), commit bun.lock and remove bun.lockb',
    });
  }
  const cap = LOCKFILE_NAMES[name] ?? 0;
  if (file.size > cap) {
    throw new StagecraftError(
      DriftCodes.DEPS_LOCKFILE_TOO_LARGE,
      `${name} is ${(file.size / MiB).toFixed(1)} MiB, more than the ${cap / MiB} MiB drift deps reads`,
      { location: { file: where }, hint: 'check that this is a real lockfile; no real one is this large' },
    );
  }
  const text = await show(root, commit, file.path, env);
  const format = formatOf(name, text);
  if (format === 'npm' || format === 'yarn-v1') {
    const manifestValue =
      manifest && manifest.size <= INPUT_LIMITS.authored
        ? await readManifest(root, commit, manifest, env)
        : undefined;
    return format === 'npm'
      ? readNpmLockfile(text, where, manifestValue)
      : readYarnV1Lockfile(text, where, manifestValue);
  }
  if (format === 'pnpm') return readPnpmLockfile(text, where);
  if (format === 'yarn-berry') return readYarnBerryLockfile(text, where);
  if (format === 'bun') return readBunLockfile(text, where);
  return readTerraformLockfile(text, where);
}

function formatOf(name: string, text: string): LockfileFormat {
  if (name === 'pnpm-lock.yaml') return 'pnpm';
  if (name === 'yarn.lock') return isBerryLockfile(text) ? 'yarn-berry' : 'yarn-v1';
  if (name === 'bun.lock') return 'bun';
  if (name === '.terraform.lock.hcl') return 'terraform';
  return 'npm';
}

async function show(root: string, commit: string, path: string, env?: GitEnvironment): Promise<string> {
  return (
    await runGitAsync(root, ['show', '--no-textconv', `${commit}:${path}`], env ? { env } : {})
  ).toString('utf8');
}

/** The package.json beside a v1 lockfile; one that is not JSON only means the direct dependencies are unknown. */
async function readManifest(
  root: string,
  commit: string,
  file: TreeFile,
  env?: GitEnvironment,
): Promise<Record<string, unknown> | undefined> {
  try {
    return objectAt(JSON.parse(await show(root, commit, file.path, env)));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
