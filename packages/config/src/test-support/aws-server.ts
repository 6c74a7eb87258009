/**
 * A small AWS Secrets Manager and SSM Parameter Store on 127.0.0.1, speaking the AWS JSON 1.1 protocol the
 * SDK clients speak: `POST /` with `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target:
 * <prefix>.<Operation>`, a JSON body in and out, and errors as `{"__type": …, "message": …}` with the status
 * the service documents. Every request must carry a valid Signature Version 4 signature made with the
 * credentials the test generated (checked in full, not only its shape). Faults are injected per operation.
 *
 * Documentation each case follows:
 * - AWS Secrets Manager API Reference: GetSecretValue, BatchGetSecretValue (SecretIdList at most 20 items;
 *   per-secret failures in `Errors` as APIErrorType {SecretId, ErrorCode, Message}), "Common Errors"
 *   (AccessDeniedException 400, InternalServiceError 500, ThrottlingException 400, InvalidClientTokenId 403,
 *   ExpiredTokenException 403), ResourceNotFoundException 400.
 * - AWS Systems Manager API Reference: GetParameter (`name:version` selects a version; SecureString values
 *   are returned decrypted only WithDecryption), GetParametersByPath (Path starts with `/`; MaxResults
 *   1–10, default 10; NextToken pages; Recursive), ParameterNotFound 400, ParameterVersionNotFound 400.
 * - AWS General Reference, "Signature Version 4 signing process": canonical request, string to sign,
 *   derived signing key, `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 *   SignedHeaders=…, Signature=…` and `X-Amz-Date: YYYYMMDD'T'HHMMSS'Z'`.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Fresh credentials for one test run; nothing about them is committed. */
export function generateAwsCredentials(): AwsTestCredentials {
  return {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

interface SecretVersion {
  id: string;
  stages: string[];
  string?: string;
  binary?: Buffer;
}

interface Parameter {
  type: 'String' | 'SecureString' | 'StringList';
  versions: string[];
}

export interface Fault {
  status: number;
  type: string;
}

export interface RecordedRequest {
  target: string;
  body: Record<string, unknown>;
}

export interface AwsTestServer {
  url: string;
  region: string;
  credentials: AwsTestCredentials;
  requests: RecordedRequest[];
  /** Adds a secret version; the first becomes AWSCURRENT, a later one AWSCURRENT with the old one AWSPREVIOUS. */
  putSecret(name: string, value: string | Buffer): string;
  putParameter(name: string, value: string, type?: Parameter['type']): void;
  /** Names whose reads are refused with AccessDeniedException. */
  denied: Set<string>;
  /** The next `count` calls of an operation (e.g. `secretsmanager.GetSecretValue`, or `*`) fail so. */
  fail(target: string, count: number, fault: Fault): void;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';

export async function startAwsServer(region = 'eu-west-1'): Promise<AwsTestServer> {
  const credentials = generateAwsCredentials();
  const secrets = new Map<string, SecretVersion[]>();
  const parameters = new Map<string, Parameter>();
  const faults: { target: string; left: number; fault: Fault }[] = [];
  const requests: RecordedRequest[] = [];
  const denied = new Set<string>();
  const arnOf = (name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`;

  const findSecret = (id: string) => {
    for (const [name, versions] of secrets) if (id === name || id === arnOf(name)) return { name, versions };
    return undefined;
  };

  const secretValue = (id: string, versionId?: string, stage?: string) => {
    const found = findSecret(id);
    if (!found) return { error: { status: 400, type: 'ResourceNotFoundException' } };
    if (denied.has(found.name)) return { error: { status: 400, type: 'AccessDeniedException' } };
    // A version id names one version (and a stage, if given, must be on it); else the stage, AWSCURRENT by default.
    const version = versionId
      ? found.versions.find((v) => v.id === versionId && (stage === undefined || v.stages.includes(stage)))
      : found.versions.find((v) => v.stages.includes(stage ?? 'AWSCURRENT'));
    if (!version) return { error: { status: 400, type: 'ResourceNotFoundException' } };
    return {
      value: {
        ARN: arnOf(found.name),
        Name: found.name,
        VersionId: version.id,
        VersionStages: version.stages,
        CreatedDate: 1_700_000_000,
        ...(version.string !== undefined ? { SecretString: version.string } : {}),
        ...(version.binary !== undefined ? { SecretBinary: version.binary.toString('base64') } : {}),
      },
    };
  };

  const operations: Record<string, (body: Record<string, unknown>) => { status?: number; body: unknown }> = {
    'secretsmanager.GetSecretValue': (body) => {
      const result = secretValue(
        String(body['SecretId']),
        body['VersionId'] as string,
        body['VersionStage'] as string,
      );
      return result.error ? errorBody(result.error) : { body: result.value };
    },
    'secretsmanager.BatchGetSecretValue': (body) => {
      const ids = body['SecretIdList'];
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20) {
        return errorBody({ status: 400, type: 'InvalidParameterException' });
      }
      const values: unknown[] = [];
      const errors: unknown[] = [];
      for (const id of ids as string[]) {
        const result = secretValue(id);
        if (result.error) {
          errors.push({ SecretId: id, ErrorCode: result.error.type, Message: 'cannot read this secret' });
        } else values.push(result.value);
      }
      return { body: { SecretValues: values, Errors: errors } };
    },
    'AmazonSSM.GetParameter': (body) => {
      const [name = '', selector] = String(body['Name']).split(':');
      const parameter = parameters.get(name);
      if (!parameter) return errorBody({ status: 400, type: 'ParameterNotFound' });
      if (denied.has(name)) return errorBody({ status: 400, type: 'AccessDeniedException' });
      const version = selector === undefined ? parameter.versions.length : Number(selector);
      const value = parameter.versions[version - 1];
      if (value === undefined) return errorBody({ status: 400, type: 'ParameterVersionNotFound' });
      return {
        body: { Parameter: parameterBody(name, parameter, version, value, body['WithDecryption'] === true) },
      };
    },
    'AmazonSSM.GetParametersByPath': (body) => {
      const path = String(body['Path']);
      if (!path.startsWith('/')) return errorBody({ status: 400, type: 'ValidationException' });
      const base = path.endsWith('/') ? path : `${path}/`;
      const matches = [...parameters.entries()]
        .filter(
          ([name]) =>
            name.startsWith(base) && (body['Recursive'] === true || !name.slice(base.length).includes('/')),
        )
        .sort(([a], [b]) => (a < b ? -1 : 1));
      const start = body['NextToken'] === undefined ? 0 : Number(body['NextToken']);
      const size = typeof body['MaxResults'] === 'number' ? body['MaxResults'] : 10;
      const page = matches.slice(start, start + size);
      return {
        body: {
          Parameters: page.map(([name, p]) =>
            parameterBody(
              name,
              p,
              p.versions.length,
              p.versions.at(-1) ?? '',
              body['WithDecryption'] === true,
            ),
          ),
          ...(start + size < matches.length ? { NextToken: String(start + size) } : {}),
        },
      };
    },
  };

  const parameterBody = (name: string, p: Parameter, version: number, value: string, decrypt: boolean) => ({
    Name: name,
    Type: p.type,
    // Without decryption a SecureString comes back as its ciphertext.
    Value: p.type === 'SecureString' && !decrypt ? Buffer.from(`kms:${value}`).toString('base64') : value,
    Version: version,
    ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`,
    DataType: 'text',
    LastModifiedDate: 1_700_000_000,
  });

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });

  const handle = (request: IncomingMessage, response: ServerResponse, raw: Buffer) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/')
      return send(404, { __type: 'UnknownOperationException' });
    if (request.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return send(400, { __type: 'SerializationException', message: 'expected application/x-amz-json-1.1' });
    }
    const service = target.startsWith('secretsmanager.') ? 'secretsmanager' : 'ssm';
    const signature = checkSignature(request, raw, credentials, region, service);
    if (signature) return send(signature.status, { __type: signature.type, message: signature.message });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return send(400, { __type: 'SerializationException', message: 'the body is not JSON' });
    }
    requests.push({ target, body });
    const fault = faults.find((f) => f.left > 0 && (f.target === target || f.target === '*'));
    if (fault) {
      fault.left -= 1;
      return send(fault.fault.status, { __type: fault.fault.type, message: 'injected fault' });
    }
    const operation = operations[target];
    if (!operation) return send(400, { __type: 'UnknownOperationException', message: target });
    const result = operation(body);
    send(result.status ?? 200, result.body);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    region,
    credentials,
    requests,
    denied,
    putSecret(name, value) {
      const versions = secrets.get(name) ?? [];
      for (const version of versions) {
        version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
      }
      const id = randomUUID();
      versions.push({
        id,
        stages: ['AWSCURRENT'],
        ...(typeof value === 'string' ? { string: value } : { binary: value }),
      });
      secrets.set(name, versions);
      return id;
    },
    putParameter(name, value, type = 'String') {
      const parameter = parameters.get(name) ?? { type, versions: [] };
      parameter.versions.push(value);
      parameters.set(name, parameter);
    },
    fail(target, count, fault) {
      faults.push({ target, left: count, fault });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function errorBody(error: Fault): { status: number; body: unknown } {
  return { status: error.status, body: { __type: error.type, message: `${error.type} (test server)` } };
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Verifies a Signature Version 4 signature; undefined when it holds, else the error AWS would answer. */
function checkSignature(
  request: IncomingMessage,
  body: Buffer,
  credentials: AwsTestCredentials,
  region: string,
  service: string,
): { status: number; type: string; message: string } | undefined {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!match || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return {
      status: 400,
      type: 'IncompleteSignature',
      message: 'missing or malformed Authorization / X-Amz-Date',
    };
  }
  const [, keyId, date, signedRegion, signedService, signedHeaders = '', signature] = match;
  if (keyId !== credentials.accessKeyId) {
    return {
      status: 400,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  if (date !== amzDate.slice(0, 8) || signedRegion !== region || signedService !== service) {
    return { status: 400, type: 'InvalidSignatureException', message: 'credential scope does not match' };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) {
    return { status: 400, type: 'InvalidSignatureException', message: 'host and x-amz-date must be signed' };
  }
  const canonicalHeaders = names
    .map((name) => {
      const value = request.headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : String(value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  const canonicalRequest = [request.method, '/', '', canonicalHeaders, signedHeaders, sha256(body)].join(
    '\n',
  );
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date ?? '');
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== signature) {
    return {
      status: 403,
      type: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match.',
    };
  }
  return undefined;
}

/**
 * The SDK's variables for a test server, and nothing from this machine's own AWS setup (no profile, no
 * config or credentials file, no instance metadata). On Node 20 the SDK prints a notice about its future
 * versions; tests fail on unexpected output, so it is silenced.
 */
export function awsTestEnv(
  aws: Pick<AwsTestServer, 'credentials' | 'region' | 'url'>,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: aws.region,
    AWS_DEFAULT_REGION: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ENDPOINT_URL_SSM: aws.url,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...overrides,
  };
}
