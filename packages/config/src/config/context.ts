/**
 * Where an app's config comes from: the workspace (stagecraft.yaml, if there is one) decides the config file
 * paths and in which environments `.env` files may be read. Without a workspace the seed's defaults apply.
 */
import { resolve } from 'node:path';
import { isStagecraftError } from '../errors.ts';
import { WorkspaceCodes } from '../workspace/errors.ts';
import {
  DEFAULT_CONFIG,
  DEFAULT_ENVIRONMENTS,
  findWorkspaceFile,
  loadWorkspace,
  secretFileRoots,
} from '../workspace/load.ts';

export interface ConfigContext {
  /** Folder that `.env` files and relative config paths are resolved against. */
  root: string;
  workspaceFile: string | undefined;
  environments: readonly { name: string; dotenv: boolean }[];
  /** Where the chain starts; the environment used when ENVIRONMENT is not set. */
  defaultEnvironment: string;
  basePath: string;
  /** Absolute path pattern with `{env}`. */
  filesPattern: string;
  /** Absolute folders `ref+file://` may read under (stagecraft.yaml's `secrets.file.roots`, and `root`). */
  fileRoots: readonly string[];
}

export function resolveContext(options: {
  root?: string | undefined;
  workspace?: string | false | undefined;
  /**
   * Where to look for stagecraft.yaml when no root is given, and what a relative root is relative to
   * (default: the process's working directory).
   */
  cwd?: string | undefined;
}): ConfigContext {
  const start = resolve(options.cwd ?? process.cwd(), options.root ?? '.');
  let file: string | undefined;
  if (options.workspace !== false) {
    try {
      file = findWorkspaceFile({ cwd: start, ...(options.workspace ? { file: options.workspace } : {}) });
    } catch (error) {
      if (!isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND) || options.workspace) throw error;
    }
  }
  if (file) {
    const workspace = loadWorkspace({ file });
    const root = options.root ? start : workspace.root;
    return {
      root,
      workspaceFile: workspace.file,
      environments: workspace.environments.map(({ name, dotenv }) => ({ name, dotenv })),
      defaultEnvironment: workspace.environments[0]?.name ?? 'dev',
      basePath: workspace.config.base,
      filesPattern: workspace.config.files,
      fileRoots: [...new Set([root, ...workspace.secretFileRoots])],
    };
  }
  const environments = Object.entries(DEFAULT_ENVIRONMENTS).map(([name, env]) => ({
    name,
    dotenv: env.dotenv ?? env.from === undefined,
  }));
  return {
    root: start,
    workspaceFile: undefined,
    environments,
    defaultEnvironment: environments[0]?.name ?? 'dev',
    basePath: resolve(start, DEFAULT_CONFIG.base),
    filesPattern: resolve(start, DEFAULT_CONFIG.files),
    fileRoots: secretFileRoots(start, undefined),
  };
}

export function environmentFile(context: ConfigContext, environment: string): string {
  return context.filesPattern.split('{env}').join(environment);
}
