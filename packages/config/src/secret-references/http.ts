/**
 * HTTP for the backends that speak it (Vault, the Kubernetes API): node's own client, so a backend can trust
 * the CA its platform names (VAULT_CACERT, the service account's ca.crt) without a global setting; a timeout
 * on every request; a cap on what is read; and bounded retries with backoff that honour Retry-After.
 * Errors carry what went wrong on the wire — never a request or response body, which may hold a secret.
 */
// node:http and node:https are imported when the first request is sent: the config package is one bundle,
// and an app that names no HTTP backend must not load them.
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'LIST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM certificates to trust for https, instead of the system's. */
  ca?: string | Buffer;
  /** Accept any certificate (VAULT_SKIP_VERIFY): for a lab, never a default. */
  insecure?: boolean;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Largest response body read; default 4 MiB. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RetryPolicy {
  /** Attempts after the first; default 3. */
  retries?: number;
  /** First backoff; doubled per attempt, with full jitter; default 200 ms. */
  baseDelayMs?: number;
  /** The longest a Retry-After is waited for; a longer one fails at once, saying when to retry. Default 10 s. */
  maxWaitMs?: number;
  /** Tests pass a clock that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** The request could not be answered: unreachable, timed out, reset, too large. `code` is node's or ours. */
export class HttpUnavailable extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** One request, one answer (any status); rejects with HttpUnavailable when no answer came. */
export async function send(options: HttpRequest): Promise<HttpResponse> {
  const url = new URL(options.url);
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') {
    return Promise.reject(new HttpUnavailable('EPROTOCOL', `${url.protocol} is not http or https`));
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { request } = https ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(url, {
      method: options.method,
      headers,
      ...(https && options.ca !== undefined ? { ca: options.ca } : {}),
      ...(https && options.insecure ? { rejectUnauthorized: false } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(new HttpUnavailable('ETIMEDOUT', `no answer from ${url.host} within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error instanceof HttpUnavailable
          ? error
          : new HttpUnavailable(error.code ?? 'ENETWORK', `${url.host}: ${error.message}`),
      );
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          clearTimeout(timer);
          reject(new HttpUnavailable('ETOOLARGE', `${url.host} answered with more than ${maxBytes} bytes`));
          res.removeAllListeners('data');
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', () => {}); // the request's error handler reports it
    });
    req.end(options.body);
  });
}

/** Statuses worth another attempt: throttled, or a server (or a proxy before it) not ready. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Failures of the connection worth another attempt; a refused TLS handshake or a bad URL is not. */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * `send` with bounded retries: exponential backoff with full jitter, or the server's Retry-After when it
 * gives one (up to `maxWaitMs`). The last answer is returned whatever its status, for the backend to explain;
 * the last connection failure is thrown.
 */
export async function sendWithRetries(options: HttpRequest, policy: RetryPolicy = {}): Promise<HttpResponse> {
  const retries = policy.retries ?? 3;
  const base = policy.baseDelayMs ?? 200;
  const maxWait = policy.maxWaitMs ?? 10_000;
  const sleep = policy.sleep ?? ((ms: number) => sleepFor(ms));
  for (let attempt = 0; ; attempt++) {
    const backoff = Math.random() * base * 2 ** attempt;
    let response: HttpResponse;
    try {
      response = await send(options);
    } catch (error) {
      if (attempt >= retries || !(error instanceof HttpUnavailable) || !RETRYABLE_CODES.has(error.code))
        throw error;
      await sleep(backoff);
      continue;
    }
    if (attempt >= retries || !RETRYABLE_STATUS.has(response.status)) return response;
    const asked = retryAfterMs(response.headers['retry-after']);
    if (asked !== undefined && asked > maxWait) return response;
    await sleep(asked ?? backoff);
  }
}

/** Retry-After as milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
