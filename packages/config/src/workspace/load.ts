/**
 * The one workspace loader: finds stagecraft.yaml, reports every problem in it at once with file:line:column,
 * and resolves defaults so no caller needs to know them.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type Problem, StagecraftError, summarizeProblems } from '../errors.ts';
import { INPUT_LIMITS, isPresent, readInputFile } from '../input/read-file.ts';
import { parseYamlSource, type YamlSource } from '../yaml/document.ts';
import { WorkspaceCodes } from './errors.ts';
import { toGate } from './gate-options.ts';
import { issuesToProblems } from './issues.ts';
import type { Environment, Service, Workspace } from './model.ts';
import { checkWorkspaceRules } from './rules.ts';
import { checkWorkspaceShape, type EnvironmentInput, type WorkspaceInput } from './schema.ts';
import { checkServerSettings, toServerSettings } from './server-settings.ts';

export const WORKSPACE_FILE_NAMES: readonly string[] = ['stagecraft.yaml', 'stagecraft.yml'];

/** The environment chain of the seed, used when stagecraft.yaml declares none. */
export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = {
  dev: { deployers: ['developer'] },
  staging: { from: 'dev', deployers: ['ci'] },
  production: { from: 'staging', deployers: ['ci'] },
};

export const DEFAULT_CONFIG: { module: string; base: string; files: string } = {
  module: 'src/config.ts',
  base: 'config/base.yaml',
  files: 'config/{env}.yaml',
};

/**
 * Where `ref+file://` may read when stagecraft.yaml lists no `secrets.file.roots`: the workspace and the
 * folders Docker and Kubernetes mount secrets in. The workspace root is allowed even when a list is given.
 */
export const DEFAULT_SECRET_FILE_ROOTS: readonly string[] = ['.', '/run/secrets', '/var/run/secrets'];

/** The absolute roots for a workspace rooted at `root`: itself first, then the listed (or default) ones. */
export function secretFileRoots(root: string, listed: readonly string[] | undefined): string[] {
  return [...new Set([root, ...(listed ?? DEFAULT_SECRET_FILE_ROOTS).map((path) => resolve(root, path))])];
}

export interface LoadWorkspaceOptions {
  /** Folder to start looking from (upwards); defaults to the current directory. */
  cwd?: string;
  /** An explicit stagecraft.yaml, or a folder holding one; skips the upward search. */
  file?: string;
}

/** Finds the workspace file: `options.file` if given, else the nearest stagecraft.yaml at or above `cwd`. */
export function findWorkspaceFile(options: LoadWorkspaceOptions = {}): string {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.file !== undefined) {
    const given = isAbsolute(options.file) ? options.file : resolve(cwd, options.file);
    if (existsSync(given) && statSync(given).isDirectory()) return findIn(given, true) as string;
    if (!isPresent(given)) {
      throw new StagecraftError(
        WorkspaceCodes.WORKSPACE_NOT_FOUND,
        `workspace file ${given} does not exist`,
        {
          hint: 'check the path given to --workspace, or run `stagecraft init` to create one',
        },
      );
    }
    return given;
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const found = findIn(dir, false);
    if (found) return found;
    if (dirname(dir) === dir) break;
  }
  throw new StagecraftError(
    WorkspaceCodes.WORKSPACE_NOT_FOUND,
    `no stagecraft.yaml found in ${cwd} or any folder above it`,
    {
      hint: 'run `stagecraft init` to create one, or pass --workspace FILE',
    },
  );
}

function findIn(dir: string, required: boolean): string | undefined {
  const found = WORKSPACE_FILE_NAMES.map((name) => join(dir, name)).filter(isPresent);
  if (found.length > 1) {
    throw new StagecraftError(WorkspaceCodes.WORKSPACE_AMBIGUOUS, `both ${found.join(' and ')} exist`, {
      hint: 'keep one workspace file and delete the other',
    });
  }
  if (found.length === 0 && required) {
    throw new StagecraftError(WorkspaceCodes.WORKSPACE_NOT_FOUND, `no stagecraft.yaml in ${dir}`, {
      hint: 'run `stagecraft init` there, or point --workspace at the file',
    });
  }
  return found[0];
}

/** Loads and validates a workspace; throws a StagecraftError listing every problem when it is invalid. */
export function loadWorkspace(options: LoadWorkspaceOptions = {}): Workspace {
  const file = findWorkspaceFile(options);
  const text = readInputFile(file, {
    what: 'workspace file',
    maxBytes: INPUT_LIMITS.authored,
    code: WorkspaceCodes.WORKSPACE_UNREADABLE,
    hint: 'check that the file exists and is readable',
  });
  return parseWorkspace(text, file);
}

/** Validates workspace text; `file` is used for locations and to resolve relative paths. */
export function parseWorkspace(text: string, file: string): Workspace {
  const source = parseYamlSource(text, file, WorkspaceCodes.WORKSPACE_YAML_SYNTAX);
  const problems = validateWorkspaceSource(source);
  if (problems.some((problem) => problem.severity === 'error')) {
    const count = problems.length;
    throw new StagecraftError(
      WorkspaceCodes.WORKSPACE_INVALID,
      summarizeProblems(`${file} has ${count} problem${count === 1 ? '' : 's'}:`, problems),
      {
        problems,
        location: { file },
        hint: 'fix the problems listed; `stagecraft workspace check` re-checks',
      },
    );
  }
  return resolveWorkspace((source.value ?? {}) as WorkspaceInput, source);
}

function validateWorkspaceSource(source: YamlSource): Problem[] {
  if (source.syntaxProblems.length > 0) return source.syntaxProblems;
  const value = source.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [
      {
        code: WorkspaceCodes.WORKSPACE_INVALID_TYPE,
        severity: 'error',
        message: 'stagecraft.yaml must be a map of sections (environments, services, config, ...)',
        location: source.locate([]),
        hint: 'start from `stagecraft init`, which writes an annotated file',
      },
    ];
  }
  const input = value as Record<string, unknown>;
  const problems = [
    ...issuesToProblems(checkWorkspaceShape(value), source),
    ...checkWorkspaceRules(input, source),
    ...checkServerSettings(input, source, environmentNames(input)),
  ];
  return problems.sort(
    (a, b) =>
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}

/** The environments a workspace declares, or its defaults when it declares none. */
function environmentNames(input: Record<string, unknown>): string[] {
  const declared = input['environments'];
  if (declared === undefined) return Object.keys(DEFAULT_ENVIRONMENTS);
  return declared !== null && typeof declared === 'object' && !Array.isArray(declared)
    ? Object.keys(declared)
    : [];
}

function resolveWorkspace(input: WorkspaceInput, source: YamlSource): Workspace {
  const root = dirname(source.file);
  const at = (path: string | undefined) => (path === undefined ? undefined : resolve(root, path));
  const declared = input.environments ?? DEFAULT_ENVIRONMENTS;
  const environments: Environment[] = Object.entries(declared).map(([name, env]) => {
    const start = env.from === undefined;
    return {
      name,
      from: env.from,
      // Defaults follow the environment's place in the chain, never its name.
      deployers: env.deployers ?? (start ? ['developer'] : ['ci']),
      gates: (env.gates ?? []).map(toGate),
      dotenv: env.dotenv ?? start,
      manifests: at(env.manifests),
      facts: at(env.facts),
      terraform: {
        ...(env.terraform?.plan ? { plan: at(env.terraform.plan) as string } : {}),
        ...(env.terraform?.state ? { state: at(env.terraform.state) as string } : {}),
      },
      deploy: env.deploy,
    };
  });
  const services: Service[] = Object.entries(input.services ?? {}).map(([name, service]) => ({
    name,
    image: service.image,
    manifests: at(service.manifests),
  }));
  const config = { ...DEFAULT_CONFIG, ...input.config };
  return {
    file: source.file,
    root,
    name: input.name ?? root.split(/[\\/]/).pop() ?? 'workspace',
    environments,
    services,
    config: {
      module: resolve(root, config.module),
      declared: input.config !== undefined,
      base: resolve(root, config.base),
      files: resolve(root, config.files),
    },
    ledger: {
      reporters: input.ledger?.reporters ?? ['ci'],
      verifiers: input.ledger?.verifiers ?? ['ci'],
      rejecters: input.ledger?.rejecters ?? ['admin'],
      approvers: input.ledger?.approvers ?? ['developer', 'approver', 'admin'],
      staleAfterMs: staleAfterMs(input.ledger?.staleAfter ?? '2m'),
    },
    server: toServerSettings(input.server, root),
    secrets: input.secrets ?? {},
    secretFileRoots: secretFileRoots(root, input.secrets?.file?.roots),
    scan: input.scan ?? {},
    parity: input.parity ?? {},
    drift: input.drift ?? {},
    lint: input.lint ?? {},
    locate: (path) => source.locate(path),
  };
}

/** `staleAfter` as milliseconds; the schema has already checked the form (a number and ms, s, m or h). */
function staleAfterMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match?.[2] as 'ms'] ?? 60_000;
  return Number(match?.[1] ?? 2) * unit;
}
