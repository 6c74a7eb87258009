/**
 * `ref+awssecrets://NAME[?region=…&profile=…&version_stage=…&version_id=…][#/json/key]`: a secret of AWS
 * Secrets Manager, by name or ARN, as vals writes it. SecretString is the value (a pointer selects inside its
 * JSON); a SecretBinary is read as UTF-8 text. Without a version the current one (AWSCURRENT) is read.
 *
 * References resolved together are read together: reads of current versions are queued, and once the
 * resolver has asked for all it knows of (the next turn of the event loop), each region and profile's queue
 * is read with BatchGetSecretValue, 20 secrets a call, each secret's error reported on its own reference.
 * A lone secret, a pinned version, or a batch the identity may not call is read with GetSecretValue.
 */
import type {
  BatchGetSecretValueCommandOutput,
  GetSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { checkParams, type SecretBackend } from '../backend.ts';
import type { SecretReference } from '../reference.ts';
import { awsError, awsErrorCode, binaryText, sdkClients } from './aws-client.ts';

const SERVICE = 'AWS Secrets Manager';
const PACKAGE = '@aws-sdk/client-secrets-manager';
/** BatchGetSecretValue takes at most 20 ids. */
export const BATCH_SIZE = 20;

type Sdk = typeof import('@aws-sdk/client-secrets-manager');

const clientFor = sdkClients(
  PACKAGE,
  (): Promise<Sdk> => import('@aws-sdk/client-secrets-manager'),
  (loaded, config) => new loaded.SecretsManagerClient(config),
);

function secretText(
  reference: SecretReference,
  output: { SecretString?: string; SecretBinary?: Uint8Array },
): string {
  if (output.SecretString !== undefined) return output.SecretString;
  if (output.SecretBinary !== undefined) return binaryText(reference, output.SecretBinary);
  throw awsError(reference, SERVICE, 'ResourceNotFoundException');
}

async function readOne(reference: SecretReference): Promise<string> {
  const { sdk: loaded, client } = await clientFor(reference);
  let output: GetSecretValueCommandOutput;
  try {
    output = await client.send(
      new loaded.GetSecretValueCommand({
        SecretId: reference.path,
        ...(reference.params['version_stage'] ? { VersionStage: reference.params['version_stage'] } : {}),
        ...(reference.params['version_id'] ? { VersionId: reference.params['version_id'] } : {}),
      }),
    );
  } catch (error) {
    throw awsError(reference, SERVICE, awsErrorCode(error), error);
  }
  return secretText(reference, output);
}

interface Pending {
  reference: SecretReference;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
}

const queues = new Map<string, Pending[]>();
let scheduled = false;

function enqueue(reference: SecretReference): Promise<string> {
  return new Promise((resolve, reject) => {
    const key = `${reference.params['region'] ?? ''}\0${reference.params['profile'] ?? ''}`;
    const queue = queues.get(key) ?? [];
    queue.push({ reference, resolve, reject });
    queues.set(key, queue);
    if (!scheduled) {
      scheduled = true;
      // After every read the resolver starts in this turn: its reads are chained on one module load, so
      // they all arrive before the event loop turns.
      setImmediate(flush);
    }
  });
}

function flush(): void {
  scheduled = false;
  const batches = [...queues.values()];
  queues.clear();
  for (const queue of batches) {
    for (let start = 0; start < queue.length; start += BATCH_SIZE) {
      void readBatch(queue.slice(start, start + BATCH_SIZE));
    }
  }
}

function settle(pending: Pending, read: Promise<string>): void {
  read.then(pending.resolve, pending.reject);
}

async function readBatch(batch: Pending[]): Promise<void> {
  const first = batch[0];
  if (!first) return;
  const ids = [...new Set(batch.map((pending) => pending.reference.path))];
  if (ids.length === 1) {
    for (const pending of batch) settle(pending, readOne(pending.reference));
    return;
  }
  let output: BatchGetSecretValueCommandOutput;
  try {
    const { sdk: loaded, client } = await clientFor(first.reference);
    output = await client.send(new loaded.BatchGetSecretValueCommand({ SecretIdList: ids }));
  } catch (error) {
    const code = awsErrorCode(error);
    // An identity allowed GetSecretValue but not BatchGetSecretValue still reads each secret.
    if (code === 'AccessDeniedException') {
      for (const pending of batch) settle(pending, readOne(pending.reference));
      return;
    }
    for (const pending of batch) pending.reject(awsError(pending.reference, SERVICE, code, error));
    return;
  }
  for (const pending of batch) {
    const id = pending.reference.path;
    const value = output.SecretValues?.find((entry) => entry.Name === id || entry.ARN === id);
    const failure = output.Errors?.find((entry) => entry.SecretId === id);
    if (value) {
      try {
        pending.resolve(secretText(pending.reference, value));
      } catch (error) {
        pending.reject(error);
      }
    } else if (failure) {
      pending.reject(awsError(pending.reference, SERVICE, failure.ErrorCode ?? 'UnknownError'));
    } else {
      // Named another way than the answer names it (a partial ARN): read it on its own.
      settle(pending, readOne(pending.reference));
    }
  }
}

export const backend: SecretBackend = {
  read(reference) {
    checkParams(reference, ['region', 'profile', 'version_stage', 'version_id']);
    if (reference.params['version_stage'] || reference.params['version_id']) return readOne(reference);
    return enqueue(reference);
  },
};
