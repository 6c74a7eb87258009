/**
 * `stagecraft drift deps LEFT RIGHT`: dependency skew between what two environments run. Each side is an
 * environment — its services' commits from the ledger, compared service by service — or `commit:REF` for
 * a commit, branch or tag (`drift deps commit:v1.4.0 commit:main`). An environment against a commit
 * compares each of the environment's services with that commit: what deploying it would change. Exit 0 no
 * skew, 2 skew, 1 when a lockfile could not be read (its report is printed first) or a commit is missing.
 * The comparison is in src/drift/deps/; `--record` keeps the result in the ledger (check-record.ts).
 */
import { relative, resolve } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import {
  compareCommitDependencies,
  compareEnvironmentDependencies,
  type DepsReport,
  type EnvironmentCommits,
  environmentCommits,
} from '../../drift/deps/index.ts';
import { repositoryRoot } from '../../git/run.ts';
import { type CheckIdentity, type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { depsOutcome, renderDepsMarkdown, renderDepsText, unreadableError } from '../drift-deps-report.ts';
import { runningFromLedger } from '../drift-ledger.ts';
import { requireEnvironment } from '../environment-name.ts';
import { CliCodes } from '../errors.ts';

interface Options {
  path?: string[];
  record?: boolean;
}

export type Side = { kind: 'commit'; ref: string; label: string } | { kind: 'environment'; name: string };

const COMMIT_PREFIX = 'commit:';

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [left, right] = args.map(side) as [Side, Side];
  const environments = [left, right].flatMap((s) => (s.kind === 'environment' ? [s.name] : []));
  if (environments.length) {
    const declared = ctx.workspace().environments.map((env) => env.name);
    for (const name of environments)
      requireEnvironment(declared, name, 'for a commit, branch or tag write commit:REF');
  }
  const check: CheckIdentity | undefined = options.record
    ? { kind: 'drift', name: `deps ${label(left)}↔${label(right)}`, environments }
    : undefined;
  return runCheck(ctx, check, () =>
    evaluateDeps(ctx, [left, right], options, (report) =>
      // What could be read is shown, then the error: exit 1, never a verdict on the unread files.
      ctx.output.report({
        data: report,
        text: (s) => renderDepsText(report, s),
        markdown: () => renderDepsMarkdown(report),
      }),
    ),
  );
}

/**
 * The dependency skew between two sides, without printing: `drift deps`, and `stagecraft drift`. A lockfile
 * that cannot be read is an error (after `showPartial` has seen what could be read), never a verdict.
 */
export async function evaluateDeps(
  ctx: CommandContext,
  [left, right]: readonly [Side, Side],
  options: Pick<Options, 'path'> = {},
  showPartial?: (report: DepsReport) => void,
): Promise<CheckOutcome> {
  const report = await compare(ctx, options, left, right);
  if (report.verdict === 'unreadable') {
    showPartial?.(report);
    throw unreadableError(report);
  }
  return depsOutcome(report);
}

function side(arg: string): Side {
  if (!arg.startsWith(COMMIT_PREFIX)) return { kind: 'environment', name: arg };
  const ref = arg.slice(COMMIT_PREFIX.length);
  if (!ref) {
    throw new StagecraftError(CliCodes.CLI_USAGE, `"${arg}" names no commit`, {
      hint: 'write commit:SHA, commit:main or commit:v1.4.0, or an environment name',
    });
  }
  return { kind: 'commit', ref, label: arg };
}

const label = (s: Side) => (s.kind === 'commit' ? s.label : s.name);

async function compare(
  ctx: CommandContext,
  options: Pick<Options, 'path'>,
  left: Side,
  right: Side,
): Promise<DepsReport> {
  const root = repositoryRoot(ctx.cwd, ctx.env);
  const compareOptions = {
    paths: (options.path ?? []).map((path) => relative(root, resolve(ctx.cwd, path)) || '.'),
    gitEnv: ctx.env,
  };
  if (left.kind === 'commit' && right.kind === 'commit') {
    return compareCommitDependencies(
      root,
      { label: left.label, commit: left.ref },
      { label: right.label, commit: right.ref },
      compareOptions,
    );
  }
  const known = new Map<string, EnvironmentCommits>();
  for (const s of [left, right]) {
    if (s.kind !== 'environment') continue;
    const { running } = await runningFromLedger(
      ctx,
      s.name,
      `deploy to ${s.name} first (\`stagecraft status\` shows what runs where), or compare commits with commit:REF`,
    );
    known.set(s.name, environmentCommits(s.name, running));
  }
  // A commit stands in for every service the environment on the other side runs.
  const resolveSide = (s: Side, other: Side): EnvironmentCommits => {
    if (s.kind === 'environment') return known.get(s.name) as EnvironmentCommits;
    const services = (known.get((other as { name: string }).name) as EnvironmentCommits).services;
    return { name: s.label, services: new Map([...services.keys()].map((service) => [service, s.ref])) };
  };
  return compareEnvironmentDependencies(
    root,
    resolveSide(left, right),
    resolveSide(right, left),
    compareOptions,
  );
}
