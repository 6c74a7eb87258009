/** A Secret volume as the kubelet writes it, for tests of mounted secrets. */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes generation `generation` of Secret `name` under `root`: the keys in a timestamped folder, `..data`
 * linked to it by an atomic rename (the kubelet's swap), and each key a link through `..data`.
 */
export function mountKubernetesSecret(
  root: string,
  name: string,
  keys: Record<string, string>,
  generation: number,
): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const folder = `..2026_11_26_00_00_${String(generation).padStart(2, '0')}`;
  mkdirSync(join(dir, folder));
  for (const [key, value] of Object.entries(keys)) writeFileSync(join(dir, folder, key), value);
  symlinkSync(folder, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const key of Object.keys(keys)) {
    try {
      symlinkSync(join('..data', key), join(dir, key));
    } catch {
      // The key's link exists from an earlier generation and follows ..data.
    }
  }
}
