/**
 * The ledger's tables, as the query layer sees them, and the row types derived from them: what a query
 * returns (`Selectable`) and what an insert takes (`Insertable`), never written out a second time.
 * Timestamps are ISO 8601 text in UTC on both databases.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export type DeploymentKind = 'deploy' | 'promote' | 'rollback';
export type DeploymentStatus = 'pending' | 'succeeded' | 'failed';
export type CheckResult = 'pass' | 'fail';

/** The two databases the ledger runs on; the schema and its triggers are written for each. */
export type Dialect = 'sqlite' | 'postgres';

export interface ArtifactTable {
  id: Generated<number>;
  service: string;
  /** repository@sha256:… */
  image: string;
  digest: string;
  commit_sha: string;
  author: string | null;
  build: string | null;
  registered_at: string;
  registered_by: string;
  /** 1 when written in rehearsal mode: ignored by every rule outside rehearsal. */
  rehearsal: Generated<number>;
  rejected_at: string | null;
  rejected_by: string | null;
  reject_reason: string | null;
}

export interface DeploymentTable {
  id: Generated<number>;
  service: string;
  environment: string;
  artifact_id: number;
  kind: DeploymentKind;
  status: DeploymentStatus;
  actor: string;
  role: string;
  break_glass: number;
  reason: string | null;
  created_at: string;
  finished_at: string | null;
  output: string | null;
  rehearsal: Generated<number>;
  /** Where the process carrying out the deploy step runs, and when it last said it is alive. */
  host: string | null;
  pid: number | null;
  heartbeat_at: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  outcome: 'done' | 'refused';
  detail: string | null;
  rehearsal: Generated<number>;
  /** The previous row's hash (the chain's start for the first row) and this row's, over its content. */
  prev_hash: string;
  hash: string;
}

/** One row: the newest audit hash, updated in every writing transaction, which serialises ledger writes. */
export interface AuditHeadTable {
  id: number;
  hash: string;
  count: number;
}

export interface EnvironmentLockTable {
  environment: string;
  version: number;
}

export interface GateReportTable {
  id: Generated<number>;
  kind: 'tests';
  commit_sha: string;
  result: CheckResult;
  actor: string;
  role: string;
  at: string;
  rehearsal: Generated<number>;
}

export interface VerificationTable {
  id: Generated<number>;
  environment: string;
  service: string | null;
  result: CheckResult;
  actor: string;
  at: string;
  rehearsal: Generated<number>;
}

export interface ApprovalTable {
  id: Generated<number>;
  service: string;
  environment: string;
  artifact_id: number;
  approver: string;
  at: string;
  rehearsal: Generated<number>;
}

export interface ReleaseTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  created_by: string;
}

export interface ReleaseItemTable {
  release_id: number;
  service: string;
  artifact_id: number;
}

export interface TokenTable {
  id: Generated<number>;
  /** Who the token speaks for, as the audit log names them. */
  name: string;
  role: string;
  /** JSON list of the environments it may act in; null: every environment its role allows. */
  environments: string | null;
  /** SHA-256 of the token, hex: the token itself is shown once and never stored. */
  hash: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** `check`: a result of `stagecraft check` other than parity and drift (config, scan, gitignore, secrets). */
export type CheckKind = 'parity' | 'drift' | 'check';
/** clean: nothing found; problems: violations or drift found; error: the check could not evaluate. */
export type CheckStatus = 'clean' | 'problems' | 'error';

/** A recorded parity or drift check: evidence for the dashboard, not a gate. Append-only. */
export interface CheckTable {
  id: Generated<number>;
  kind: CheckKind;
  /** What was checked, as the dashboard names it: `staging↔production`, `kubernetes production`. */
  name: string;
  /** JSON list of the environments of stagecraft.yaml it concerns (none for folders). */
  environments: string;
  status: CheckStatus;
  /** One line, as the check's own last line says it. */
  summary: string;
  findings: number;
  /** The report `--format json` prints, with what the secret scanner recognises masked, cut at 256 KiB. */
  report: string | null;
  at: string;
  actor: string;
  role: string;
  rehearsal: Generated<number>;
}

export interface Database {
  checks: CheckTable;
  tokens: TokenTable;
  releases: ReleaseTable;
  release_items: ReleaseItemTable;
  gate_reports: GateReportTable;
  verifications: VerificationTable;
  approvals: ApprovalTable;
  artifacts: ArtifactTable;
  deployments: DeploymentTable;
  audit: AuditTable;
  audit_head: AuditHeadTable;
  environment_locks: EnvironmentLockTable;
}

export type ArtifactRow = Selectable<ArtifactTable>;
export type TokenRow = Selectable<TokenTable>;
export type CheckRow = Selectable<CheckTable>;
export type NewArtifact = Insertable<ArtifactTable>;
export type DeploymentRow = Selectable<DeploymentTable>;
export type NewDeployment = Insertable<DeploymentTable>;
export type NewGateReport = Insertable<GateReportTable>;
export type NewVerification = Insertable<VerificationTable>;
export type NewApproval = Insertable<ApprovalTable>;
