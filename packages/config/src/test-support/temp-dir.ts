/** Throw-away folders for tests, removed when the test ends. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-test-'));
  // Retried: a process a test started may still be writing into it while the test's hooks run.
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return writeTree(dir, files);
}

export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
