/**
 * What the CLI's ledger commands need of a ledger. The local one (ledger.ts, on SQLite or PostgreSQL) and the
 * team's server (server/client.ts, over HTTP) both provide it, so each command is written once and prints,
 * formats and exits the same whichever it talks to. `actor` is who the local ledger believes; the server
 * ignores it and acts as the identity its token proves.
 */

import type { Deployed, Deployer, DeployHooks, DeployRequest } from './carry-out.ts';
import type { CheckInput, CheckView } from './checks.ts';
import type { Confirmation } from './endings.ts';
import type { Actor } from './policy.ts';
import type { CheckResult } from './schema.ts';
import type { NewToken, TokenView } from './tokens.ts';
import type {
  Artifact,
  AuditEntry,
  Deployment,
  DeploymentDetail,
  HistoryFilter,
  HistoryPage,
  NextPromotion,
} from './views.ts';

export interface ArtifactInput {
  service: string;
  image: string;
  commit: string;
  author?: string | undefined;
  build?: Record<string, unknown> | undefined;
}

export interface LedgerApi extends Deployer {
  readonly rehearsal: boolean;
  now(): Promise<Date>;
  registerArtifact(input: ArtifactInput, actor: Actor): Promise<Artifact>;
  deploy(request: DeployRequest, actor: Actor, hooks: DeployHooks): Promise<Deployed[]>;
  createRelease(
    name: string,
    items: readonly { service: string; digest: string }[],
    actor: Actor,
  ): Promise<number>;
  reportGate(kind: 'tests', commit: string, result: CheckResult, actor: Actor): Promise<string>;
  verify(environment: string, service: string | undefined, result: CheckResult, actor: Actor): Promise<void>;
  approve(service: string, environment: string, actor: Actor): Promise<Artifact>;
  /** Approves every artifact of a release for an environment: all, or none. */
  approveRelease(release: string, environment: string, actor: Actor): Promise<Artifact[]>;
  confirm(input: Confirmation, actor: Actor): Promise<number>;
  reject(digest: string, reason: string, actor: Actor): Promise<number>;
  status(): Promise<Deployment[]>;
  pendingGates(): Promise<NextPromotion[]>;
  auditLog(limit: number): Promise<AuditEntry[]>;
  history(filter: HistoryFilter): Promise<HistoryPage>;
  /** One deployment with everything kept of it; refused with LEDGER_UNKNOWN_DEPLOYMENT when there is none. */
  deployment(id: number): Promise<DeploymentDetail>;
  /** Registered artifacts, newest first, optionally of one service. */
  artifacts(service: string | undefined): Promise<Artifact[]>;
  recordCheck(input: CheckInput, actor: Actor): Promise<CheckView>;
  latestChecks(): Promise<CheckView[]>;
  createToken(
    input: NewToken,
    actor: Actor,
  ): Promise<{ id: number; token: string; expiresAt: string | null }>;
  revokeToken(which: string, actor: Actor): Promise<TokenView>;
  tokens(actor: Actor): Promise<TokenView[]>;
}
