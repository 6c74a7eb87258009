/**
 * `stagecraft completion bash|zsh|fish` prints a completion script made from the command tree.
 * `--names environments|services` is what those scripts run while completing: the names stagecraft.yaml
 * declares, one a line, and nothing (not an error) where there is no readable stagecraft.yaml.
 */
import type { Command } from 'commander';
import { completionScript } from '../completion.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(
  ctx: CommandContext,
  options: { names?: 'environments' | 'services' },
  args: string[],
  command: Command,
): Promise<number> {
  if (options.names !== undefined) {
    let names: string[] = [];
    try {
      const workspace = ctx.workspace();
      names = (options.names === 'services' ? workspace.services : workspace.environments).map((x) => x.name);
    } catch {
      // Completing must never print an error into the user's command line.
    }
    if (names.length > 0) ctx.output.write(names.join('\n'));
    return ExitCode.Clean;
  }
  const shell = args[0];
  if (shell === undefined) command.error('error: missing argument: which shell (bash, zsh or fish)');
  let root = command;
  while (root.parent) root = root.parent;
  ctx.output.write(completionScript(shell, root));
  return ExitCode.Clean;
}
