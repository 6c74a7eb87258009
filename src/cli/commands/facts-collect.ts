/**
 * `stagecraft facts collect --env NAME`: asks the running environment for its facts (kubectl with the given
 * context, each --database URL) and writes them where stagecraft.yaml says the environment's facts are, or
 * to --out (`-` for standard output).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { collectFacts } from '../../facts/collect.ts';
import { FactsCodes } from '../../facts/errors.ts';
import type { CommandContext } from '../context.ts';
import { requireEnvironment } from '../environment-name.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  env?: string;
  context?: string;
  kubeconfig?: string;
  database?: string[];
  out?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const databases: Record<string, string> = {};
  for (const entry of options.database ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new StagecraftError(FactsCodes.FACTS_DATABASE_URL, 'give each --database as NAME=URL', {
        hint: 'e.g. --database shop-db=postgres://readonly@db.internal:5432/shop',
      });
    }
    databases[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  const target = options.out ?? targetFor(ctx, options.env);
  const facts = await collectFacts({
    context: options.context,
    kubeconfig: options.kubeconfig,
    databases,
    env: ctx.env,
  });
  const text = `${JSON.stringify(facts, null, 2)}\n`;
  if (target === undefined || target === '-') {
    ctx.output.write(text);
    return ExitCode.Clean;
  }
  const path = resolve(ctx.cwd, target);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  ctx.output.note(
    `wrote ${relative(ctx.root, path) || path}: Kubernetes ${facts.kubernetes.serverVersion['gitVersion'] ?? '?'}, ${counted(facts.nodes.count, 'node')}, ${counted(facts.databases.length, 'database')}`,
  );
  return ExitCode.Clean;
}

function targetFor(ctx: CommandContext, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const environments = ctx.workspace().environments;
  requireEnvironment(
    environments.map((env) => env.name),
    name,
  );
  const environment = environments.find((env) => env.name === name) as (typeof environments)[number];
  return environment.facts ?? (environment.manifests ? join(environment.manifests, 'facts.json') : undefined);
}
