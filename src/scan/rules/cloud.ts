/**
 * Cloud providers: AWS, Google Cloud (and Firebase), Alibaba, IBM, Oracle, Scaleway, Hetzner, OVH and Tencent.
 * Azure is in azure.ts, hosting and edge platforms in hosting.ts. Prefixed formats stand alone; unprefixed ones
 * are only trusted next to the vendor's name.
 */
import { base64 } from './_codec.ts';
import { assigned } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RawMatch, RuleSpec } from './types.ts';

function gcpServiceAccountKey(text: string): RawMatch[] {
  const isKeyFile =
    /"type"\s*:\s*"service_account"/.test(text) && /"private_key"\s*:\s*"-----BEGIN/.test(text);
  if (!isKeyFile) return [];
  const matches: RawMatch[] = [];
  for (const found of text.matchAll(/"private_key_id"\s*:\s*"(?<secret>[0-9a-f]{40})"/g)) {
    const secret = found.groups?.['secret'] as string;
    const start = found.index as number;
    matches.push({
      start,
      end: start + found[0].length,
      secret,
      secretStart: start + found[0].indexOf(secret),
    });
  }
  return matches;
}

function serviceAccountJson(gen: Gen, keyId: string, privateKey: string): string {
  const project = `${gen.lower(6)}-${gen.digits(6)}`;
  return [
    '{',
    '  "type": "service_account",',
    `  "project_id": "${project}",`,
    `  "private_key_id": "${keyId}",`,
    `  "private_key": "${privateKey}",`,
    `  "client_email": "deployer@${project}.iam.gserviceaccount.com",`,
    `  "client_id": "${gen.digits(21)}"`,
    '}',
  ].join('\n');
}

function fakePrivateKey(gen: Gen): string {
  const lines = Array.from({ length: 4 }, () => gen.base64(64));
  return `-----BEGIN PRIVATE KEY-----\\n${lines.join('\\n')}\\n-----END PRIVATE KEY-----\\n`;
}

export const cloudRules: RuleSpec[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ID',
    category: 'cloud',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    // A four-letter kind (AKIA long-term, ASIA STS, ABIA bearer, ACCA context) and 16 base32 characters: the
    // digits 0, 1, 8 and 9 never occur, which rules out most uppercase words and identifiers.
    pattern: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/,
    minEntropy: 3,
    documentedExamples: ['AKIAIOSFODNN7EXAMPLE'],
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
    samples: {
      positive: (gen) =>
        `[default]\naws_access_key_id = ${gen.pick(['AKIA', 'ASIA'])}${gen.chars(ALPHABETS.base32, 16)}\nregion = eu-west-1`,
      // A digit outside base32: an identifier that merely starts with AKIA.
      negative: (gen) =>
        `aws_access_key_id = AKIA${gen.chars(ALPHABETS.base32, 15)}${gen.pick(['0', '1', '8', '9'])}`,
    },
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    category: 'cloud',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key', 'awssecretkey'],
    // 40 base64 characters are everywhere (hashes, blobs); only the variable names AWS tools read vouch for them.
    pattern: assigned(
      '(?:aws[_-]?secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key|secret[_-]?access[_-]?key)',
      '[A-Za-z0-9/+]{40}',
      '(?![A-Za-z0-9/+=])',
    ),
    minEntropy: 4,
    documentedExamples: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
    samples: {
      positive: (gen) =>
        `[default]\naws_access_key_id = AKIA${gen.chars(ALPHABETS.base32, 16)}\naws_secret_access_key = ${gen.base64(40)}`,
      // The key from AWS's own documentation, pasted into a README.
      negative: () => 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  },
  {
    id: 'aws-session-token',
    description: 'AWS temporary session token',
    category: 'cloud',
    keywords: ['session_token', 'sessiontoken', 'security_token', 'x-amz-security-token'],
    pattern: new RegExp(
      '(?:aws_session_token|AWS_SESSION_TOKEN|aws_security_token|AWS_SECURITY_TOKEN|awsSessionToken|SessionToken|' +
        `[Xx]-[Aa]mz-[Ss]ecurity-[Tt]oken)["'\`]?\\s{0,3}(?:=|:)\\s{0,3}["'\`]?` +
        '(?<secret>[A-Za-z0-9/+]{100,4096}={0,2})(?![A-Za-z0-9/+=])',
    ),
    minEntropy: 4.5,
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html',
    samples: {
      positive: (gen) =>
        `export AWS_ACCESS_KEY_ID=ASIA${gen.chars(ALPHABETS.base32, 16)}\n` +
        `export AWS_SESSION_TOKEN=${base64(gen.bytes(gen.int(300, 600)))}`,
      // Too short for an STS token: an unrelated value under the same name in a test fixture.
      negative: (gen) => `AWS_SESSION_TOKEN=${gen.base64(40)}`,
    },
  },
  {
    id: 'gcp-api-key',
    description: 'Google Cloud API key',
    category: 'cloud',
    keywords: ['aiza'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://cloud.google.com/docs/authentication/api-keys',
    samples: {
      positive: (gen) =>
        `const firebaseConfig = { apiKey: "AIza${gen.base64url(35)}", projectId: "shop-prod" };`,
      negative: (gen) => `GOOGLE_MAPS_KEY=AIza${gen.base64url(33)}`,
    },
  },
  {
    id: 'gcp-oauth-client-secret',
    description: 'Google OAuth client secret',
    category: 'cloud',
    keywords: ['gocspx-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    docs: 'https://support.google.com/cloud/answer/15549257',
    samples: {
      positive: (gen) =>
        `{"web": {"client_id": "${gen.digits(12)}-${gen.chars(ALPHABETS.lowerDigits, 32)}.apps.googleusercontent.com", ` +
        `"client_secret": "GOCSPX-${gen.base64url(28)}"}}`,
      negative: () => `GOOGLE_CLIENT_SECRET=GOCSPX-${'X'.repeat(28)}`,
    },
  },
  {
    id: 'gcp-service-account-key',
    description: 'Google Cloud service account key file (reported at its private_key_id)',
    category: 'cloud',
    keywords: ['service_account'],
    // A key file is a JSON object: "type" and "private_key_id" sit several lines apart, out of reach of a
    // windowed pattern, so the whole text is checked. The private key itself is the private-key rule's.
    detect: gcpServiceAccountKey,
    minEntropy: 3,
    docs: 'https://cloud.google.com/iam/docs/keys-create-delete',
    samples: {
      positive: (gen) => serviceAccountJson(gen, gen.hex(40), fakePrivateKey(gen)),
      // A template committed with the key removed but the key id left in.
      negative: (gen) => serviceAccountJson(gen, gen.hex(40), ''),
    },
  },
  {
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud AccessKey ID',
    category: 'cloud',
    keywords: ['ltai'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair',
    samples: {
      positive: (gen) => `ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${gen.alnum(20)}`,
      negative: () => 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxxxxxx',
    },
  },
  {
    id: 'alibaba-access-key-secret',
    description: 'Alibaba Cloud AccessKey secret',
    category: 'cloud',
    keywords: ['accesskeysecret', 'access_key_secret', 'access-key-secret', 'alibaba', 'aliyun'],
    pattern: assigned(
      '(?:(?:alibaba|aliyun|alicloud)[\\w.-]{0,30}?)?access[_-]?key[_-]?secret\\w{0,10}',
      '[A-Za-z0-9]{30}',
    ),
    minEntropy: 3.8,
    docs: 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair',
    samples: {
      positive: (gen) =>
        `ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${gen.alnum(20)}\nALIBABA_CLOUD_ACCESS_KEY_SECRET=${gen.alnum(30)}`,
      negative: (gen) => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${gen.alnum(24)}`,
    },
  },
  {
    id: 'ibm-cloud-api-key',
    description: 'IBM Cloud API key',
    category: 'cloud',
    keywords: ['ibm'],
    // IBM Cloud API keys have no prefix: 44 base64url characters next to an IBM variable name.
    pattern: assigned('(?<![A-Za-z])ibm[\\w.-]{0,30}?(?:api[_-]?key|apikey)\\w{0,10}', '[A-Za-z0-9_-]{44}'),
    minEntropy: 4,
    docs: 'https://cloud.ibm.com/docs/account?topic=account-userapikey',
    samples: {
      positive: (gen) => `IBMCLOUD_API_KEY=${gen.base64url(44)}`,
      negative: (gen) => `Write-Host "uploading with IBM key ${gen.base64url(44)}"`,
    },
  },
  {
    id: 'oracle-oci-auth-token',
    description: 'Oracle Cloud Infrastructure auth token or customer secret key',
    category: 'cloud',
    keywords: ['oci_', 'oci-', 'oracle'],
    // OCI generates these strings and publishes no format; only the name beside them identifies them.
    pattern: assigned(
      '(?<![A-Za-z])(?:oci|oracle)[\\w.-]{0,30}?(?:auth[_-]?token|secret[_-]?key|password)\\w{0,10}',
      '[A-Za-z0-9+/(){}\\[\\];:.<>#_=-]{20,64}',
      '(?![^\\s"\'`,])',
    ),
    minEntropy: 3.8,
    docs: 'https://docs.oracle.com/en-us/iaas/Content/Identity/Tasks/managingcredentials.htm',
    samples: {
      positive: (gen) =>
        `docker login fra.ocir.io -u tenancy/user -p "$OCI_AUTH_TOKEN"\nOCI_AUTH_TOKEN=${gen.alnum(12)}(${gen.alnum(3)};${gen.alnum(3)}`,
      negative: () => 'OCI_AUTH_TOKEN=<paste-your-auth-token-here>',
    },
  },
  {
    id: 'firebase-cloud-messaging-server-key',
    description: 'Firebase Cloud Messaging legacy server key',
    category: 'cloud',
    keywords: ['apa91b'],
    // Server keys are "AAAA" + 7 characters, a colon and an APA91b token; device registration tokens share
    // the APA91b part but start with a longer instance id.
    pattern: /(?<![A-Za-z0-9_-])(?<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?![A-Za-z0-9_-])/,
    minEntropy: 4.5,
    docs: 'https://firebase.google.com/docs/cloud-messaging/auth-server',
    samples: {
      positive: (gen) => `FCM_SERVER_KEY=AAAA${gen.base64url(7)}:APA91b${gen.base64url(134)}`,
      negative: (gen) =>
        `{"to": "${gen.base64url(22)}:APA91b${gen.base64url(134)}", "notification": {"title": "Hi"}}`,
    },
  },
  {
    id: 'scaleway-secret-key',
    description: 'Scaleway API secret key',
    category: 'cloud',
    keywords: ['scaleway', 'scw_secret', 'scw'],
    // The secret key is a UUID; the access key (SCW + 17) is not sensitive but marks a Scaleway config.
    pattern: assigned(
      // The lookbehind runs only once "secret_key" has matched, so it costs nothing on other text.
      '(?:(?:scaleway|\\bscw)[\\w.-]{0,30}?secret[\\w-]{0,10}|secret[_-]?key(?<=\\bSCW[A-Z0-9]{17}\\b[\\s\\S]{0,160}secret[_-]?key))',
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ),
    minEntropy: 3,
    docs: 'https://www.scaleway.com/en/docs/iam/concepts/#api-key',
    samples: {
      positive: (gen) =>
        gen.pick([
          `SCW_ACCESS_KEY=SCW${gen.chars(ALPHABETS.upperDigits, 17)}\nSCW_SECRET_KEY=${gen.uuid()}`,
          `const client = createClient({\n  accessKey: 'SCW${gen.chars(ALPHABETS.upperDigits, 17)}',\n  secretKey: '${gen.uuid()}',\n})`,
        ]),
      // The project id is a UUID as well, and not a secret.
      negative: (gen) => `SCW_DEFAULT_PROJECT_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'hetzner-cloud-api-token',
    description: 'Hetzner Cloud API token',
    category: 'cloud',
    keywords: ['hcloud', 'hetzner'],
    pattern: assigned('(?:hcloud|hetzner)[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '[A-Za-z0-9]{64}'),
    minEntropy: 4.3,
    docs: 'https://docs.hetzner.cloud/#authentication',
    samples: {
      positive: (gen) => `export HCLOUD_TOKEN=${gen.alnum(64)}`,
      negative: (gen) => `HCLOUD_SSH_KEY_FINGERPRINT=${gen.hex(32)}`,
    },
  },
  {
    id: 'ovh-api-credentials',
    description: 'OVHcloud API application secret or consumer key',
    category: 'cloud',
    keywords: ['ovh'],
    pattern: assigned(
      '(?<![A-Za-z])ovh[\\w.-]{0,30}?(?:application[_-]?secret|app[_-]?secret|consumer[_-]?key)\\w{0,10}',
      '[A-Za-z0-9]{32}',
    ),
    minEntropy: 3.6,
    docs: 'https://help.ovhcloud.com/csm/en-gb-api-getting-started-ovhcloud-api',
    samples: {
      positive: (gen) =>
        `OVH_ENDPOINT=ovh-eu\nOVH_APPLICATION_KEY=${gen.alnum(16)}\nOVH_APPLICATION_SECRET=${gen.alnum(32)}\nOVH_CONSUMER_KEY=${gen.alnum(32)}`,
      // The application key is the public half of the pair.
      negative: (gen) => `OVH_APPLICATION_KEY=${gen.alnum(16)}`,
    },
  },
  {
    id: 'tencent-cloud-secret-id',
    description: 'Tencent Cloud SecretId',
    category: 'cloud',
    keywords: ['akid'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>AKID[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3.8,
    docs: 'https://www.tencentcloud.com/document/product/598/40488',
    samples: {
      positive: (gen) => `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(32)}`,
      negative: (gen) => `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(20)}`,
    },
  },
  {
    id: 'tencent-cloud-secret-key',
    description: 'Tencent Cloud SecretKey',
    category: 'cloud',
    keywords: ['tencent', 'secretkey', 'secret_key'],
    pattern: assigned(
      '(?:tencent(?:cloud)?[\\w.-]{0,30}?secret[_-]?key|secret[_-]?key(?<=AKID[A-Za-z0-9]{32}[\\s\\S]{0,120}secret[_-]?key))\\w{0,10}',
      '[A-Za-z0-9]{32}',
    ),
    minEntropy: 3.8,
    docs: 'https://www.tencentcloud.com/document/product/598/40488',
    samples: {
      positive: (gen) =>
        `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(32)}\nTENCENTCLOUD_SECRET_KEY=${gen.alnum(32)}`,
      negative: (gen) => `TENCENTCLOUD_REGION=ap-guangzhou\nSECRET_KEY=${gen.alnum(32)}`,
    },
  },
];
