/**
 * The API's bodies, declared once: requests are validated with them, and /openapi.json is generated from
 * them. Bounds are on every string and list, so no body can make the server hold or write more than a
 * request's worth.
 */
import { z } from '@hono/zod-openapi';
import type { Outcome } from '@stagecraft/config/errors';
import type { GitopsResult } from '../ledger/gitops.ts';
import type {
  ArtifactRow,
  AuditRow as AuditRowType,
  CheckView,
  HistoryRow as HistoryRowType,
  NextPromotion as NextPromotionType,
  RejectedArtifact as RejectedArtifactType,
  StatusRow as StatusRowType,
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
  artifact: ArtifactRow;
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
  service: string;
  environment: string;
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
  kind: 'parity' | 'drift';
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
  deployments: StatusRowType[];
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

export const Artifact: z.ZodType<ArtifactRow> = z
  .object({
    id: z.number().int(),
    service: z.string(),
    image: z.string(),
    digest: z.string(),
    commit_sha: z.string(),
    author: z.string().nullable(),
    build: z.string().nullable(),
    registered_at: z.string(),
    registered_by: z.string(),
    rehearsal: z.number().int(),
    rejected_at: z.string().nullable(),
    rejected_by: z.string().nullable(),
    reject_reason: z.string().nullable(),
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
  .object({ service: name('The service'), environment: name('The environment it would be promoted to') })
  .openapi('Approval');

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

export const StatusRow: z.ZodType<StatusRowType> = z
  .object({
    environment: z.string(),
    service: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    stale: z.string().nullable(),
    digest: z.string(),
    commit: z.string(),
    at: z.string(),
    id: z.number().int(),
    rehearsal: z.boolean(),
  })
  .openapi('StatusRow');

export const NextPromotion: z.ZodType<NextPromotionType> = z
  .object({ environment: z.string(), service: z.string(), digest: z.string(), gates: z.array(z.string()) })
  .openapi('NextPromotion');

export const Status: z.ZodType<StatusBody> = z
  .object({ now: z.string(), deployments: z.array(StatusRow), next: z.array(NextPromotion) })
  .openapi('Status');

export const HistoryRow: z.ZodType<HistoryRowType> = z
  .object({
    id: z.number().int(),
    break_glass: z.number().int(),
    reason: z.string().nullable(),
    environment: z.string(),
    service: z.string(),
    kind: z.enum(['deploy', 'promote', 'rollback']),
    status: z.enum(['pending', 'succeeded', 'failed']),
    actor: z.string(),
    role: z.string(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    rehearsal: z.number().int(),
    digest: z.string(),
    commit_sha: z.string(),
  })
  .openapi('HistoryRow');

export const AuditRow: z.ZodType<AuditRowType> = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    subject: z.string(),
    outcome: z.enum(['done', 'refused']),
    detail: z.string().nullable(),
    rehearsal: z.number().int(),
  })
  .openapi('AuditRow');

const checkKind = z.enum(['parity', 'drift']);
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
