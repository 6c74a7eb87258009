/**
 * Recorded parity and drift results (`stagecraft parity … --record`, `drift … --record`), the newest of each
 * shown by the dashboard. A result is evidence, not a gate: no promotion reads it. So any identity may record
 * one — the role that ran the check is whoever ran it (a developer's laptop, CI) — and each is attributed and
 * audited, append-only like the history, so a misleading result stays visible with its author.
 */
import type { Kysely } from 'kysely';
import type { ActionScope } from './admission.ts';
import { keptReport } from './check-report.ts';
import { type Actor, environmentNamed } from './policy.ts';
import type { CheckKind, CheckRow, CheckStatus, Database } from './schema.ts';

export type { CheckKind, CheckStatus } from './schema.ts';

/** The longest summary kept: one line, as the check's own last line says it. */
const SUMMARY_LIMIT = 500;

export interface CheckInput {
  kind: CheckKind;
  /** What was checked: `staging↔production`, `kubernetes production`, `terraform production`. */
  name: string;
  /** The environments of stagecraft.yaml the check concerns; none for folders. */
  environments: readonly string[];
  status: CheckStatus;
  summary: string;
  /** Violations, drift items or planned changes found. */
  findings: number;
  /** The JSON `--format json` prints (an error's, for `error`); masked and cut before it is kept. */
  report: string | null;
}

/** A recorded check as the API and the dashboard show it: everything but its report. */
export interface CheckView {
  id: number;
  kind: CheckKind;
  name: string;
  environments: string[];
  status: CheckStatus;
  summary: string;
  findings: number;
  at: string;
  actor: string;
}

/** Records a check's result as the actor's; environments must be declared ones. */
export async function recordCheck(scope: ActionScope, input: CheckInput, actor: Actor): Promise<CheckView> {
  const environments = [
    ...new Set(input.environments.map((name) => environmentNamed(scope.workspace, name).name)),
  ];
  const line = input.summary.replace(/\s*\n\s*/g, ' ').trim();
  const summary = line.length > SUMMARY_LIMIT ? `${line.slice(0, SUMMARY_LIMIT - 1)}…` : line;
  const row = await scope.trx
    .insertInto('checks')
    .values({
      kind: input.kind,
      name: input.name,
      environments: JSON.stringify(environments),
      status: input.status,
      summary,
      findings: Math.max(0, Math.trunc(input.findings)),
      report: input.report === null ? null : keptReport(input.report),
      at: scope.now,
      actor: actor.name,
      role: actor.role,
      rehearsal: scope.mark,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(row);
}

/** The newest result of each check (kind and name), by kind and name. */
export async function latestChecks(db: Kysely<Database>, visible: number): Promise<CheckView[]> {
  const rows = await db
    .selectFrom('checks')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('checks')
        .select((e) => e.fn.max('id').as('id'))
        .where('rehearsal', '<=', visible)
        .groupBy(['kind', 'name']),
    )
    .orderBy('kind')
    .orderBy('name')
    .execute();
  return rows.map(view);
}

function view(row: CheckRow): CheckView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    environments: JSON.parse(row.environments) as string[],
    status: row.status,
    summary: row.summary,
    findings: row.findings,
    at: row.at,
    actor: row.actor,
  };
}
