/**
 * `ref+awsssm://PATH/TO/PARAM[?region=…&profile=…&version=N]`: a parameter of AWS Systems Manager Parameter
 * Store, as vals writes it. SecureString parameters are decrypted (WithDecryption). With a pointer
 * (`ref+awsssm://shop/prod#/db_password`) the path is a prefix read with GetParametersByPath into a map keyed
 * by the rest of each name; `?recursive=true` reads the whole tree below it, nested by `/`
 * (`#/db/password`); `?mode=singleparam` reads the one parameter instead and lets the pointer select inside
 * its JSON. A path without a leading `/` gets one, as vals does.
 */
import type { GetParametersByPathCommandOutput } from '@aws-sdk/client-ssm';
import { checkParams, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';
import { awsError, awsErrorCode, sdkClients } from './aws-client.ts';

const SERVICE = 'AWS SSM Parameter Store';
const PACKAGE = '@aws-sdk/client-ssm';
/** Pages of GetParametersByPath read at most (10 parameters a page): a prefix is not a whole account. */
const MAX_PAGES = 100;

type Sdk = typeof import('@aws-sdk/client-ssm');

const clientFor = sdkClients(
  PACKAGE,
  (): Promise<Sdk> => import('@aws-sdk/client-ssm'),
  (loaded, config) => new loaded.SSMClient(config),
);

function invalid(reference: SecretReference, message: string, hint: string): SecretError {
  return new SecretError(SecretCodes.SECRET_REFERENCE_INVALID, `${reference.text}: ${message}`, { hint });
}

function parse(reference: SecretReference) {
  checkParams(reference, ['region', 'profile', 'version', 'recursive', 'mode']);
  const { version, recursive, mode } = reference.params;
  if (mode !== undefined && mode !== 'singleparam') {
    throw invalid(
      reference,
      `unknown mode "${mode}"`,
      'the one mode is singleparam; leave it out to read a path',
    );
  }
  if (recursive !== undefined && recursive !== 'true' && recursive !== 'false') {
    throw invalid(reference, `recursive must be true or false, not "${recursive}"`, 'write ?recursive=true');
  }
  if (version !== undefined && !/^[1-9]\d*$/.test(version)) {
    throw invalid(reference, `version must be a version number, not "${version}"`, 'write ?version=3');
  }
  const byPath = reference.pointer !== undefined && mode === undefined;
  if (byPath && version !== undefined) {
    throw invalid(
      reference,
      'a version selects one parameter, but a pointer reads a path',
      'add &mode=singleparam to select inside that version of the parameter',
    );
  }
  if (!byPath && recursive !== undefined) {
    throw invalid(
      reference,
      'recursive applies to a path read with a pointer',
      'add #/KEY, or remove ?recursive',
    );
  }
  const name =
    reference.path.startsWith('/') || reference.path.startsWith('arn:')
      ? reference.path
      : `/${reference.path}`;
  return { name, byPath, recursive: recursive === 'true', version };
}

async function readParameter(reference: SecretReference, name: string, version: string | undefined) {
  const { sdk: loaded, client } = await clientFor(reference);
  try {
    const output = await client.send(
      new loaded.GetParameterCommand({ Name: version ? `${name}:${version}` : name, WithDecryption: true }),
    );
    const value = output.Parameter?.Value;
    if (value === undefined) throw awsError(reference, SERVICE, 'ParameterNotFound');
    return value;
  } catch (error) {
    if (error instanceof SecretError) throw error;
    throw awsError(reference, SERVICE, awsErrorCode(error), error);
  }
}

async function readPath(reference: SecretReference, prefix: string, recursive: boolean) {
  const { sdk: loaded, client } = await clientFor(reference);
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const tree: Record<string, unknown> = {};
  let token: string | undefined;
  let pages = 0;
  do {
    let output: GetParametersByPathCommandOutput;
    try {
      output = await client.send(
        new loaded.GetParametersByPathCommand({
          Path: prefix,
          Recursive: recursive,
          WithDecryption: true,
          ...(token ? { NextToken: token } : {}),
        }),
      );
    } catch (error) {
      throw awsError(reference, SERVICE, awsErrorCode(error), error);
    }
    for (const parameter of output.Parameters ?? []) {
      if (parameter.Name === undefined || parameter.Value === undefined || !parameter.Name.startsWith(base))
        continue;
      place(tree, parameter.Name.slice(base.length).split('/'), parameter.Value);
    }
    token = output.NextToken;
    pages += 1;
  } while (token && pages < MAX_PAGES);
  if (Object.keys(tree).length === 0) {
    throw new SecretError(SecretCodes.SECRET_NOT_FOUND, `${reference.text}: no parameters under ${prefix}`, {
      hint: recursive
        ? 'check the path, the region and the account the credentials belong to'
        : 'check the path; add ?recursive=true to read parameters further down',
    });
  }
  return tree;
}

/** Puts a value at a path of keys; a parameter that is also a folder keeps its value (the folder is dropped). */
function place(tree: Record<string, unknown>, keys: string[], value: string): void {
  let node = tree;
  for (const [index, key] of keys.entries()) {
    if (index === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === 'string') return;
    if (next === undefined) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
}

export const backend: SecretBackend = {
  read(reference) {
    const { name, byPath, recursive, version } = parse(reference);
    return byPath ? readPath(reference, name, recursive) : readParameter(reference, name, version);
  },
};
