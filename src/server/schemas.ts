/**
 * The API's bodies, declared once: requests are validated with them, and /openapi.json is generated from
 * them. Bounds are on every string and list, so no body can make the server hold or write more than a
 * request's worth.
 */
import { z } from '@hono/zod-openapi';
import type { Outcome } from '@stagecraft/config/errors';
import type { GitopsResult } from '../ledger/gitops.ts';
import type {
  Artifact as ArtifactType,
  AuditEntry as AuditEntryType,
  CheckView,
  DeploymentDetail as DeploymentDetailType,
  Deployment as DeploymentType,
  GateState as GateStateType,
  HistoryPage,
  NextPromotion as NextPromotionType,
  RejectedArtifact as RejectedArtifactType,
  TokenView,
} from '../ledger/ledger.ts';

/** The API's request and answer bodies, as TypeScript: the schemas below are checked against them. */
export interface ErrorBodyType {
  error: { code: string; message: string; hint?: string | undefined; outcome: Outcome };
}
export interface IdentityBody {
  name: string;
  role: string;
  environments: string[] | null;
  via: 'token' | 'oidc';
}
export interface RegisterArtifactBody {
  service: string;
  image: string;
  commit: string;
  author?: string | undefined;
  build?: Record<string, unknown> | undefined;
}
export interface StartDeploymentBody {
  environment: string;
  kind: 'deploy' | 'promote' | 'rollback';
  service?: string | undefined;
  release?: string | undefined;
  digest?: string | undefined;
  breakGlass?: string | undefined;
  runner?: { host: string; pid: number } | undefined;
}
export interface GateFailureBody {
  gate: string;
  message: string;
  hint: string;
}
export interface AdmittedBody {
  id: number;
  service: string;
  environment: string;
  artifact: ArtifactType;
  bypassed: GateFailureBody[];
  abandoned?: number | undefined;
}
export interface FinishStepBody {
  status: 'succeeded' | 'failed';
  output: string | null;
}
export interface ConfirmBody {
  service: string;
  environment: string;
  status: 'succeeded' | 'failed';
  live?: string[] | undefined;
}
export interface CreateReleaseBody {
  name: string;
  items: { service: string; digest: string }[];
}
export interface GateReportBody {
  kind: 'tests';
  commit: string;
  result: 'pass' | 'fail';
}
export interface VerificationBody {
  environment: string;
  service?: string | undefined;
  result: 'pass' | 'fail';
}
export interface ApprovalBody {
  service?: string | undefined;
  release?: string | undefined;
  environment: string;
}
export interface ApprovedBody {
  artifacts: ArtifactType[];
}
export interface ArtifactListBody {
  artifacts: ArtifactType[];
}
export interface AuditBody {
  audit: AuditEntryType[];
}
export interface RejectionBody {
  digest: string;
  reason: string;
}
export interface CreateTokenBody {
  name: string;
  role: string;
  environments?: string[] | undefined;
  expiresInMs?: number | undefined;
}
export interface RecordCheckBody {
  kind: 'parity' | 'drift' | 'check';
  name: string;
  environments: string[];
  status: 'clean' | 'problems' | 'error';
  summary: string;
  findings: number;
  report: string | null;
}
export interface LatestChecksBody {
  checks: CheckView[];
}
export interface OverviewBody {
  name: string;
  environments: { name: string; from: string | null; gates: string[] }[];
  services: string[];
  /** The roles that may approve a promotion (stagecraft.yaml ledger.approvers). */
  approvers: string[];
  rejected: RejectedArtifactType[];
}
export interface StatusBody {
  now: string;
  deployments: DeploymentType[];
  next: NextPromotionType[];
}

const name = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/)
    .openapi({ description: what });
const text = (max: number, what: string) => z.string().max(max).openapi({ description: what });
const result = z.enum(['pass', 'fail']);
const ending = z.enum(['succeeded', 'failed']);

export const ErrorBody: z.ZodType<ErrorBodyType> = z
  .object({
    error: z.object({
      code: z.string().openapi({
        description: 'A stable code; docs/errors.md explains each',
        example: 'LEDGER_GATE_FAILED',
      }),
      message: z.string(),
      hint: z.string().optional(),
      outcome: z.enum(['invalid', 'refused', 'failed', 'unavailable']),
    }),
  })
  .openapi('Error');

export const Identity: z.ZodType<IdentityBody> = z
  .object({
    name: z.string(),
    role: z.string(),
    environments: z.array(z.string()).nullable(),
    via: z.enum(['token', 'oidc']),
  })
  .openapi('Identity');

const timestamp = (what: string) =>
  z.string().openapi({ description: `${what}: ISO 8601 in UTC`, example: '2026-12-04T09:30:00.000Z' });

export const Artifact: z.ZodType<ArtifactType> = z
  .object({
    id: z.number().int(),
    service: z.string(),
    image: z.string().openapi({ description: 'repository@sha256:…' }),
    digest: z.string(),
    commit: z.string().openapi({ description: 'The commit it was built from, in full' }),
    author: z.string().nullable(),
    build: z.record(z.string(), z.unknown()).nullable(),
    registeredAt: timestamp('When it was registered'),
    registeredBy: z.string(),
    rehearsal: z.boolean(),
    rejected: z
      .object({ at: timestamp('When it was rejected'), by: z.string(), reason: z.string() })
      .nullable()
      .openapi({ description: 'Set once it is rejected everywhere' }),
  })
  .openapi('Artifact');

export const RegisterArtifact: z.ZodType<RegisterArtifactBody> = z
  .object({
    service: name('The service, as stagecraft.yaml names it'),
    image: text(512, 'repository@sha256:…'),
    commit: text(64, 'The commit built, in full (the CLI resolves a short one first)'),
    author: text(320, '"Name <email>" of the commit’s author').optional(),
    build: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Build metadata kept with it' }),
  })
  .openapi('RegisterArtifact');

const Runner = z.object({
  host: text(255, 'Host the deploy step runs on'),
  pid: z.number().int().positive(),
});

export const StartDeployment: z.ZodType<StartDeploymentBody> = z
  .object({
    environment: name('Where to'),
    kind: z.enum(['deploy', 'promote', 'rollback']),
    service: name('One service').optional(),
    release: name('Or every service of a release, as one unit').optional(),
    digest: text(71, 'sha256:…; by default the one the rules choose').optional(),
    breakGlass: text(1000, 'An admin’s reason to bypass the gates').optional(),
    runner: Runner.optional(),
  })
  .openapi('StartDeployment');

export const GateFailure: z.ZodType<GateFailureBody> = z.object({
  gate: z.string(),
  message: z.string(),
  hint: z.string(),
});

export const Admitted: z.ZodType<AdmittedBody> = z
  .object({
    id: z.number().int(),
    service: z.string(),
    environment: z.string(),
    artifact: Artifact,
    bypassed: z.array(GateFailure),
    abandoned: z.number().int().optional(),
  })
  .openapi('AdmittedDeployment');

export const FinishStep: z.ZodType<FinishStepBody> = z
  .object({ status: ending, output: text(1_000_000, 'The step’s (redacted) output').nullable() })
  .openapi('FinishStep');

export const RecordCommit: z.ZodType<GitopsResult> = z
  .object({
    commit: text(64, 'The GitOps commit'),
    files: z.array(text(4096, 'A file it changed')).max(1000),
  })
  .openapi('RecordCommit');

export const Confirm: z.ZodType<ConfirmBody> = z
  .object({
    service: name('The service'),
    environment: name('The environment'),
    status: ending,
    live: z
      .array(text(512, 'An image the cluster runs'))
      .max(10_000)
      .optional()
      .openapi({ description: 'With --live: the images the cluster runs, read by the caller' }),
  })
  .openapi('Confirm');

export const CreateRelease: z.ZodType<CreateReleaseBody> = z
  .object({
    name: name('The release'),
    items: z
      .array(z.object({ service: name('A service'), digest: text(71, 'sha256:…') }))
      .min(1)
      .max(500),
  })
  .openapi('CreateRelease');

export const GateReport: z.ZodType<GateReportBody> = z
  .object({ kind: z.literal('tests'), commit: text(64, 'The commit tested'), result })
  .openapi('GateReport');

export const Verification: z.ZodType<VerificationBody> = z
  .object({
    environment: name('The environment checked'),
    service: name('One service of it').optional(),
    result,
  })
  .openapi('Verification');

export const Approval: z.ZodType<ApprovalBody> = z
  .object({
    service: name('The service (or release)').optional(),
    release: name('Or every artifact of a release, all or none').optional(),
    environment: name('The environment it would be promoted to'),
  })
  .refine((body) => (body.service === undefined) !== (body.release === undefined), {
    message: 'name a service or a release, not both',
  })
  .openapi('Approval');

export const Approved: z.ZodType<ApprovedBody> = z
  .object({ artifacts: z.array(Artifact) })
  .openapi('Approved');

export const ArtifactList: z.ZodType<ArtifactListBody> = z
  .object({ artifacts: z.array(Artifact) })
  .openapi('ArtifactList');

export const Rejection: z.ZodType<RejectionBody> = z
  .object({
    digest: text(71, 'sha256:…'),
    reason: text(1000, 'Why; shown wherever the artifact appears').min(1),
  })
  .openapi('Rejection');

export const CreateToken: z.ZodType<CreateTokenBody> = z
  .object({
    name: name('Who the token speaks for'),
    role: name('Its role'),
    environments: z.array(name('An environment')).max(100).optional(),
    expiresInMs: z
      .number()
      .int()
      .positive()
      .max(10 * 365 * 86_400_000)
      .optional(),
  })
  .openapi('CreateToken');

export const Token: z.ZodType<TokenView> = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.string(),
    environments: z.array(z.string()).nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    state: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('Token');

const deploymentFields = {
  id: z.number().int(),
  environment: z.string(),
  service: z.string(),
  kind: z.enum(['deploy', 'promote', 'rollback']),
  status: z.enum(['pending', 'succeeded', 'failed']),
  stale: z.string().nullable().openapi({ description: 'A pending deploy step whose process is gone: why' }),
  digest: z.string(),
  image: z.string(),
  commit: z.string(),
  actor: z.string(),
  role: z.string(),
  breakGlass: z.boolean().openapi({ description: 'An admin bypassed the gates; reason says why' }),
  reason: z.string().nullable(),
  createdAt: timestamp('When it was recorded'),
  finishedAt: timestamp('When it ended').nullable(),
  rehearsal: z.boolean(),
};

/** A deployment: one shape in status, history, the audit log and `deployment show`. */
export const Deployment: z.ZodType<DeploymentType> = z.object(deploymentFields).openapi('Deployment');

export const DeploymentDetail: z.ZodType<DeploymentDetailType> = z
  .object({
    ...deploymentFields,
    author: z.string().nullable(),
    output: z.string().nullable().openapi({ description: 'The deploy step’s output, redacted when kept' }),
    host: z.string().nullable(),
    pid: z.number().int().nullable(),
    heartbeatAt: timestamp('The deploy step’s last heartbeat').nullable(),
  })
  .openapi('DeploymentDetail');

export const GateState: z.ZodType<GateStateType> = z
  .object({
    gate: z.string(),
    message: z.string(),
    hint: z.string().openapi({ description: 'What would make it pass' }),
    blocked: z.boolean().openapi({ description: 'It can never pass for this artifact' }),
    reset: z.string().nullable().openapi({ description: 'When blocked: what would start over' }),
  })
  .openapi('GateState');

export const NextPromotion: z.ZodType<NextPromotionType> = z
  .object({
    environment: z.string(),
    service: z.string(),
    digest: z.string(),
    gates: z.array(GateState).openapi({ description: 'The gates that do not pass now; empty: ready' }),
    blocked: z.boolean().openapi({ description: 'A gate can never pass for this artifact' }),
  })
  .openapi('NextPromotion');

export const Status: z.ZodType<StatusBody> = z
  .object({
    now: timestamp('The ledger’s time'),
    deployments: z.array(Deployment),
    next: z.array(NextPromotion),
  })
  .openapi('Status');

export const History: z.ZodType<HistoryPage> = z
  .object({
    deployments: z.array(Deployment),
    more: z.number().int().openapi({ description: 'How many more match beyond the limit' }),
  })
  .openapi('History');

export const AuditEntry: z.ZodType<AuditEntryType> = z
  .object({
    id: z.number().int(),
    at: timestamp('When'),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    subject: z.string(),
    outcome: z.enum(['done', 'refused']),
    detail: z.string().nullable(),
    rehearsal: z.boolean(),
    deployment: Deployment.nullable().openapi({ description: 'The deployment the entry refers to, if any' }),
  })
  .openapi('AuditEntry');

export const Audit: z.ZodType<AuditBody> = z.object({ audit: z.array(AuditEntry) }).openapi('Audit');

const checkKind = z.enum(['parity', 'drift', 'check']);
const checkStatus = z.enum(['clean', 'problems', 'error']);

export const RecordCheck: z.ZodType<RecordCheckBody> = z
  .object({
    kind: checkKind,
    name: z.string().min(1).max(300).openapi({
      description: 'What was checked: staging↔production, kubernetes production, terraform production',
    }),
    environments: z
      .array(name('An environment of stagecraft.yaml'))
      .max(100)
      .openapi({ description: 'The environments it concerns; none for folders' }),
    status: checkStatus.openapi({
      description: 'clean: nothing found; problems: violations or drift; error: the check could not evaluate',
    }),
    summary: text(1000, 'One line, as the check’s own last line says it'),
    findings: z.number().int().min(0).max(100_000_000),
    report: z
      .string()
      // The client cuts a report to 256 KiB of UTF-8 first; in characters that is at most as many.
      .max(256 * 1024)
      .nullable()
      .openapi({
        description:
          'The JSON `--format json` printed; the server masks what the secret scanner recognises and cuts it to 256 KiB',
      }),
  })
  .openapi('RecordCheck');

export const Check: z.ZodType<CheckView> = z
  .object({
    id: z.number().int(),
    kind: checkKind,
    name: z.string(),
    environments: z.array(z.string()),
    status: checkStatus,
    summary: z.string(),
    findings: z.number().int(),
    at: z.string(),
    actor: z.string(),
  })
  .openapi('Check');

export const LatestChecks: z.ZodType<LatestChecksBody> = z
  .object({ checks: z.array(Check) })
  .openapi('LatestChecks');
export const RejectedArtifact: z.ZodType<RejectedArtifactType> = z
  .object({
    service: z.string(),
    digest: z.string(),
    reason: z.string(),
    at: z.string(),
    by: z.string(),
  })
  .openapi('RejectedArtifact');

export const Overview: z.ZodType<OverviewBody> = z
  .object({
    name: z.string().openapi({ description: 'The workspace, as stagecraft.yaml names it' }),
    environments: z
      .array(
        z.object({
          name: z.string(),
          from: z
            .string()
            .nullable()
            .openapi({ description: 'The environment promoted from; null at the start' }),
          gates: z.array(z.string()).openapi({ description: 'Its gates, as `workspace show` words them' }),
        }),
      )
      .openapi({ description: 'In promotion order' }),
    services: z.array(z.string()),
    approvers: z.array(z.string()).openapi({ description: 'The roles that may approve a promotion' }),
    rejected: z.array(RejectedArtifact).openapi({ description: 'Rejected artifacts, newest first' }),
  })
  .openapi('Overview');
