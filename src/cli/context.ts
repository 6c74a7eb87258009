/** What every command receives: resolved shared options, the output layer and the process it runs in. */
import { resolve } from 'node:path';
import { loadWorkspace, type Workspace } from '@stagecraft/config/workspace';
import type { Store } from '../ledger/store.ts';
import type { Output } from './output.ts';

export interface CommandContext {
  cwd: string;
  /** Where reports' paths are relative to: the workspace's folder (found upwards), else `cwd`. */
  root: string;
  /** --workspace, when given. */
  workspaceFile: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, for the commands that read it. */
  stdin: AsyncIterable<Buffer | string>;
  /** Tests only: opens the ledger's store instead of the workspace's (see CliIO). */
  ledgerStore?: () => Promise<Store>;
  /** The command line as given (after the program name): `run` checks that its command follows `--`. */
  argv: readonly string[];
  output: Output;
  /** Loads stagecraft.yaml for this invocation (found from --cwd upwards, or --workspace). */
  workspace(): Workspace;
}

export function createContext(options: {
  cwd: string;
  root: string;
  workspaceFile: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  stdin: AsyncIterable<Buffer | string>;
  ledgerStore?: () => Promise<Store>;
  argv: readonly string[];
  output: Output;
}): CommandContext {
  let cached: Workspace | undefined;
  const cwd = resolve(options.cwd);
  return {
    ...options,
    cwd,
    workspace: () => {
      cached ??= loadWorkspace({ cwd, ...(options.workspaceFile ? { file: options.workspaceFile } : {}) });
      return cached;
    },
  };
}
