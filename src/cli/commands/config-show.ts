import { relative } from 'node:path';
import type { Provenance, ResolvedEntry } from '@stagecraft/config/engine';
import { isSecret } from '@stagecraft/config/engine';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, textTable } from '../output.ts';
import { requireDeclaredEnvironment } from '../secrets-support.ts';

interface Options {
  env?: string;
  reveal?: boolean;
  module?: string;
}

const MASK = '[redacted]';

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  requireDeclaredEnvironment(ctx, options.env);
  const { loader } = await loadConfigModule(ctx, options.module);
  // A reference is shown as written: it names where a secret is, not the secret.
  const inspection = loader.inspect(ctx.env, {
    cwd: ctx.cwd,
    references: 'defer',
    ...(options.env ? { environment: options.env } : {}),
  });
  const root = inspection.context.root;
  const show = (entry: ResolvedEntry) =>
    entry.secretReference && entry.value === undefined
      ? entry.secretReferences.join(', ')
      : displayValue(entry.value, options.reveal === true);
  const from = (entry: ResolvedEntry) => describeProvenance(entry.provenance, root);
  const rows = inspection.entries.map((entry) => ({
    field: entry.field.key,
    variable: entry.field.envName,
    value: show(entry),
    secret: entry.field.spec.secret,
    source: entry.provenance?.source ?? null,
    from: from(entry),
    provenance: entry.provenance ?? null,
  }));
  const problems = inspection.problems;

  if (ctx.output.format === 'dotenv') {
    const lines = [`# environment: ${inspection.environment}`];
    for (const row of rows) {
      if (row.value === undefined) continue;
      if (row.secret && !options.reveal) lines.push(`# ${row.variable}=${MASK} (pass --reveal to print)`);
      else lines.push(`${row.variable}=${dotenvQuote(row.value)}`);
    }
    ctx.output.write(lines.join('\n'));
  } else {
    ctx.output.report({
      data: { environment: inspection.environment, dotenv: inspection.dotenvAllowed, values: rows, problems },
      text: (s) =>
        [
          `${s.bold('environment')} ${inspection.environment}  ${s.dim(`.env ${inspection.dotenvAllowed ? 'read' : 'not read'} here`)}`,
          '',
          textTable([
            ['field', 'value', 'from'].map((h) => s.dim(h)),
            ...rows.map((row) => [
              row.field,
              row.value === undefined ? s.dim('(unset)') : row.value,
              s.dim(row.from),
            ]),
          ]),
          ...(problems.length ? ['', ...problems.map((problem) => formatProblemStyled(problem, s))] : []),
        ].join('\n'),
      markdown: () =>
        [
          `## Config: ${inspection.environment}`,
          '',
          markdownTable(
            ['Field', 'Variable', 'Value', 'From'],
            rows.map((row) => [row.field, row.variable, row.value ?? '', row.from]),
          ),
        ].join('\n'),
    });
  }
  return problems.length === 0 ? ExitCode.Clean : ExitCode.Problems;
}

function displayValue(value: unknown, reveal: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (isSecret(value)) return reveal ? displayValue(value.reveal(), reveal) : MASK;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function describeProvenance(provenance: Provenance | undefined, root: string): string {
  if (!provenance) return 'not set';
  switch (provenance.source) {
    case 'env':
      return `environment ${provenance.variable}`;
    case 'dotenv':
      return `${relative(root, provenance.file)}:${provenance.line}`;
    case 'yaml':
      return `${relative(root, provenance.file)}:${provenance.line ?? '?'} (${provenance.key})`;
    case 'secret-file':
      return `secret file ${provenance.file}`;
    case 'default':
      return 'default';
  }
}

/** Quotes a value so dotenv reads it back unchanged. */
function dotenvQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@,+-]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  return JSON.stringify(value);
}
