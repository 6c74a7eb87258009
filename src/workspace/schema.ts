/**
 * The shape of `stagecraft.yaml`, declared once: the loader validates with it and `stagecraft workspace
 * schema` turns it into the JSON Schema editors use for completion. Keys, once shipped, are extended and
 * never renamed.
 */
import { z } from 'zod';

/** Environment, service and deployer names: what can safely appear in a path, a URL and a label. */
export const NAME_PATTERN: RegExp = /^[a-z][a-z0-9-]*$/;
const DEPLOYER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

/** Gate kinds the promotion rules know; each gate may carry options of its own. */
export const GATE_KINDS: readonly string[] = ['tests', 'soak', 'approvals', 'window'];

const relativePath = (what: string) => z.string().min(1).describe(`${what}, relative to stagecraft.yaml`);

// Sections owned by later features: open objects now so they can grow without renaming anything.
const openSection = (what: string) => z.looseObject({}).describe(what);

const gateObject = z
  .looseObject({
    kind: z.enum(GATE_KINDS as [string, ...string[]]).describe('The gate kind'),
  })
  .describe('A gate with options, e.g. { kind: approvals, count: 2 }');

const gate = z.union([z.enum(GATE_KINDS as [string, ...string[]]), gateObject]);

const deployStep = z
  .looseObject({
    command: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('A command run with the image digest and service in its environment'),
  })
  .describe('How a recorded deployment is carried out in this environment');

const terraform = z
  .strictObject({
    plan: relativePath('`terraform show -json` output of the plan').optional(),
    state: relativePath('`terraform show -json` output of the state').optional(),
  })
  .describe('Terraform JSON describing this environment’s infrastructure');

const environmentSchema = z
  .strictObject({
    from: z
      .string()
      .regex(NAME_PATTERN)
      .optional()
      .describe('The environment whose successfully deployed artifact is promoted here'),
    deployers: z
      .array(z.string().regex(DEPLOYER_PATTERN))
      .min(1)
      .optional()
      .describe('Roles or identities allowed to deploy here (e.g. developer, ci)'),
    gates: z.array(gate).optional().describe('Checks that must pass before an artifact is deployed here'),
    dotenv: z
      .boolean()
      .optional()
      .describe(
        'Whether .env files may be read here; by default only in the environment promoted from nothing',
      ),
    manifests: relativePath('Folder of rendered Kubernetes manifests').optional(),
    facts: relativePath('facts.json with cluster and database versions').optional(),
    terraform: terraform.optional(),
    deploy: deployStep.optional(),
  })
  .describe('One tier of the promotion chain');

const serviceSchema = z
  .strictObject({
    image: z.string().min(1).describe('Image repository without tag or digest, e.g. ghcr.io/acme/shop-api'),
    manifests: relativePath('Folder of this service’s manifests').optional(),
  })
  .describe('A deployable service and the image repository it is built to');

const configSectionSchema = z
  .strictObject({
    module: relativePath('Module whose default export is the app’s config definition').optional(),
    base: relativePath('Config file loaded in every environment').optional(),
    files: z
      .string()
      .min(1)
      .optional()
      .describe('Per-environment config file pattern; {env} is replaced by the environment name'),
  })
  .describe('Where the application’s typed configuration lives');

const workspaceSchema = z
  .strictObject({
    version: z.literal(1).optional().describe('Workspace file format version'),
    name: z.string().min(1).optional().describe('Project name shown in reports'),
    environments: z
      .record(z.string(), environmentSchema)
      .optional()
      .describe('Ordered map of environments in promotion order; defaults to dev, staging, production'),
    services: z.record(z.string(), serviceSchema).optional().describe('Deployable services by name'),
    config: configSectionSchema.optional(),
    secrets: openSection('Secret references and backends').optional(),
    scan: openSection('Secret scanner settings').optional(),
    parity: openSection('Staging/production parity settings').optional(),
    drift: openSection('Drift detection settings').optional(),
  })
  .describe('stagecraft workspace: the environment model of one repository');

type Section = Record<string, unknown>;

/** stagecraft.yaml as written, before defaults. */
export interface WorkspaceInput {
  version?: 1 | undefined;
  name?: string | undefined;
  environments?: Record<string, EnvironmentInput> | undefined;
  services?: Record<string, { image: string; manifests?: string | undefined }> | undefined;
  config?: { module?: string | undefined; base?: string | undefined; files?: string | undefined } | undefined;
  secrets?: Section | undefined;
  scan?: Section | undefined;
  parity?: Section | undefined;
  drift?: Section | undefined;
}

export interface EnvironmentInput {
  from?: string | undefined;
  deployers?: string[] | undefined;
  gates?: (string | { kind: string; [option: string]: unknown })[] | undefined;
  dotenv?: boolean | undefined;
  manifests?: string | undefined;
  facts?: string | undefined;
  terraform?: { plan?: string | undefined; state?: string | undefined } | undefined;
  deploy?: { command?: string | string[] | undefined; [key: string]: unknown } | undefined;
}

// Compile-time proof that the hand-written types and the schema agree.
const _inputMatchesSchema: (value: z.infer<typeof workspaceSchema>) => WorkspaceInput = (value) => value;
void _inputMatchesSchema;

export type ShapeResult =
  | { success: true; data: WorkspaceInput }
  | { success: false; issues: z.core.$ZodIssue[] };

export function parseWorkspaceShape(value: unknown): ShapeResult {
  const parsed = workspaceSchema.safeParse(value);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, issues: parsed.error.issues };
}

/** JSON Schema (draft 2020-12) for editors; `yaml-language-server` reads it from the modeline `init` writes. */
export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema['$schema'],
    title: 'stagecraft.yaml',
    ...schema,
  };
}
