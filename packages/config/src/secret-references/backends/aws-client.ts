/**
 * What `awssecrets` and `awsssm` share: the official AWS SDK v3 clients, imported the first time a reference
 * names them (optional peer dependencies of @stagecraft/config; the stagecraft CLI depends on them), and AWS
 * errors turned into ours by their `__type`. Credentials, region and endpoint are the SDK's own: the standard
 * credential chain, `AWS_REGION` or the profile's region, `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
 * `AWS_ENDPOINT_URL_SSM` and `AWS_ENDPOINT_URL`. Retries are the SDK's standard mode, bounded; every request
 * has a timeout. Errors name the reference and AWS's code, never the service's message or a value.
 */
import { SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';

/** Client settings both backends use: bounded standard retries and a timeout on every request. */
export function clientConfig(params: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    ...(params['region'] ? { region: params['region'] } : {}),
    ...(params['profile'] ? { profile: params['profile'] } : {}),
    retryMode: 'standard',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  };
}

/** Imports an SDK client package, or says which package to install. */
export async function importClient<T>(
  name: string,
  load: () => Promise<T>,
  reference: SecretReference,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes(name)) {
      throw new SecretError(
        SecretCodes.SECRET_CLIENT_NOT_INSTALLED,
        `${reference.text}: the ${reference.backend} backend needs ${name}, which is not installed`,
        { hint: `npm install ${name}` },
      );
    }
    throw error;
  }
}

/**
 * One SDK client per region and profile, its package imported on first use: `clientFor(reference)`. A failed
 * import (the package not installed) is not kept, so installing it is enough to succeed on the next try.
 */
export function sdkClients<Sdk, Client>(
  name: string,
  load: () => Promise<Sdk>,
  make: (sdk: Sdk, config: Record<string, unknown>) => Client,
): (reference: SecretReference) => Promise<{ sdk: Sdk; client: Client }> {
  let sdk: Promise<Sdk> | undefined;
  const clients = new Map<string, Client>();
  return async (reference) => {
    sdk ??= importClient(name, load, reference);
    sdk.catch(() => {
      sdk = undefined;
    });
    const loaded = await sdk;
    const key = `${reference.params['region'] ?? ''}\0${reference.params['profile'] ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = make(loaded, clientConfig(reference.params));
      clients.set(key, client);
    }
    return { sdk: loaded, client };
  };
}

const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'ParameterNotFound',
  'ParameterVersionNotFound',
  'InvalidRequestException', // Secrets Manager: e.g. the secret is scheduled for deletion
]);
const ACCESS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
  'DecryptionFailure',
  'CredentialsProviderError',
]);
const UNAVAILABLE = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServiceError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK = /^(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)$/;

/** The AWS error code of a failed call: the `__type` the SDK turned into the error's name. */
export function awsErrorCode(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown };
  if (typeof e.code === 'string' && NETWORK.test(e.code)) return e.code;
  return typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'UnknownError';
}

/** Our error for an AWS error code (from a failed call, or one entry of a batch's Errors). */
export function awsError(
  reference: SecretReference,
  service: string,
  code: string,
  cause?: unknown,
): SecretError {
  const options = cause === undefined ? {} : { cause };
  const where = reference.params['region'] ? ` (region ${reference.params['region']})` : '';
  if (NOT_FOUND.has(code)) {
    return new SecretError(
      SecretCodes.SECRET_NOT_FOUND,
      `${reference.text}: ${service}${where} answered ${code}`,
      {
        hint: 'check the name, the region and the account the credentials belong to',
        ...options,
      },
    );
  }
  if (ACCESS.has(code)) {
    return new SecretError(
      code === 'AccessDeniedException'
        ? SecretCodes.SECRET_FORBIDDEN
        : code === 'CredentialsProviderError'
          ? SecretCodes.SECRET_CREDENTIALS_MISSING
          : SecretCodes.SECRET_UNAUTHENTICATED,
      `${reference.text}: ${service}${where} refused the read: ${code}`,
      {
        hint:
          code === 'CredentialsProviderError'
            ? 'no AWS credentials were found: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role provides them'
            : code === 'ExpiredTokenException'
              ? 'the session credentials have expired: refresh them (e.g. aws sso login) and retry'
              : 'grant the identity these credentials belong to read access (and kms:Decrypt for its key)',
        ...options,
      },
    );
  }
  const network = NETWORK.test(code);
  if (UNAVAILABLE.has(code) || network || (cause as { $fault?: unknown } | undefined)?.$fault === 'server') {
    return new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${service}${where} ${network ? 'could not be reached' : 'did not answer'}: ${code}`,
      {
        hint: 'retried a few times already; retry later, or check the endpoint (AWS_ENDPOINT_URL_*)',
        ...options,
      },
    );
  }
  if (code === 'UnknownError' && /region is missing/i.test(String((cause as Error | undefined)?.message))) {
    return new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: no AWS region is set for ${service}`,
      {
        hint: 'set AWS_REGION (or a region in the AWS profile), or add ?region=… to the reference',
        ...options,
      },
    );
  }
  return new SecretError(
    SecretCodes.SECRET_READ_FAILED,
    `${reference.text}: ${service}${where} failed: ${code}`,
    {
      hint: 'check the reference and the AWS settings where this runs',
      ...options,
    },
  );
}

/** A SecretBinary as text: its bytes read as UTF-8 (the SDK has already decoded the wire's base64). */
export function binaryText(reference: SecretReference, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SecretError(
      SecretCodes.SECRET_READ_FAILED,
      `${reference.text}: the secret is binary and its bytes are not UTF-8 text`,
      { hint: 'store text (SecretString), or a binary that is UTF-8 text' },
    );
  }
}
