/**
 * `stagecraft secrets keys --env NAME`: the environment's secret structure — which secrets its config
 * expects and where each comes from (a variable, a mounted file, a reference's backend) — read from the
 * config files alone, never resolving or printing a value. The parity check compares these between
 * environments: staging and production must have the same keys, with different values.
 */
import type { ResolvedEntry } from '@stagecraft/config/engine';
import { parseValue } from '@stagecraft/config/secret-references';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable, textTable } from '../output.ts';
import { requireDeclaredEnvironment } from '../secrets-support.ts';

interface Options {
  env?: string;
  module?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  requireDeclaredEnvironment(ctx, options.env);
  const { loader } = await loadConfigModule(ctx, options.module);
  // Static: what the committed files say this environment needs, independent of who runs the command.
  const inspection = loader.inspect(
    {},
    { cwd: ctx.cwd, mode: 'static', ...(options.env ? { environment: options.env } : {}) },
  );
  const keys = inspection.entries
    .filter((entry) => entry.secretReference || entry.field.spec.secret)
    .map((entry) => ({
      key: entry.field.envName,
      field: entry.field.key,
      required: !entry.field.spec.optional,
      via: via(entry),
      backends: [...new Set(entry.secretReferences.map(backendOf))],
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  ctx.output.report({
    data: { environment: inspection.environment, keys },
    text: (s) =>
      [
        `${s.bold('environment')} ${inspection.environment}`,
        textTable([
          ['key', 'field', 'provided by'].map((h) => s.dim(h)),
          ...keys.map((k) => [k.key, k.field, k.via]),
        ]),
      ].join('\n'),
    markdown: () =>
      markdownTable(
        ['Key', 'Field', 'Provided by'],
        keys.map((k) => [k.key, k.field, k.via]),
      ),
  });
  return ExitCode.Clean;
}

function backendOf(text: string): string {
  const parsed = parseValue(text);
  return parsed.kind === 'whole' ? parsed.reference.backend : 'unknown';
}

/** Where the value is to come from, in words that never include a value. */
function via(entry: ResolvedEntry): string {
  if (entry.secretReferences.length) return entry.secretReferences.join(', ');
  if (entry.references.length) return entry.references.map((name) => `variable ${name}`).join(', ');
  switch (entry.provenance?.source) {
    case 'secret-file':
      return `file ${entry.provenance.file}`;
    case 'dotenv':
      return '.env';
    case 'env':
      return `variable ${entry.field.envName}`;
    case undefined:
      return entry.field.spec.optional
        ? 'nothing (optional)'
        : `variable ${entry.field.envName} (not set in any file)`;
    default:
      return entry.provenance?.source ?? '';
  }
}
