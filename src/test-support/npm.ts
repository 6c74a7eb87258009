/** npm as the packaging tests run it: packing this repository's packages and installing them into projects. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';

export const NPM_QUIET: readonly string[] = [
  '--no-audit',
  '--no-fund',
  '--prefer-offline',
  '--loglevel=error',
];

export function npm(cwd: string, args: readonly string[]): string {
  return execFileSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Generous: an install on a loaded machine (native modules, many packages) can take minutes.
    timeout: 600_000,
  });
}

/** Packs one package of the current build (`--workspace NAME`, or none for stagecraft); the tarball's path. */
export function packInto(into: string, args: readonly string[]): string {
  const [packed] = JSON.parse(
    npm(REPO_ROOT, ['pack', '--json', '--ignore-scripts', '--pack-destination', into, ...args]),
  ) as { filename: string }[];
  return join(into, packed?.filename as string);
}

/** Both packages of the current build, packed. */
export function packBoth(into: string): { config: string; stagecraft: string } {
  return { config: packInto(into, ['--workspace', '@stagecraft/config']), stagecraft: packInto(into, []) };
}
