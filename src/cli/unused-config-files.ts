/**
 * Files named like an environment's config file (config/stagin.yaml) for no declared environment: nothing
 * reads them, so a typo in a file name would silently drop every value in it. `config check` warns.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { closestMatch, oneOf } from '@stagecraft/config/text';
import type { Workspace } from '@stagecraft/config/workspace';

export interface UnusedConfigFile {
  file: string;
  environment: string;
  hint: string;
}

export function unusedConfigFiles(workspace: Workspace): UnusedConfigFile[] {
  const pattern = workspace.config.files;
  const dir = dirname(pattern);
  const [before = '', after] = basename(pattern).split('{env}');
  if (after === undefined || dir.includes('{env}')) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const declared = workspace.environments.map((environment) => environment.name);
  const unused: UnusedConfigFile[] = [];
  for (const name of names) {
    if (!name.startsWith(before) || !name.endsWith(after) || name.length <= before.length + after.length)
      continue;
    const environment = name.slice(before.length, name.length - after.length);
    const file = join(dir, name);
    const near = closestMatch(environment, declared);
    if (declared.includes(environment) || resolve(file) === resolve(workspace.config.base)) continue;
    unused.push({
      file,
      environment,
      hint: near
        ? `did you mean ${before}${near}${after}? Rename it, or declare "${environment}" in stagecraft.yaml`
        : `${oneOf(environment, declared)}: rename the file, or declare "${environment}" in stagecraft.yaml`,
    });
  }
  return unused;
}
