/**
 * `stagecraft drift hotfix [--env production] [--deployed-commit SHA] [--main main] [--record]`: does main
 * contain what the environment runs? The deployed commits come from the ledger (each service's current
 * successful deployment in the environment), or --deployed-commit. Exit 0 merged (or merged under other
 * commits), 2 partially or not merged, 1 when it cannot tell. The rules are in src/drift/hotfix.ts.
 */
import { isStagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { WorkspaceCodes } from '@stagecraft/config/workspace';
import {
  type CommitDrift,
  checkHotfix,
  type DeployedCommit,
  type HotfixReport,
  type HotfixVerdict,
} from '../../drift/hotfix.ts';
import { branchLabel } from '../../drift/main-branch.ts';
import { driftSettingsOf } from '../../drift/settings.ts';
import { repositoryRoot } from '../../git/run.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckIdentity, type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { runningFromLedger } from '../drift-ledger.ts';
import { requireEnvironment } from '../environment-name.ts';
import { markdownTable, textTable } from '../output.ts';

interface Options {
  env?: string;
  deployedCommit?: string;
  main?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const given = options.deployedCommit !== undefined;
  // A given commit needs the workspace only to name a recorded result.
  const environment = options.env ?? (given && !options.record ? undefined : lastEnvironment(ctx, given));
  const check: CheckIdentity | undefined = options.record
    ? {
        kind: 'drift',
        name: `hotfix ${environment ?? (options.deployedCommit ?? '').slice(0, 12)}`,
        environments: environment ? [environment] : [],
      }
    : undefined;
  return runCheck(ctx, check, async () => {
    if (options.deployedCommit === undefined)
      return evaluateHotfix(ctx, environment as string, options.main ?? defaultMain(ctx));
    const report = await checkHotfix(
      repositoryRoot(ctx.cwd),
      [{ commit: options.deployedCommit }],
      options.main ?? defaultMain(ctx),
    );
    return hotfixOutcome(report);
  });
}

/** What `environment` runs against `main`, without printing: `drift hotfix`, and `stagecraft drift`. */
export async function evaluateHotfix(
  ctx: CommandContext,
  environment: string,
  main: string,
): Promise<CheckOutcome> {
  const deployed = await ledgerCommits(ctx, environment);
  return hotfixOutcome(await checkHotfix(repositoryRoot(ctx.cwd), deployed, main), environment);
}

/** The end of the promotion chain (production in the shop): the last environment declared. */
function lastEnvironment(ctx: CommandContext, optional: boolean): string | undefined {
  try {
    return ctx.workspace().environments.at(-1)?.name;
  } catch (error) {
    // A given commit needs no workspace; the ledger does, and says so.
    if (optional && isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return undefined;
    throw error;
  }
}

/** Each service's commit in the environment, as the ledger has it. */
export async function ledgerCommits(ctx: CommandContext, environment: string): Promise<DeployedCommit[]> {
  requireEnvironment(
    ctx.workspace().environments.map((env) => env.name),
    environment,
  );
  const { running } = await runningFromLedger(
    ctx,
    environment,
    'check another environment with --env, or give the commit with --deployed-commit SHA',
  );
  return running;
}

/**
 * The report as a check's outcome: clean when every deployed commit is on main (merged, or merged under other
 * commits), problems otherwise. `environment` names where the commits run, when they came from the ledger.
 */
export function hotfixOutcome(report: HotfixReport, environment?: string): CheckOutcome {
  const clean = onMain(report.verdict);
  const missing = report.commits.reduce((sum, c) => sum + c.missingCount, 0);
  return {
    status: clean ? 'clean' : 'problems',
    summary: verdictLine(report, environment),
    findings: missing,
    report: { environment: environment ?? null, ...report },
    text: (s) => renderText(report, environment, s),
    markdown: () => renderMarkdown(report, environment),
  };
}

function mainLine(report: HotfixReport): string {
  const main = report.main;
  const where = main.remoteTracking
    ? `${branchLabel(main)}, no local ${main.name} branch`
    : branchLabel(main);
  return `main: ${where} at ${main.commit.slice(0, 7)}`;
}

/** What runs the commit: its services, or the commit alone when it was given. */
const runBy = (c: CommitDrift) => (c.services.length ? `${c.services.join(', ')} ` : '');

function commitLine(c: CommitDrift): string {
  const missing =
    c.verdict === 'merged'
      ? 'an ancestor of main'
      : c.verdict === 'merged-equivalent'
        ? `${counted(c.equivalent.length, 'commit')} on main under other commits`
        : `${c.missingCount} of its ${counted(c.notOnMain, 'commit')} missing from main`;
  return `${runBy(c)}${c.shortCommit}: ${c.verdict} (${missing})`;
}

function verdictLine(report: HotfixReport, environment: string | undefined): string {
  const place = environment ? ` in ${environment}` : '';
  const drifted = report.commits.filter(
    (c) => c.verdict === 'partially-merged' || c.verdict === 'not-merged',
  );
  if (drifted.length === 0) return `no hotfix drift${place}: main has every deployed change`;
  const missing = drifted.reduce((sum, c) => sum + c.missingCount, 0);
  return `hotfix drift${place}: ${counted(missing, 'commit')} not merged back to main (${drifted.map((c) => `${runBy(c)}${c.shortCommit} ${c.verdict}`).join('; ')})`;
}

function missingRows(c: CommitDrift, cell: (text: string) => string = (text) => text): string[][] {
  return c.missing.map((m) => [
    m.shortCommit,
    cell(m.subject),
    cell(m.author),
    m.date.slice(0, 10),
    m.revertedOnMain
      ? `on main as ${m.revertedOnMain.shortCommit}, reverted by ${m.revertedOnMain.revertedBy}`
      : '',
  ]);
}

/** Subjects and names are the committers' text: in Markdown, `<` and `&` must not open a tag or an entity. */
const escapeMarkdown = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function renderText(report: HotfixReport, environment: string | undefined, s: Style): string {
  const lines = [s.dim(mainLine(report)), ''];
  for (const c of report.commits) {
    lines.push(`${onMain(c.verdict) ? s.green('✓') : s.red('✗')} ${commitLine(c)}`);
    if (c.equivalent.length) {
      lines.push(s.dim('    on main under other commits:'));
      lines.push(
        textTable(
          c.equivalent.map((e) => [
            e.shortCommit,
            e.subject,
            `${e.how === 'squash' ? 'squashed into' : 'cherry-picked as'} ${e.onMain.shortCommit}`,
          ]),
          '      ',
        ),
      );
    }
    if (c.missing.length) {
      lines.push('    missing from main:');
      lines.push(
        textTable(
          missingRows(c).map((row) => row.filter(Boolean)),
          '      ',
        ),
      );
    }
    if (c.missingCount > c.missing.length)
      lines.push(
        `      … ${counted(c.missingCount - c.missing.length, 'more commit')} (--format json lists them)`,
      );
  }
  lines.push('', `${onMain(report.verdict) ? s.green('✓') : s.red('✗')} ${verdictLine(report, environment)}`);
  return lines.join('\n');
}

/** Whether main has every deployed change: exit 0. */
const onMain = (verdict: HotfixVerdict) => verdict === 'merged' || verdict === 'merged-equivalent';

function renderMarkdown(report: HotfixReport, environment: string | undefined): string {
  const clean = onMain(report.verdict);
  const out = [
    `### Hotfix drift${environment ? ` in ${environment}` : ''}: ${clean ? 'none' : 'found'}`,
    '',
    verdictLine(report, environment),
    '',
    mainLine(report),
    '',
    markdownTable(
      ['Commit', 'Services', 'Verdict', 'Missing'],
      report.commits.map((c) => [c.shortCommit, c.services.join(', '), c.verdict, String(c.missingCount)]),
    ),
  ];
  for (const c of report.commits.filter((c) => c.missing.length)) {
    out.push(
      '',
      `**Not on main from ${c.shortCommit}${c.services.length ? ` (${c.services.join(', ')})` : ''}**`,
      '',
      markdownTable(['Commit', 'Subject', 'Author', 'Date', 'Note'], missingRows(c, escapeMarkdown)),
    );
  }
  return out.join('\n');
}

/** drift.main when a workspace says it, else main. */
function defaultMain(ctx: CommandContext): string {
  try {
    return driftSettingsOf(ctx.workspace()).main;
  } catch (error) {
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return 'main';
    throw error;
  }
}
