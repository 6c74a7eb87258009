import { relative } from 'node:path';
import type { Provenance, ResolvedEntry } from '@stagecraft/config/engine';
import { isSecret, rawValue } from '@stagecraft/config/engine';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, shownProblems, textTable } from '../output.ts';
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
    provenance:
      entry.provenance && 'file' in entry.provenance
        ? { ...entry.provenance, file: ctx.output.path(entry.provenance.file) }
        : (entry.provenance ?? null),
  }));
  const problems = inspection.problems;

  if (ctx.output.format === 'dotenv') {
    // Each value as it was written, before parsing (`30s`, `8MB`, `a,b`), so reading the output back as a
    // .env or as variables loads the same config: a parsed duration is milliseconds, which a bare number
    // would not be read as.
    const pending = new Map(inspection.pending.map((item) => [item.entry, item.raw]));
    // An app's older copy of the library may not answer; this copy's own record is the fallback.
    const rawOf = (entry: ResolvedEntry) =>
      typeof inspection.rawValue === 'function' ? inspection.rawValue(entry) : rawValue(entry);
    const lines = [`# environment: ${inspection.environment}`];
    for (const entry of inspection.entries) {
      const variable = entry.field.envName;
      const raw = pending.has(entry) ? pending.get(entry) : rawOf(entry);
      if (raw === undefined || (!pending.has(entry) && entry.value === undefined)) continue;
      const wholeReference = pending.has(entry) && entry.secretReferences[0] === raw;
      if (entry.field.spec.secret && !options.reveal && !wholeReference)
        lines.push(`# ${variable}=${MASK} (pass --reveal to print)`);
      else lines.push(`${variable}=${dotenvQuote(asVariable(raw))}`);
    }
    ctx.output.write(lines.join('\n'));
  } else {
    ctx.output.report({
      data: {
        environment: inspection.environment,
        dotenv: inspection.dotenvAllowed,
        values: rows,
        problems: shownProblems(problems, ctx.output.style),
      },
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

/** A raw value as a variable holds it: YAML lists and maps as the JSON the list and json fields read. */
function asVariable(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  return JSON.stringify(raw);
}

/** Quotes a value so dotenv reads it back unchanged (single and backtick quotes take the text as it is). */
function dotenvQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@,+-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  return JSON.stringify(value);
}
