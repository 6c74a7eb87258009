/**
 * A real `stagecraft serve` for tests: the built CLI started as a child process on 127.0.0.1 with a free
 * port, its first admin token read from its stdout, and helpers to mint tokens and call the API over HTTP.
 * Stopped with SIGTERM after the test (or killed with SIGKILL by the test itself).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, EXAMPLE_SHOP, tempDir } from './cli.ts';
import { startPostgres } from './postgres.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered.
export type ApiAnswer = { status: number; body: any };

export interface RunningServer {
  url: string;
  adminToken: string;
  process: ChildProcess;
  /** What the server printed on stderr so far (its access and error log). */
  log(): string;
  /** A new token of this role (and environments), made through the API with the admin token. */
  token(name: string, role: string, environments?: string[]): Promise<string>;
  /** One API call; the answer's status and parsed JSON body. */
  call(method: string, path: string, token: string | undefined, body?: unknown): Promise<ApiAnswer>;
  /** SIGTERM, and waits for the process to end. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The folder holding stagecraft.yaml. */
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Make the first admin token (default true); false for a second server on a database that has one. */
  initAdmin?: boolean;
  /** The admin token to use when `initAdmin` is false. */
  adminToken?: string;
  args?: readonly string[];
  /** The CLI to run (default: this repository's build), e.g. an installed package's. */
  cli?: string;
}

export async function startServer(
  t: { after(fn: () => Promise<void>): void },
  options: ServerOptions,
): Promise<RunningServer> {
  const initAdmin = options.initAdmin ?? true;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.env })) {
    if (value !== undefined) env[key] = value;
  }
  const child = spawn(
    process.execPath,
    [
      options.cli ?? CLI,
      'serve',
      '--port',
      '0',
      ...(initAdmin ? ['--init-admin'] : []),
      ...(options.args ?? []),
    ],
    { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    let token = options.adminToken ?? '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      token ||= /(stagecraft_[A-Za-z0-9_-]{43})/.exec(stdout)?.[1] ?? '';
      const url = /stagecraft serve: (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, token });
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`stagecraft serve ended (${code ?? signal}) before listening:\n${stdout}\n${stderr}`)),
    );
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const { url, token: adminToken } = await ready.finally(() => clearTimeout(timer));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  t.after(stop);
  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered.
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed };
  };
  return {
    url,
    adminToken,
    process: child,
    log: () => stderr,
    call,
    stop,
    async token(name, role, environments) {
      const made = await call('POST', '/v1/tokens', adminToken, {
        name,
        role,
        ...(environments ? { environments } : {}),
      });
      if (made.status !== 200) throw new Error(`token ${name}: ${made.status} ${JSON.stringify(made.body)}`);
      return made.body.token as string;
    },
  };
}

/**
 * Two `stagecraft serve` processes on one throw-away PostgreSQL, serving a copy of the example shop: the
 * second uses the first's admin token. A string when PostgreSQL cannot run here (the test skips with it).
 */
export async function twoServersOnPostgres(t: {
  after(fn: () => unknown): void;
}): Promise<{ a: RunningServer; b: RunningServer; shop: string; env: Record<string, string> } | string> {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') return postgres;
  const shop = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, shop, { recursive: true });
  const env = { STAGECRAFT_DATABASE_URL: postgres.url };
  const a = await startServer(t, { cwd: shop, env });
  const b = await startServer(t, { cwd: shop, env, initAdmin: false, adminToken: a.adminToken });
  return { a, b, shop, env };
}
