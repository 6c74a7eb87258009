import { basename, join, relative } from 'node:path';
import {
  ConfigCodes,
  type ConfigInspection,
  dotenvRecord,
  parseDotenv,
  type ResolvedEntry,
  toSnake,
} from '@stagecraft/config/engine';
import type { Problem } from '@stagecraft/config/errors';
import { INPUT_LIMITS, isPresent, readInputFile } from '@stagecraft/config/input';
import { agreeing, counted } from '@stagecraft/config/text';
import type { CheckOutcome } from '../check-record.ts';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, shownProblems, textTable } from '../output.ts';
import { requireDeclaredEnvironment } from '../secrets-support.ts';
import { unusedConfigFiles } from '../unused-config-files.ts';

interface Options {
  env?: string;
  all?: boolean;
  module?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  requireDeclaredEnvironment(ctx, options.env);
  const { path, loader } = await loadConfigModule(ctx, options.module);
  for (const unused of unusedConfigFiles(ctx.workspace())) {
    const s = ctx.output.errorStyle;
    ctx.output.note(
      `${s.yellow('warning')} ${s.path(unused.file)}: no environment "${unused.environment}" is declared, so nothing reads this file\n  ${s.cyan('hint:')} ${unused.hint}`,
    );
  }
  if (options.all) {
    const environments = ctx.workspace().environments.map((env) => env.name);
    const outcome = coverage(ctx, loader.inspect.bind(loader), relative(ctx.root, path), environments);
    ctx.output.report({ data: outcome.report, text: outcome.text, markdown: outcome.markdown });
    return outcome.status === 'clean' ? ExitCode.Clean : ExitCode.Problems;
  }
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
      module: ctx.output.path(path),
      environment,
      valid: problems.length === 0,
      fields: inspection.entries.length,
      secretReferences: referenced,
      problems: shownProblems(problems, ctx.output.style),
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
                `  ${counted(referenced, 'field')} ${agreeing(referenced, 'holds', 'hold')} secret references, resolved at run time: stagecraft secrets check --env ${environment} resolves them here`,
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
 * `config check --all` as a check other commands run (`stagecraft check`): the coverage matrix of these
 * environments (default: every one), nothing printed.
 */
export async function evaluateCoverage(
  ctx: CommandContext,
  environments?: readonly string[],
): Promise<CheckOutcome> {
  const { path, loader } = await loadConfigModule(ctx, undefined);
  const names = environments ?? ctx.workspace().environments.map((env) => env.name);
  return coverage(ctx, loader.inspect.bind(loader), relative(ctx.root, path), names);
}

/**
 * Every environment given, offline: what provides each field — a committed file, a `.env` that exists here, a
 * default, or a `${VAR}` the committed files declare (whoever runs the environment sets VAR). A required field
 * nothing provides or declares is a gap, and gaps are the problems. `.env.example` provides nothing: it only
 * lists what a developer copies into `.env`, so it feeds the hint, not the matrix.
 */
function coverage(
  ctx: CommandContext,
  inspect: Inspect,
  shownModule: string,
  environments: readonly string[],
): CheckOutcome {
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
  const example = exampleVariables(inspections[0]?.context.root ?? ctx.cwd);
  const problems = inspections.flatMap((inspection) =>
    inspection.problems.map((problem) => ({
      ...problem,
      message: `[${inspection.environment}] ${problem.message}`,
      hint: staticHint(problem, inspection, example),
    })),
  );
  const declared = matrix.some((row) => Object.values(row.sources).some((cell) => cell.includes('$')));
  return {
    status: problems.length === 0 ? 'clean' : 'problems',
    summary:
      problems.length === 0
        ? `every required field is provided or declared in ${counted(environments.length, 'environment')} (${counted(fields.length, 'field')})`
        : `${counted(problems.length, 'problem')} in the config of ${counted(environments.length, 'environment')}`,
    findings: problems.length,
    report: {
      module: shownModule,
      environments,
      matrix,
      problems: shownProblems(problems, ctx.output.style),
    },
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
        ...(declared
          ? [
              s.dim(
                '$VAR: the config files read VAR, set by whoever runs that environment (or by .env where it is read)',
              ),
            ]
          : []),
        '',
        ...problems.map((problem) => formatProblemStyled(problem, s)),
        problems.length === 0
          ? `${s.green('✓')} every required field is provided or declared in every environment`
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
  };
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
      return basename(provenance.file);
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

/** The variables `.env.example` lists, if there is one: what a developer is told to put in `.env`. */
function exampleVariables(root: string): ReadonlySet<string> {
  const file = join(root, '.env.example');
  if (!isPresent(file)) return new Set();
  const text = readInputFile(file, { what: '.env.example', maxBytes: INPUT_LIMITS.authored });
  return new Set(dotenvRecord(parseDotenv(text)).keys());
}

/**
 * Where a missing field could come from, as advice every other check accepts: a secret is never suggested
 * as a value in a committed file (the scanner and CONFIG_SECRET_LITERAL refuse it), and only references to
 * backends that exist are offered.
 */
function staticHint(
  problem: Problem,
  inspection: ConfigInspection,
  example: ReadonlySet<string>,
): string | undefined {
  if (problem.code !== ConfigCodes.CONFIG_MISSING_VAR || !problem.field || !problem.variable)
    return problem.hint;
  const variable = problem.variable;
  const file = relative(
    inspection.context.root,
    inspection.context.filesPattern.split('{env}').join(inspection.environment),
  );
  const key = problem.field.split('.').map(toSnake).join('.');
  const entry = inspection.entries.find((candidate) => candidate.field.key === problem.field);
  const secret = entry?.field.spec.secret === true;
  const declare = `declare it in ${file}: ${key}: "\${${variable}}" (whoever runs ${inspection.environment} then sets ${variable})`;
  const others = secret
    ? `, or a reference to where the secret is mounted, such as ${key}: "ref+k8s://SECRET/KEY" or "ref+file://PATH"`
    : ', a value there, or a default in the definition';
  const local = inspection.dotenvAllowed
    ? example.has(variable)
      ? `; for this machine only, copy .env.example to .env and set ${variable} there`
      : `; for this machine only, set ${variable} in .env (gitignored)`
    : '';
  return `${declare}${others}${local}`;
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
