/**
 * The shape of `stagecraft.yaml`, declared once: the loader validates with it and `stagecraft workspace
 * schema` turns it into the JSON Schema editors use for completion. Keys, once shipped, are extended and
 * never renamed.
 */

import { parseDuration } from '../units/duration.ts';
import { type GateInput, gateShape } from './gate-options.ts';
import { issuerProblem, jwksProblem, OIDC_ALGORITHMS, type ServerInput } from './server-settings.ts';
import {
  boolean,
  integer,
  list,
  literal,
  map,
  type Path,
  record,
  type ShapeIssue,
  string,
  union,
} from './shape.ts';

/** Environment, service and deployer names: what can safely appear in a path, a URL and a label. */
export const NAME_PATTERN: RegExp = /^[a-z][a-z0-9-]*$/;
export const NAME_RULE = 'lowercase letters, digits and "-", starting with a letter';

const path = (what: string) => string({ min: 1, description: `${what}, relative to stagecraft.yaml` });
const section = (what: string) => map({}, { open: true, description: what });

/** A role or identity, as deployers and the ledger's rules name them. */
const role = (description?: string) =>
  string({
    pattern: /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/,
    rule: 'a role or identity such as ci or user:alice',
    ...(description === undefined ? {} : { description }),
  });

const environment = map(
  {
    from: string({
      pattern: NAME_PATTERN,
      rule: NAME_RULE,
      description: 'The environment whose successfully deployed artifact is promoted here',
    }),
    deployers: list(role(), {
      min: 1,
      description: 'Roles or identities allowed to deploy here (e.g. developer, ci)',
    }),
    gates: list(gateShape, { description: 'Checks that must pass before an artifact is deployed here' }),
    dotenv: boolean({
      description:
        'Whether .env files may be read here; by default only in the environment promoted from nothing',
    }),
    manifests: path('Folder of rendered Kubernetes manifests'),
    facts: path('facts.json with cluster and database versions'),
    terraform: map(
      {
        plan: path('`terraform show -json` output of the plan'),
        state: path('`terraform show -json` output of the state'),
      },
      { description: 'Terraform JSON describing this environment’s infrastructure' },
    ),
    deploy: map(
      {
        command: union([string({ min: 1 }), list(string({ min: 1 }), { min: 1 })], {
          description: 'A command run with the image digest and service in its environment',
        }),
      },
      { open: true, description: 'How a recorded deployment is carried out in this environment' },
    ),
  },
  { description: 'One tier of the promotion chain' },
);

const roles = (what: string) => list(role(), { min: 1, description: what });

/** Who may feed the ledger's gates and block artifacts, and when an abandoned deployment may be taken over. */
const ledger = map(
  {
    reporters: roles('Roles allowed to report test results (stagecraft gate report); default [ci]'),
    verifiers: roles(
      'Roles allowed to record verifications of a running environment (stagecraft verify); default [ci]',
    ),
    rejecters: roles('Roles allowed to reject an artifact everywhere (stagecraft reject); default [admin]'),
    approvers: roles(
      'Roles allowed to approve a promotion (stagecraft approve), never the commit’s author; default [developer, approver, admin]',
    ),
    staleAfter: string({
      pattern: /^\d+(?:ms|s|m|h)$/,
      rule: 'a duration such as 90s, 5m or 1h',
      description:
        'How long a running deploy step may go without a heartbeat before a later deploy takes over its pending entry; default 2m',
    }),
  },
  { description: 'The deployment ledger’s own rules' },
);

const URL_RULE = 'an https:// URL (http:// only for localhost and 127.0.0.1)';

const claimValue = string({ min: 1 });

/** One rule of an OIDC issuer: claims a verified token must carry, and the identity it then is. */
const oidcRule = map(
  {
    claims: {
      shape: record(
        union([claimValue, list(claimValue, { min: 1 })], {
          hint: 'claim values are compared as text: quote a number, e.g. repository_id: "123456"',
        }),
        {
          min: 1,
          description:
            'Claims the token must carry, each a value or a list of values (any of them), compared exactly, e.g. { repository: acme/shop, ref: refs/heads/main }',
          hint: 'name at least one claim, e.g. repository: acme/shop; a rule without claims would admit every token of the issuer',
        },
      ),
      required: true,
    },
    role: {
      shape: role('The role a token matching this rule acts with, as deployers name it (e.g. ci)'),
      required: true,
    },
    environments: list(string({ min: 1 }), {
      min: 1,
      description:
        'The environments a token matching this rule acts in (e.g. [staging]); default every environment its role may act in',
    }),
  },
  { description: 'Claims of a verified token, and the identity they make it: the first matching rule wins' },
);

/** An OpenID Connect issuer whose tokens CI presents instead of a stored secret. */
const oidcIssuer = map(
  {
    issuer: {
      shape: string({
        rule: URL_RULE,
        validate: issuerProblem,
        description:
          'The issuer, exactly as its tokens’ iss claim reads, e.g. https://token.actions.githubusercontent.com',
      }),
      required: true,
    },
    audience: {
      shape: union([string({ min: 1 }), list(string({ min: 1 }), { min: 1 })], {
        description: 'The aud the server accepts (e.g. stagecraft), or a list of them',
      }),
      required: true,
    },
    jwks: string({
      min: 1,
      rule: URL_RULE,
      validate: jwksProblem,
      description:
        'The issuer’s signing keys: a JWKS URL, or a JWKS file relative to stagecraft.yaml; default the jwks_uri of the issuer’s /.well-known/openid-configuration',
    }),
    algorithms: list(
      string({
        pattern: new RegExp(`^(?:${OIDC_ALGORITHMS.join('|')})$`),
        rule: `one of ${OIDC_ALGORITHMS.join(', ')}`,
        hint: (value) =>
          typeof value === 'string' && /^(?:HS\d+|none)$/i.test(value)
            ? `${value} is refused: only asymmetric signatures prove who signed, since an issuer's JWKS is public`
            : undefined,
      }),
      {
        min: 1,
        description: 'The signature algorithms accepted; default every asymmetric one (RS*, PS*, ES*, EdDSA)',
      },
    ),
    rules: {
      shape: list(oidcRule, {
        min: 1,
        description: 'Which tokens are accepted and as whom, tried in order',
      }),
      required: true,
    },
  },
  { description: 'An OpenID Connect issuer whose tokens are accepted as bearer tokens' },
);

/** `stagecraft serve`: who it accepts besides its own tokens. */
const server = map(
  {
    oidc: list(oidcIssuer, {
      description:
        'OpenID Connect issuers (e.g. GitHub Actions) whose tokens CI presents instead of a stored secret',
    }),
  },
  { description: 'The stagecraft server’s settings' },
);

const service = map(
  {
    image: {
      shape: string({
        min: 1,
        description: 'Image repository without tag or digest, e.g. ghcr.io/acme/shop-api',
      }),
      required: true,
    },
    manifests: path('Folder of this service’s manifests'),
  },
  { description: 'A deployable service and the image repository it is built to' },
);

const environmentName = (description: string) =>
  string({ pattern: NAME_PATTERN, rule: NAME_RULE, description });

/** One rule of drift.ignore: what Kubernetes drift leaves alone, in the spirit of Argo CD's ignoreDifferences. */
const ignoreRule = map(
  {
    group: string({ description: 'API group, e.g. apps' }),
    kind: string({ min: 1, description: 'Object kind, e.g. Deployment' }),
    namespace: string({ min: 1, description: 'Namespace' }),
    name: string({ min: 1, description: 'Object name' }),
    jsonPointers: list(string({ pattern: /^\//, rule: 'a JSON pointer starting with /' }), {
      description: 'Fields to ignore, e.g. /spec/replicas',
    }),
    managers: list(string({ min: 1 }), {
      description: 'Field managers whose changes are ignored, e.g. kube-controller-manager',
    }),
  },
  { description: 'Differences drift kubernetes ignores: objects matching every key given' },
);

const DURATION_HINT = 'write a duration such as 24h, 90m or 2d';

/** How far behind main an environment may run before it counts as drift. */
const freshnessLimit = map(
  {
    maxBehind: integer({
      min: 0,
      description: 'Most commits of main the environment may lack, e.g. 20',
      hint: 'write a whole number of commits, e.g. maxBehind: 20',
    }),
    maxAge: string({
      rule: 'a duration such as 24h',
      description:
        'Longest time main may have had a commit the environment lacks (from that commit’s time), e.g. 24h',
      hint: DURATION_HINT,
      validate: (text) => {
        const parsed = parseDuration(text);
        return parsed.ok ? undefined : (parsed.hint ?? DURATION_HINT);
      },
    }),
  },
  { description: 'Thresholds; without any, freshness is reported but never drift' },
);

/** Where the live objects of an environment come from: a kubectl context, or a file of them. */
const kubernetesSource = map(
  {
    context: string({ min: 1, description: 'kubectl context of the environment’s cluster' }),
    kubeconfig: path('kubeconfig for context (default: kubectl’s own, KUBECONFIG)'),
    live: path(
      '`kubectl get … -o json --show-managed-fields` output, or a folder of them, instead of context',
    ),
  },
  { description: 'How drift reaches the environment’s live objects: context (+ kubeconfig) or live' },
);

/** The `drift:` section: what `stagecraft drift` checks, and how. */
const drift = map(
  {
    iacOnly: list(environmentName('An environment'), {
      description: 'Environments changed only through IaC: a kubectl change there is flagged as manual',
    }),
    ignore: list(ignoreRule, { description: 'Kubernetes differences that are not drift' }),
    main: string({
      min: 1,
      description: 'The branch every fix must reach, and staging follows; default main (or origin/main)',
    }),
    hotfix: union([boolean(), list(environmentName('An environment'), { min: 1 })], {
      description:
        'Environments whose deployed commits must be merged back into main: true for the last of the chain',
      hint: 'e.g. hotfix: [production], or hotfix: true for the last environment of the chain',
    }),
    deps: list(
      list(environmentName('An environment'), {
        min: 2,
        hint: 'a pair of environments, e.g. [staging, production]',
      }),
      { description: 'Pairs of environments whose lockfiles are compared, e.g. [[staging, production]]' },
    ),
    freshness: record(freshnessLimit, {
      description: 'Environments checked for how far behind main they run, with their thresholds',
    }),
    kubernetes: record(kubernetesSource, {
      description: 'Environments whose live Kubernetes objects are compared with their manifests',
    }),
  },
  { description: 'Drift detection: what runs against what is declared' },
);

/** `stagecraft lint`: what names the environment in this codebase, and the branches accepted on purpose. */
const lint = map(
  {
    environmentVariables: list(
      string({ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, rule: 'an environment variable name such as APP_ENV' }),
      {
        description:
          'Environment variables that hold the environment’s name, read as process.env.NAME, beside NODE_ENV and ENVIRONMENT',
      },
    ),
    environmentFields: list(string({ min: 1 }), {
      description:
        'Fields of the app’s config object that hold the environment’s name (config.NAME), beside environment',
    }),
    allow: list(
      map(
        {
          path: {
            shape: string({
              min: 1,
              description:
                'Files whose environment branches are accepted: a .gitignore-style pattern, e.g. src/dev-server/**',
            }),
            required: true,
          },
          reason: {
            shape: string({ min: 1, description: 'Why these branches are needed, for reviewers' }),
            required: true,
          },
        },
        { description: 'Files allowed to branch on the environment’s name, and why' },
      ),
      { description: 'Files whose environment branches are accepted (a framework’s development mode)' },
    ),
  },
  { description: 'stagecraft lint: application code that branches on the environment’s name' },
);

export const workspaceShape: ReturnType<typeof map> = map(
  {
    version: literal(1, { description: 'Workspace file format version' }),
    name: string({ min: 1, description: 'Project name shown in reports' }),
    environments: record(environment, {
      description: 'Ordered map of environments in promotion order; defaults to dev, staging, production',
    }),
    services: record(service, { description: 'Deployable services by name' }),
    config: map(
      {
        module: path('Module whose default export is the app’s config definition'),
        base: path('Config file loaded in every environment'),
        files: string({
          min: 1,
          description: 'Per-environment config file pattern; {env} is replaced by the environment name',
        }),
      },
      { description: 'Where the application’s typed configuration lives' },
    ),
    ledger,
    server,
    secrets: map(
      {
        file: map(
          {
            roots: list(string({ min: 1 }), {
              description:
                'Folders ref+file:// may read under (links followed first), relative to stagecraft.yaml; the workspace is always one. Default: ., /run/secrets, /var/run/secrets',
            }),
          },
          { description: 'The ref+file:// backend' },
        ),
      },
      { open: true, description: 'Secret references and backends' },
    ),
    scan: section('Secret scanner settings'),
    parity: section('Staging/production parity settings'),
    drift,
    lint,
  },
  { description: 'stagecraft workspace: the environment model of one repository' },
);

type Section = Record<string, unknown>;

/** stagecraft.yaml as written, before defaults. */
export interface WorkspaceInput {
  version?: 1;
  name?: string;
  environments?: Record<string, EnvironmentInput>;
  services?: Record<string, { image: string; manifests?: string }>;
  config?: { module?: string; base?: string; files?: string };
  ledger?: {
    reporters?: string[];
    verifiers?: string[];
    rejecters?: string[];
    approvers?: string[];
    staleAfter?: string;
  };
  server?: ServerInput;
  secrets?: Section & { file?: { roots?: string[] } };
  scan?: Section;
  parity?: Section;
  drift?: Section;
  lint?: { environmentVariables?: string[]; environmentFields?: string[]; allow?: LintAllowInput[] };
}

/** One entry of `lint.allow`. */
export interface LintAllowInput {
  path: string;
  reason: string;
}

export interface EnvironmentInput {
  from?: string;
  deployers?: string[];
  gates?: GateInput[];
  dotenv?: boolean;
  manifests?: string;
  facts?: string;
  terraform?: { plan?: string; state?: string };
  deploy?: { command?: string | string[]; [key: string]: unknown };
}

export function checkWorkspaceShape(value: unknown): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  workspaceShape.check(value, [] as Path, issues);
  return issues;
}

/** JSON Schema (draft 2020-12) for editors; `yaml-language-server` reads it from the modeline `init` writes. */
export function workspaceJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'stagecraft.yaml',
    ...workspaceShape.jsonSchema(),
  };
}
