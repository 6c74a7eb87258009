import { relative } from 'node:path';
import { ConfigCodes, type ConfigInspection, type ResolvedEntry, toSnake } from '@stagecraft/config/engine';
import type { Problem } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, textTable } from '../output.ts';
import { unusedConfigFiles } from '../unused-config-files.ts';

interface Options {
  env?: string;
  all?: boolean;
  module?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const { path, loader } = await loadConfigModule(ctx, options.module);
  for (const unused of unusedConfigFiles(ctx.workspace())) {
    const s = ctx.output.errorStyle;
    ctx.output.note(
      `${s.yellow('warning')} ${s.path(unused.file)}: no environment "${unused.environment}" is declared, so nothing reads this file\n  ${s.cyan('hint:')} ${unused.hint}`,
    );
  }
  if (options.all) return checkAll(ctx, loader.inspect.bind(loader), relative(ctx.root, path));
  // References are resolved at run time (`secrets check` resolves them); here they only have to be well formed.
  const inspection = loader.inspect(ctx.env, {
    cwd: ctx.cwd,
    references: 'defer',
    ...(options.env ? { environment: options.env } : {}),
  });
  const { problems, environment } = inspection;
  const referenced = inspection.entries.filter((entry) => entry.secretReference).length;
  ctx.output.report({
    data: {
      module: path,
      environment,
      valid: problems.length === 0,
      fields: inspection.entries.length,
      secretReferences: referenced,
      problems,
    },
    text: (s) =>
      [
        ...problems.map((problem) => formatProblemStyled(problem, s)),
        problems.length === 0
          ? `${s.green('✓')} config for ${environment} is valid: ${counted(inspection.entries.length, 'field')}`
          : `${s.red('✗')} config for ${environment} has ${counted(problems.length, 'problem')}`,
        ...(referenced
          ? [
              s.dim(
                `  ${counted(referenced, 'field')} hold secret references, resolved at run time: stagecraft secrets check --env ${environment} resolves them here`,
              ),
            ]
          : []),
      ].join('\n'),
    markdown: () => problemsMarkdown(`Config check: ${environment}`, problems, ctx.root),
  });
  return problems.length === 0 ? ExitCode.Clean : ExitCode.Problems;
}

type Inspect = (
  env: Record<string, string | undefined>,
  options: { cwd: string; environment: string; mode: 'static' },
) => ConfigInspection;

/**
 * Every environment, offline: which source provides each field. A `${VAR}` in YAML counts as provided (the
 * deployment must set VAR); a required field nothing provides is a gap, and gaps are the problems.
 */
function checkAll(ctx: CommandContext, inspect: Inspect, shownModule: string): number {
  const environments = ctx.workspace().environments.map((env) => env.name);
  const inspections = environments.map((name) =>
    inspect({}, { cwd: ctx.cwd, environment: name, mode: 'static' }),
  );
  const fields = inspections[0]?.entries.map((entry) => entry.field) ?? [];
  const matrix = fields.map((field, row) => ({
    field: field.key,
    variable: field.envName,
    required: !field.spec.optional && !field.spec.defaultValue,
    sources: Object.fromEntries(
      inspections.map((inspection) => [
        inspection.environment,
        describeCell(inspection.entries[row] as ResolvedEntry),
      ]),
    ),
  }));
  const problems = inspections.flatMap((inspection) =>
    inspection.problems.map((problem) => ({
      ...problem,
      message: `[${inspection.environment}] ${problem.message}`,
      hint: staticHint(problem, inspection),
    })),
  );
  ctx.output.report({
    data: { module: shownModule, environments, matrix, problems },
    text: (s) =>
      [
        s.bold('Config coverage'),
        textTable([
          ['field', ...environments].map((h) => s.dim(h)),
          ...matrix.map((row) => [
            row.field,
            ...environments.map((env) => colourCell(row.sources[env] as string, s)),
          ]),
        ]),
        '',
        ...problems.map((problem) => formatProblemStyled(problem, s)),
        problems.length === 0
          ? `${s.green('✓')} every required field is provided in every environment`
          : `${s.red('✗')} ${counted(problems.length, 'problem')}`,
      ].join('\n'),
    markdown: () =>
      [
        '## Config coverage',
        '',
        markdownTable(
          ['Field', ...environments],
          matrix.map((row) => [row.field, ...environments.map((env) => row.sources[env] as string)]),
        ),
        '',
        problems.length ? problemsMarkdown('Problems', problems, ctx.root) : 'No gaps.',
      ].join('\n'),
  });
  return problems.length === 0 ? ExitCode.Clean : ExitCode.Problems;
}

function describeCell(entry: ResolvedEntry): string {
  const provenance = entry.provenance;
  if (entry.deferred) return entry.references.map((name) => `$${name}`).join(' ');
  if (!provenance) return entry.field.spec.optional || entry.field.spec.standard ? 'optional' : 'MISSING';
  switch (provenance.source) {
    case 'yaml':
      if (entry.secretReference) return 'secret ref';
      return entry.references.length ? `yaml ${entry.references.map((n) => `$${n}`).join(' ')}` : 'yaml';
    case 'dotenv':
      return '.env';
    case 'default':
      return 'default';
    case 'secret-file':
      return 'secret file';
    case 'env':
      return `$${provenance.variable}`;
  }
}

function colourCell(text: string, s: { red(t: string): string; dim(t: string): string }): string {
  if (text === 'MISSING') return s.red(text);
  if (text === 'optional' || text === 'default') return s.dim(text);
  return text;
}

function staticHint(problem: Problem, inspection: ConfigInspection): string | undefined {
  if (problem.code !== ConfigCodes.CONFIG_MISSING_VAR || !problem.field) return problem.hint;
  const file = relative(
    inspection.context.root,
    inspection.context.filesPattern.split('{env}').join(inspection.environment),
  );
  const key = problem.field.split('.').map(toSnake).join('.');
  return `declare where it comes from: ${key}: "\${${problem.variable}}" in ${file} (the deployment then sets ${problem.variable}), a value, or a default in the definition`;
}

function problemsMarkdown(title: string, problems: readonly Problem[], root: string): string {
  if (problems.length === 0) return `## ${title}\n\nNo problems.`;
  return [
    `## ${title}`,
    '',
    markdownTable(
      ['Code', 'Field', 'Variable', 'Where', 'Problem', 'Hint'],
      problems.map((p) => [
        p.code,
        p.field ?? '',
        p.variable ?? '',
        p.location ? `${relative(root, p.location.file)}:${p.location.line ?? ''}` : (p.source ?? ''),
        p.message,
        p.hint ?? '',
      ]),
    ),
  ].join('\n');
}
