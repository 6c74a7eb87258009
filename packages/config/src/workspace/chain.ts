import type { Environment, Gate, Workspace } from './model.ts';

/**
 * Every promotion path from a starting environment to one nobody promotes from, e.g.
 * [["dev", "staging", "production"]]. Declared order guarantees `from` points backwards, so this terminates.
 */
export function promotionPaths(workspace: Workspace): string[][] {
  const next = (name: string) => workspace.environments.filter((env) => env.from === name);
  const paths: string[][] = [];
  const walk = (env: Environment, trail: string[]) => {
    const children = next(env.name);
    if (children.length === 0) paths.push([...trail, env.name]);
    for (const child of children) walk(child, [...trail, env.name]);
  };
  for (const start of workspace.environments.filter((env) => env.from === undefined)) walk(start, []);
  return paths;
}

export function findEnvironment(workspace: Workspace, name: string): Environment | undefined {
  return workspace.environments.find((env) => env.name === name);
}

/** A gate in one short phrase, as declared: `approvals (count: 2)`. */
export function describeGate(gate: Gate): string {
  const options = Object.entries(gate.declared).map(([key, value]) => `${key}: ${formatOption(value)}`);
  return options.length ? `${gate.kind} (${options.join(', ')})` : gate.kind;
}

function formatOption(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatOption).join('/');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
