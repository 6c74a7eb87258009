/**
 * `ref+k8s://v1/Secret/NAMESPACE/NAME[/KEY]` (vals' form): a Secret read through the Kubernetes API,
 * `GET /api/v1/namespaces/NAMESPACE/secrets/NAME`, its `data` base64-decoded; KEY selects one entry, without it
 * the whole map is the value. Parameters: `?context=NAME` (vals' `kubeContext`), `?kubeConfigPath=FILE`, and
 * `?inCluster` to insist on the pod's service account. Who asks is decided in k8s-credentials.ts.
 *
 * Failures are told apart from the API's Status object (`kind: Status`, `reason`, `code`; the API conventions,
 * "Response Status Kind"): NotFound, Forbidden (naming the RBAC rule that would allow it), Unauthorized, and
 * TooManyRequests or ServiceUnavailable after bounded retries. No message ever holds a value.
 */

import { type BackendContext, checkParams, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import { type HttpResponse, HttpUnavailable, retryAfterMs, sendWithRetries } from '../http.ts';
import type { SecretReference } from '../reference.ts';
import { type KubeCredentials, kubeCredentials } from './k8s-credentials.ts';

export interface ApiLocation {
  namespace: string;
  name: string;
  key: string | undefined;
}

/** DNS-1123 names, as the API requires for namespaces and Secrets; anything else could change the URL's path. */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function locate(reference: SecretReference): ApiLocation {
  checkParams(reference, ['context', 'kubeContext', 'kubeConfigPath', 'inCluster']);
  const [, , namespace, name, key, ...rest] = reference.path.split('/');
  if (namespace === undefined || name === undefined || rest.length > 0 || key === '') {
    throw new SecretError(
      SecretCodes.SECRET_REFERENCE_INVALID,
      `${reference.text}: expected ref+k8s://v1/Secret/NAMESPACE/NAME or ref+k8s://v1/Secret/NAMESPACE/NAME/KEY`,
      { hint: 'e.g. ref+k8s://v1/Secret/shop/shop-db/password' },
    );
  }
  for (const [what, value] of [
    ['namespace', namespace],
    ['Secret name', name],
  ] as const) {
    if (!NAME.test(value)) {
      throw new SecretError(
        SecretCodes.SECRET_REFERENCE_INVALID,
        `${reference.text}: "${value}" is not a valid Kubernetes ${what}`,
        { hint: 'names are lower-case letters, digits, - and .' },
      );
    }
  }
  return { namespace, name, key };
}

export async function readFromApi(reference: SecretReference, context: BackendContext): Promise<unknown> {
  const at = locate(reference);
  const credentials = kubeCredentials(reference, context.env, {
    context: reference.params['context'] ?? reference.params['kubeContext'],
    kubeconfig: reference.params['kubeConfigPath'],
    inCluster: 'inCluster' in reference.params,
  });
  const path = `/api/v1/namespaces/${at.namespace}/secrets/${at.name}`;
  let response: HttpResponse;
  try {
    const token = credentials.token();
    response = await sendWithRetries({
      method: 'GET',
      url: `${credentials.server}${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ca: credentials.ca,
      cert: credentials.cert,
      key: credentials.key,
      insecure: credentials.insecure === true,
    });
  } catch (error) {
    if (!(error instanceof HttpUnavailable)) throw error;
    throw new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: the Kubernetes API at ${credentials.server} could not be reached (${error.code})`,
      {
        hint: /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(error.code)
          ? `its certificate is not trusted: check the CA of ${credentials.identity}`
          : 'check the server address and that it is reachable from here',
      },
    );
  }
  if (response.status === 200) return decodeSecret(reference, at, response);
  throw statusError(reference, at, credentials, response);
}

function decodeSecret(reference: SecretReference, at: ApiLocation, response: HttpResponse): unknown {
  let secret: { kind?: unknown; data?: unknown };
  try {
    secret = JSON.parse(response.body) as typeof secret;
  } catch {
    secret = {};
  }
  if (secret === null || typeof secret !== 'object' || secret.kind !== 'Secret') {
    throw new SecretError(
      SecretCodes.SECRET_READ_FAILED,
      `${reference.text}: the Kubernetes API answered with something other than a Secret`,
      { hint: 'check that the server is a Kubernetes API server' },
    );
  }
  const data = (secret.data && typeof secret.data === 'object' ? secret.data : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(data)) {
    values[key] = Buffer.from(String(encoded), 'base64').toString('utf8');
  }
  if (at.key === undefined) return values;
  if (!Object.hasOwn(values, at.key)) {
    const keys = Object.keys(values);
    throw new SecretError(
      SecretCodes.SECRET_KEY_NOT_FOUND,
      `${reference.text}: the Secret ${at.name} in namespace ${at.namespace} has no key "${at.key}"`,
      { hint: keys.length ? `its keys are ${keys.slice(0, 20).join(', ')}` : 'it has no keys' },
    );
  }
  return values[at.key];
}

interface Status {
  kind?: unknown;
  reason?: unknown;
  code?: unknown;
  message?: unknown;
}

/** The API's Status object explained: which reason, and what to do about it. */
function statusError(
  reference: SecretReference,
  at: ApiLocation,
  credentials: KubeCredentials,
  response: HttpResponse,
): SecretError {
  let status: Status = {};
  try {
    const parsed = JSON.parse(response.body) as unknown;
    if (parsed && typeof parsed === 'object' && (parsed as Status).kind === 'Status')
      status = parsed as Status;
  } catch {
    // Not a Status (a proxy's page): the HTTP status alone is explained.
  }
  const code = typeof status.code === 'number' ? status.code : response.status;
  const reason = typeof status.reason === 'string' && status.reason ? status.reason : `HTTP ${code}`;
  const said = `(Kubernetes ${reason}, ${code})`;
  const secret = `the Secret ${at.name} in namespace ${at.namespace}`;
  if (reason === 'NotFound' || code === 404) {
    return new SecretError(
      SecretCodes.SECRET_NOT_FOUND,
      `${reference.text}: ${secret} does not exist ${said}`,
      {
        hint: `check the namespace and name (kubectl get secret ${at.name} -n ${at.namespace})`,
      },
    );
  }
  if (reason === 'Forbidden' || code === 403) {
    // The API names the user it refused ("User \"system:serviceaccount:shop:web\" cannot get …"): an identity,
    // not a value.
    const user = /User "([^"]+)"/.exec(typeof status.message === 'string' ? status.message : '')?.[1];
    return new SecretError(
      SecretCodes.SECRET_FORBIDDEN,
      `${reference.text}: ${user ? `"${user}"` : credentials.identity} may not get ${secret} ${said}`,
      {
        hint: `it needs the verb get on resource secrets in namespace ${at.namespace}: a Role with rules [{apiGroups: [""], resources: [secrets], resourceNames: [${at.name}], verbs: [get]}] and a RoleBinding to it`,
      },
    );
  }
  if (reason === 'Unauthorized' || code === 401) {
    return new SecretError(
      SecretCodes.SECRET_UNAUTHENTICATED,
      `${reference.text}: the Kubernetes API did not accept the credentials of ${credentials.identity} ${said}`,
      {
        hint:
          credentials.mode === 'serviceaccount'
            ? 'the token has expired or was revoked: check that the projected service account token is mounted and refreshed by the kubelet'
            : 'the token or certificate has expired or was revoked: log in again or refresh the kubeconfig',
      },
    );
  }
  if (code === 429 || code >= 500) {
    const retry = retryAfterMs(response.headers['retry-after']);
    return new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: the Kubernetes API at ${credentials.server} cannot serve ${secret} now ${said}, after retries`,
      {
        hint:
          retry !== undefined
            ? `it asked to retry in ${Math.ceil(retry / 1000)} s`
            : 'retry later; check the API server',
      },
    );
  }
  return new SecretError(
    SecretCodes.SECRET_READ_FAILED,
    `${reference.text}: the Kubernetes API refused to read ${secret} ${said}`,
    { hint: 'check the reference and the API server' },
  );
}
