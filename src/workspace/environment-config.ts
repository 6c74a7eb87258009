/**
 * The config files an environment reads, as the loader layers them — the shared base, then the environment's
 * own — read from the workspace without resolving anything: for commands that look at what is committed
 * (`ci init`'s variables, `diff`'s values). Each is read as every authored input is: a regular file, under
 * the authored size cap.
 */
import { relative } from 'node:path';
import { INPUT_LIMITS, isPresent, readInputFile } from '@stagecraft/config/input';
import type { Workspace } from '@stagecraft/config/workspace';

export interface EnvironmentConfigFile {
  /** Absolute path. */
  path: string;
  /** The path relative to the workspace, for messages and reports. */
  shown: string;
  text: string;
}

/** Each config file the environment reads that exists, base first. */
export function readEnvironmentConfig(workspace: Workspace, environment: string): EnvironmentConfigFile[] {
  const paths = [workspace.config.base, workspace.config.files.split('{env}').join(environment)];
  return paths.filter(isPresent).map((path) => ({
    path,
    shown: relative(workspace.root, path) || path,
    text: readInputFile(path, { what: 'config file', maxBytes: INPUT_LIMITS.authored }),
  }));
}
