/**
 * The CLI's side of the server: the same ledger interface as the local ledger (ledger/api.ts), over HTTP with
 * STAGECRAFT_URL and STAGECRAFT_TOKEN. What only this machine can do stays here — resolving a short commit
 * and its author in the checkout, running the deploy step, reading live objects — and every decision is the
 * server's. An error the server answers with comes back as the same error (code, message, hint, outcome),
 * so it prints and exits as it would locally; a server that cannot be reached is exit 1 with the URL and why.
 */
import { hostname } from 'node:os';
import { type Code, declaredCodes, isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import type { GitEnvironment } from '../git/run.ts';
import type { AdmissionRequest, ReleaseRequest, Runner } from '../ledger/admission.ts';
import type { ArtifactInput, LedgerApi } from '../ledger/api.ts';
import {
  type Deployed,
  type DeployHooks,
  type DeployRequest,
  deployAndCarryOut,
} from '../ledger/carry-out.ts';
import { keptReport } from '../ledger/check-report.ts';
import { commitAuthor, fullCommit } from '../ledger/commits.ts';
import type { Confirmation, Ending } from '../ledger/endings.ts';
import type { GitopsResult } from '../ledger/gitops.ts';
import type {
  Actor,
  Admitted,
  Artifact,
  AuditEntry,
  CheckInput,
  CheckView,
  Deployment,
  DeploymentDetail,
  HistoryFilter,
  HistoryPage,
  NewToken,
  NextPromotion,
  TokenView,
} from '../ledger/ledger.ts';
import { Refusal } from '../ledger/ledger.ts';
import { environmentNamed } from '../ledger/policy.ts';
import type { CheckResult, DeploymentKind } from '../ledger/schema.ts';
import { ServerCodes } from './errors.ts';
import type {
  AdmittedBody,
  ApprovedBody,
  ArtifactListBody,
  AuditBody,
  ErrorBodyType,
  IdentityBody,
  StatusBody,
} from './schemas.ts';

const TIMEOUT_MS = 30_000;
/** An answer larger than this is not the API's: it is refused before it fills memory. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface RemoteOptions {
  url: string;
  token: string;
  /** The caller's workspace: where short commits are resolved and deploy steps are found. */
  workspace: Workspace;
  gitEnv?: GitEnvironment | undefined;
  timeoutMs?: number | undefined;
}

/** STAGECRAFT_URL and STAGECRAFT_TOKEN, checked; undefined when no URL is set (the local ledger). */
export function remoteSettings(
  env: Readonly<Record<string, string | undefined>>,
): { url: string; token: string } | undefined {
  const raw = env['STAGECRAFT_URL'];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StagecraftError(ServerCodes.SERVER_BAD_URL, `STAGECRAFT_URL="${raw}" is not a URL`, {
      hint: 'use the server’s address, e.g. STAGECRAFT_URL=https://stagecraft.example.com',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StagecraftError(
      ServerCodes.SERVER_BAD_URL,
      `STAGECRAFT_URL must be http:// or https://, not ${url.protocol}`,
      {
        hint: 'use the server’s address, e.g. STAGECRAFT_URL=https://stagecraft.example.com',
      },
    );
  }
  if (url.username || url.password) {
    throw new StagecraftError(
      ServerCodes.SERVER_BAD_URL,
      'STAGECRAFT_URL must not carry a user or password',
      {
        hint: 'put the token in STAGECRAFT_TOKEN',
      },
    );
  }
  const token = env['STAGECRAFT_TOKEN']?.trim();
  if (!token) {
    throw new StagecraftError(
      ServerCodes.SERVER_BAD_URL,
      'STAGECRAFT_URL is set but STAGECRAFT_TOKEN is not',
      {
        hint: 'set STAGECRAFT_TOKEN to a token from `stagecraft token create` (or the CI job’s OIDC token), or unset STAGECRAFT_URL for a local ledger',
      },
    );
  }
  return { url: url.toString().replace(/\/+$/, ''), token };
}

export class RemoteLedger implements LedgerApi {
  readonly rehearsal = false;
  readonly workspace: Workspace;
  private readonly runner: Runner = { host: hostname(), pid: process.pid };
  private statusAnswer: Promise<StatusBody> | undefined;

  constructor(private readonly options: RemoteOptions) {
    this.workspace = options.workspace;
  }

  /** Who the token proves the caller is: checked first, so a bad token fails before anything runs. */
  async whoami(): Promise<Actor & { via: string }> {
    const body = await this.request<IdentityBody>('GET', '/v1/whoami');
    return { name: body.name, role: body.role, environments: body.environments ?? undefined, via: body.via };
  }

  async now(): Promise<Date> {
    return new Date((await this.statusOnce()).now);
  }

  registerArtifact(input: ArtifactInput): Promise<Artifact> {
    // The checkout is here, not on the server: a short commit and its author are resolved here.
    const root = this.workspace.root;
    const commit = fullCommit(input.commit, root, this.options.gitEnv);
    const author = input.author ?? commitAuthor(commit, root, this.options.gitEnv);
    return this.request('POST', '/v1/artifacts', { ...input, commit, ...(author ? { author } : {}) });
  }

  deploy(request: DeployRequest, actor: Actor, hooks: DeployHooks): Promise<Deployed[]> {
    return deployAndCarryOut(this, { ...request, runner: this.runner }, actor, hooks);
  }

  async startDeployment(
    input: AdmissionRequest & { environment: string; kind: DeploymentKind },
  ): Promise<Admitted> {
    const [admitted] = await this.admit({ ...input, release: undefined });
    if (!admitted)
      throw new StagecraftError(ServerCodes.SERVER_BAD_RESPONSE, 'the server admitted no deployment');
    return admitted;
  }

  startRelease(input: ReleaseRequest): Promise<Admitted[]> {
    return this.admit(input);
  }

  private async admit(input: {
    environment: string;
    kind: DeploymentKind;
    service?: string | undefined;
    release?: string | undefined;
    digest?: string | undefined;
    breakGlass?: string | undefined;
  }): Promise<Admitted[]> {
    const body = {
      environment: input.environment,
      kind: input.kind,
      ...(input.service ? { service: input.service } : {}),
      ...(input.release ? { release: input.release } : {}),
      ...(input.digest ? { digest: input.digest } : {}),
      ...(input.breakGlass !== undefined ? { breakGlass: input.breakGlass } : {}),
      runner: this.runner,
    };
    const admitted = await this.request<AdmittedBody[]>('POST', '/v1/deployments', body);
    // The step this machine runs is the one its own stagecraft.yaml declares for the environment.
    return admitted.map((item) => ({
      ...item,
      environment: environmentNamed(this.workspace, item.environment),
      bypassed: item.bypassed as Admitted['bypassed'],
    }));
  }

  async heartbeat(id: number): Promise<void> {
    await this.request('POST', `/v1/deployments/${id}/heartbeat`);
  }

  async finishDeployment(id: number, status: Ending, output: string | null): Promise<void> {
    await this.request('POST', `/v1/deployments/${id}/finish`, { status, output });
  }

  recordCommit(id: number, commit: () => GitopsResult): Promise<GitopsResult> {
    // The commit is made here, in this checkout; the server keeps it on the deployment (or refuses, and
    // ends the deployment failed, as locally).
    return this.request('POST', `/v1/deployments/${id}/commit`, commit());
  }

  async createRelease(name: string, items: readonly { service: string; digest: string }[]): Promise<number> {
    return (await this.request<{ id: number }>('POST', '/v1/releases', { name, items })).id;
  }

  async reportGate(kind: 'tests', commit: string, result: CheckResult): Promise<string> {
    const full = fullCommit(commit, this.workspace.root, this.options.gitEnv);
    return (await this.request<{ commit: string }>('POST', '/v1/gates/tests', { kind, commit: full, result }))
      .commit;
  }

  async verify(environment: string, service: string | undefined, result: CheckResult): Promise<void> {
    await this.request('POST', '/v1/verifications', { environment, ...(service ? { service } : {}), result });
  }

  async approve(service: string, environment: string): Promise<Artifact> {
    const [artifact] = (await this.request<ApprovedBody>('POST', '/v1/approvals', { service, environment }))
      .artifacts;
    if (!artifact)
      throw new StagecraftError(ServerCodes.SERVER_BAD_RESPONSE, 'the server approved no artifact');
    return artifact;
  }

  async approveRelease(release: string, environment: string): Promise<Artifact[]> {
    return (await this.request<ApprovedBody>('POST', '/v1/approvals', { release, environment })).artifacts;
  }

  deployment(id: number): Promise<DeploymentDetail> {
    return this.request('GET', `/v1/deployments/${id}`);
  }

  async artifacts(service: string | undefined): Promise<Artifact[]> {
    const suffix = service ? `?${new URLSearchParams({ service })}` : '';
    return (await this.request<ArtifactListBody>('GET', `/v1/artifacts${suffix}`)).artifacts;
  }

  async confirm(input: Confirmation): Promise<number> {
    const live = input.live ? [...input.live()] : undefined;
    const body = {
      service: input.service,
      environment: input.environment,
      status: input.status,
      ...(live ? { live } : {}),
    };
    return (await this.request<{ id: number }>('POST', '/v1/deployments/confirm', body)).id;
  }

  async reject(digest: string, reason: string): Promise<number> {
    return (await this.request<{ count: number }>('POST', '/v1/rejections', { digest, reason })).count;
  }

  async status(): Promise<Deployment[]> {
    return (await this.statusOnce()).deployments;
  }

  async pendingGates(): Promise<NextPromotion[]> {
    return (await this.statusOnce()).next;
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    return (await this.request<AuditBody>('GET', `/v1/audit?limit=${limit}`)).audit;
  }

  history(filter: HistoryFilter): Promise<HistoryPage> {
    const query = new URLSearchParams({ limit: String(filter.limit) });
    if (filter.environment) query.set('environment', filter.environment);
    if (filter.service) query.set('service', filter.service);
    return this.request('GET', `/v1/history?${query}`);
  }

  recordCheck(input: CheckInput): Promise<CheckView> {
    // Masked and cut here too: what leaves this machine holds no secret the scanner knows, and a large
    // report fits the server's body limit. The server does the same again with what it receives.
    return this.request('POST', '/v1/checks', {
      ...input,
      environments: [...input.environments],
      report: input.report === null ? null : keptReport(input.report),
    });
  }

  async latestChecks(): Promise<CheckView[]> {
    return (await this.request<{ checks: CheckView[] }>('GET', '/v1/checks/latest')).checks;
  }

  createToken(input: NewToken): Promise<{ id: number; token: string; expiresAt: string | null }> {
    return this.request('POST', '/v1/tokens', {
      name: input.name,
      role: input.role,
      ...(input.environments?.length ? { environments: [...input.environments] } : {}),
      ...(input.expiresInMs !== undefined ? { expiresInMs: input.expiresInMs } : {}),
    });
  }

  revokeToken(which: string): Promise<TokenView> {
    return this.request('DELETE', `/v1/tokens/${encodeURIComponent(which)}`);
  }

  async tokens(): Promise<TokenView[]> {
    return (await this.request<{ tokens: TokenView[] }>('GET', '/v1/tokens')).tokens;
  }

  /** One /v1/status answer serves status, the gates ahead and the time: one command, one request. */
  private statusOnce(): Promise<StatusBody> {
    this.statusAnswer ??= this.request<StatusBody>('GET', '/v1/status');
    return this.statusAnswer;
  }

  private async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const { url, token } = this.options;
    const target = `${url}${path}`;
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined && method !== 'POST' ? {} : { 'content-type': 'application/json' }),
        },
        ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new StagecraftError(
        ServerCodes.SERVER_UNREACHABLE,
        `cannot reach the stagecraft server at ${url}: ${causeOf(error)}`,
        {
          hint: 'check STAGECRAFT_URL and that `stagecraft serve` runs there; unset STAGECRAFT_URL to use a local ledger',
        },
      );
    }
    const text = await readAnswer(response, url);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StagecraftError(
        ServerCodes.SERVER_BAD_RESPONSE,
        `${url} answered ${method} ${path} with HTTP ${response.status} and a body that is not JSON`,
        { hint: 'check that STAGECRAFT_URL points at `stagecraft serve` itself, not a proxy’s page' },
      );
    }
    if (response.ok) return parsed as T;
    throw errorFrom(parsed, response.status, url);
  }
}

/**
 * The answer's text, read up to MAX_ANSWER_BYTES whatever its Content-Length says (a chunked answer has none):
 * something that is not the API cannot fill the CLI's memory.
 */
async function readAnswer(response: Response, url: string): Promise<string> {
  const tooLarge = () =>
    new StagecraftError(
      ServerCodes.SERVER_BAD_RESPONSE,
      `${url} sent an answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
      { hint: 'check that STAGECRAFT_URL points at `stagecraft serve` itself' },
    );
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      // Leaving the loop cancels the stream: nothing more is read.
      if (size > MAX_ANSWER_BYTES) break;
      chunks.push(chunk);
    }
  } catch (error) {
    if (isStagecraftError(error)) throw error;
    throw new StagecraftError(
      ServerCodes.SERVER_UNREACHABLE,
      `the answer from ${url} broke off: ${causeOf(error)}`,
      {
        hint: 'try again; check the server’s log',
      },
    );
  }
  if (size > MAX_ANSWER_BYTES) throw tooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

/** The server's error as the error it was there: a refusal stays a refusal (exit 2), with its code and hint. */
function errorFrom(parsed: unknown, status: number, url: string): StagecraftError {
  const error = (parsed as Partial<ErrorBodyType> | null)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    return new StagecraftError(
      ServerCodes.SERVER_BAD_RESPONSE,
      `${url} answered HTTP ${status} without an error body`,
      {
        hint: 'check that STAGECRAFT_URL points at `stagecraft serve` itself',
      },
    );
  }
  const known = declaredCodes().some((declared) => declared.code === error.code);
  const code = error.code as Code;
  const options = { hint: error.hint };
  const result =
    error.outcome === 'refused'
      ? new Refusal(code, error.message, options)
      : new StagecraftError(code, error.message, options);
  // A code this copy of stagecraft does not know (a newer server's) keeps the server's outcome.
  if (!known && error.outcome) Object.defineProperty(result, 'outcome', { value: error.outcome });
  return result;
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000}s`;
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code
    ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}`
    : (cause?.message ?? error.message);
}
