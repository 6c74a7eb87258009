/**
 * Where the Kubernetes API is and who stagecraft is there: the pod's service account, or a kubeconfig context.
 *
 * In a pod (KUBERNETES_SERVICE_HOST set), the service account's token and CA are read from
 * /var/run/secrets/kubernetes.io/serviceaccount (STAGECRAFT_K8S_SERVICEACCOUNT_DIR overrides the folder). The
 * token is read again for every request: bound tokens expire within hours and the kubelet rewrites the file
 * before they do, so a token kept in memory would stop working while the file holds a good one.
 *
 * Outside a pod, a kubeconfig as kubectl reads it: KUBECONFIG (a list of files, the first to name a cluster, user
 * or context wins) or ~/.kube/config; the context asked for or the current one; the cluster's server,
 * certificate-authority(-data) and insecure-skip-tls-verify; the user's token, tokenFile or client
 * certificate and key (-data). Relative paths are relative to the file that names them. Credential plugins
 * (`exec`, `auth-provider`) are refused with a message: they run programs, which a config loader should not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseYaml } from '../../yaml/document.ts';
import { type Env, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';

export const DEFAULT_SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeCredentials {
  /** The API server's base URL, without a trailing slash. */
  server: string;
  ca?: string | Buffer | undefined;
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  insecure?: boolean;
  /** The bearer token now (read again for each request), if the identity is a token. */
  token(): string | undefined;
  /** Who stagecraft is, for messages: "the service account token in DIR" or "kubeconfig FILE, context NAME". */
  identity: string;
  mode: 'serviceaccount' | 'kubeconfig';
}

export interface CredentialOptions {
  context?: string | undefined;
  kubeconfig?: string | undefined;
  inCluster: boolean;
}

/** The service account when in a pod (or asked for), else a kubeconfig context. */
export function kubeCredentials(
  reference: SecretReference,
  env: Env,
  options: CredentialOptions,
): KubeCredentials {
  const inPod = Boolean(env['KUBERNETES_SERVICE_HOST']);
  if (options.inCluster || (inPod && options.context === undefined && options.kubeconfig === undefined)) {
    return serviceAccount(reference, env);
  }
  return fromKubeconfig(reference, env, options);
}

function missing(reference: SecretReference, message: string, hint: string): SecretError {
  return new SecretError(SecretCodes.SECRET_CREDENTIALS_MISSING, `${reference.text}: ${message}`, { hint });
}

function serviceAccount(reference: SecretReference, env: Env): KubeCredentials {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'] || '443';
  const dir = env['STAGECRAFT_K8S_SERVICEACCOUNT_DIR'] || DEFAULT_SERVICEACCOUNT_DIR;
  if (!host) {
    throw missing(
      reference,
      'KUBERNETES_SERVICE_HOST is not set, so there is no in-cluster API server to ask',
      'run it in a pod, or drop ?inCluster to use a kubeconfig context',
    );
  }
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  if (!existsSync(tokenFile)) {
    throw missing(
      reference,
      `there is no service account token at ${tokenFile}`,
      'mount the service account token (automountServiceAccountToken: true) or set STAGECRAFT_K8S_SERVICEACCOUNT_DIR to where it is',
    );
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: existsSync(caFile) ? readFileSync(caFile) : undefined,
    token: () =>
      readToken(reference, tokenFile, 'of the service account', 'check the service account token volume'),
    identity: `the service account token in ${dir}`,
    mode: 'serviceaccount',
  };
}

/** A token file read now; one that went away is a credentials problem, not a crash. */
function readToken(reference: SecretReference, file: string, whose: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw missing(
      reference,
      `the token file ${file} ${whose} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      hint,
    );
  }
}

type Json = Record<string, unknown>;
interface Named {
  entry: Json;
  file: string;
}

function kubeconfigFiles(env: Env, explicit: string | undefined): string[] {
  if (explicit) return [explicit];
  const list = env['KUBECONFIG'];
  if (list) return list.split(delimiter).filter(Boolean);
  return [join(env['HOME'] || homedir(), '.kube', 'config')];
}

function fromKubeconfig(reference: SecretReference, env: Env, options: CredentialOptions): KubeCredentials {
  const files = kubeconfigFiles(env, options.kubeconfig).filter((file) => existsSync(file));
  if (files.length === 0) {
    throw missing(
      reference,
      `no kubeconfig found (${kubeconfigFiles(env, options.kubeconfig).join(', ')}) and not in a pod`,
      'set KUBECONFIG or ?kubeConfigPath=, or run in a pod with a service account',
    );
  }
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  let current: string | undefined;
  for (const file of files) {
    let document: unknown;
    try {
      document = parseYaml(readFileSync(file, 'utf8'), file);
    } catch {
      // The parser's message may quote the file, which can hold a token.
      throw missing(reference, `the kubeconfig ${file} is not valid YAML`, 'fix or replace it');
    }
    const config = (document ?? {}) as Json;
    for (const [list, into, field] of [
      ['clusters', clusters, 'cluster'],
      ['users', users, 'user'],
      ['contexts', contexts, 'context'],
    ] as const) {
      for (const item of Array.isArray(config[list]) ? (config[list] as Json[]) : []) {
        const name = typeof item?.['name'] === 'string' ? item['name'] : undefined;
        if (name !== undefined && !into.has(name)) {
          into.set(name, { entry: (item[field] ?? {}) as Json, file });
        }
      }
    }
    if (current === undefined && typeof config['current-context'] === 'string' && config['current-context'])
      current = config['current-context'];
  }
  const shown = files.join(', ');
  const contextName = options.context ?? current;
  if (contextName === undefined) {
    throw missing(
      reference,
      `the kubeconfig ${shown} has no current context`,
      `name one with ?context=NAME (contexts: ${[...contexts.keys()].join(', ') || 'none'})`,
    );
  }
  const context = contexts.get(contextName);
  if (!context) {
    throw missing(
      reference,
      `the kubeconfig ${shown} has no context "${contextName}"`,
      `its contexts are ${[...contexts.keys()].join(', ') || 'none'}`,
    );
  }
  const clusterName = String(context.entry['cluster'] ?? '');
  const userName = String(context.entry['user'] ?? '');
  const cluster = clusters.get(clusterName);
  const server = typeof cluster?.entry['server'] === 'string' ? cluster.entry['server'] : undefined;
  if (!cluster || !server) {
    throw missing(
      reference,
      `context "${contextName}" in ${shown} names cluster "${clusterName}", which ${cluster ? 'has no server' : 'is not there'}`,
      'fix the kubeconfig (kubectl config view shows it)',
    );
  }
  const user = users.get(userName) ?? { entry: {}, file: context.file };
  const identity = `user "${userName}" of context "${contextName}" in ${shown}`;
  if (user.entry['exec'] !== undefined || user.entry['auth-provider'] !== undefined) {
    throw missing(
      reference,
      `${identity} gets its credentials from ${user.entry['exec'] !== undefined ? 'an exec plugin' : 'an auth-provider'}, which stagecraft does not support yet`,
      'use a context whose user has a token or client certificate (e.g. a service account token from `kubectl create token`), or run in a pod',
    );
  }
  const fileOf = (named: Named, value: unknown) =>
    typeof value === 'string' && value
      ? isAbsolute(value)
        ? value
        : resolve(dirname(named.file), value)
      : undefined;
  const pem = (named: Named, field: string): Buffer | undefined => {
    const data = named.entry[`${field}-data`];
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
    const file = fileOf(named, named.entry[field]);
    if (file === undefined) return undefined;
    if (!existsSync(file)) {
      throw missing(
        reference,
        `the ${field} ${file} named in ${named.file} does not exist`,
        'fix the kubeconfig',
      );
    }
    return readFileSync(file);
  };
  const token = typeof user.entry['token'] === 'string' ? user.entry['token'] : undefined;
  const tokenFile = fileOf(user, user.entry['tokenFile']);
  return {
    server: server.replace(/\/+$/, ''),
    ca: pem(cluster, 'certificate-authority'),
    cert: pem(user, 'client-certificate'),
    key: pem(user, 'client-key'),
    insecure: cluster.entry['insecure-skip-tls-verify'] === true,
    token: () =>
      token ??
      (tokenFile ? readToken(reference, tokenFile, `named by ${identity}`, 'fix the kubeconfig') : undefined),
    identity,
    mode: 'kubeconfig',
  };
}
