/**
 * The command tree. Each command's implementation lives in commands/<name>.ts and is imported only when that
 * command runs, so `stagecraft --help` and a pre-commit hook start fast.
 */
import { Command, CommanderError, Option } from 'commander';
import { isStagecraftError } from '../errors.ts';
import { type CommandContext, createContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { FORMATS, type Format, Output, type WritableLike } from './output.ts';
import { shouldColor } from './style.ts';

export interface CliIO {
  stdout: WritableLike;
  stderr: WritableLike;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

type Action = (ctx: CommandContext, options: Record<string, unknown>, args: string[]) => Promise<number>;
type Loader = () => Promise<{ run: Action }>;

interface GlobalOptions {
  cwd?: string;
  workspace?: string;
  format: Format;
  color?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = ExitCode.Clean;
  let output: Output | undefined;
  const program = new Command('stagecraft');

  const makeOutput = (globals: GlobalOptions) =>
    new Output({
      stdout: io.stdout,
      stderr: io.stderr,
      format: globals.format,
      color: shouldColor(io.stdout.isTTY, io.env, globals.color),
      errorColor: shouldColor(io.stderr.isTTY, io.env, globals.color),
    });

  const action = (load: Loader) =>
    async function (this: Command, ...parameters: unknown[]) {
      const command = parameters[parameters.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions>();
      output = makeOutput(globals);
      const ctx = createContext({
        cwd: globals.cwd ?? io.cwd,
        workspaceFile: globals.workspace,
        env: io.env,
        output,
      });
      const { run } = await load();
      exitCode = await run(ctx, command.opts(), command.args);
    };

  program
    .description(
      'Promote one artifact unchanged through your environments, with config, secrets, parity and drift checked.',
    )
    .version(await packageVersion(), '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option(
      '-w, --workspace <file>',
      'use this stagecraft.yaml instead of searching upwards from the working directory',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('init')
    .description(
      'scaffold stagecraft.yaml, config files, .env.example and .gitignore entries (never overwrites)',
    )
    .option('--name <name>', 'project name written into stagecraft.yaml')
    .action(action(() => import('./commands/init.ts')));

  const workspace = program.command('workspace').description('inspect and validate stagecraft.yaml');
  workspace
    .command('check')
    .description('validate stagecraft.yaml: exit 0 valid, 2 invalid, 1 not found')
    .action(action(() => import('./commands/workspace-check.ts')));
  workspace
    .command('show')
    .description('show the promotion chain, who deploys where and each environment’s gates')
    .action(action(() => import('./commands/workspace-show.ts')));
  workspace
    .command('schema')
    .description('print the JSON Schema of stagecraft.yaml, for editor completion')
    .action(action(() => import('./commands/workspace-schema.ts')));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? ExitCode.Clean : ExitCode.Error;
    }
    const out = output ?? makeOutput({ format: 'text' });
    if (isStagecraftError(error)) {
      out.error(error);
      return ExitCode.Error;
    }
    out.bug(error);
    return ExitCode.Error;
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
