/**
 * The command tree. Each command's implementation lives in commands/<name>.ts and is imported only when that
 * command runs, so `stagecraft --help` and a pre-commit hook start fast.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as CommanderModule from 'commander';
import { packageVersion } from '../package-info.ts';

// Required, not imported: commander is CommonJS, and Node's export detection for an ESM import of it costs
// start-up time that every pre-commit hook run would pay.
const { Argument, Command, CommanderError, Option } = createRequire(import.meta.url)(
  'commander',
) as typeof CommanderModule;
type Command = CommanderModule.Command;

import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { Store } from '../ledger/store.ts';
import { shouldColor } from '../terminal/style.ts';
import { SHELLS } from './completion.ts';
import { type CommandContext, createContext } from './context.ts';
import { CliCodes } from './errors.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { applyHelp } from './help.ts';
import { FORMATS, type Format, Output, type WritableLike } from './output.ts';

/** The formats each command's action was given, read by its help and by the completion scripts. */
const actionFormats = new WeakMap<object, readonly string[]>();
/** The module loader of each command's action, read by the command reference (docs/commands). */
const actionLoaders = new WeakMap<object, Loader>();

class StagecraftCommand extends Command {
  formats: readonly string[] | undefined;
  loader: Loader | undefined;
  override createCommand(name?: string): StagecraftCommand {
    return new StagecraftCommand(name);
  }
  // biome-ignore lint/suspicious/noExplicitAny: commander's own signature.
  override action(fn: (...args: any[]) => void | Promise<void>): this {
    this.formats = actionFormats.get(fn);
    this.loader = actionLoaders.get(fn);
    return super.action(fn);
  }
}

export interface CliIO {
  stdout: WritableLike;
  stderr: WritableLike;
  /** What `scan --stdin` and `secrets render -` read. */
  stdin: AsyncIterable<Buffer | string>;
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory `-C` is relative to; every command takes its paths from it, never the process's. */
  cwd: string;
  /**
   * Called with the directory `-C` names. The executable passes `process.chdir`, so that an app's config
   * module — the user's code, perhaps made by an older stagecraft — sees it as its working directory too.
   * Callers running several commands in one process (tests) leave it out: the runs stay independent.
   */
  chdir?: (dir: string) => void;
  /**
   * Tests only: the ledger's store for this run instead of .stagecraft/state.db or STAGECRAFT_DATABASE_URL
   * (an in-memory database shared by a test's runs). Not reachable from the command line.
   */
  ledgerStore?: () => Promise<Store>;
}

// biome-ignore lint/suspicious/noExplicitAny: each command declares the options commander parsed for it.
type Action = (ctx: CommandContext, options: any, args: string[], command: Command) => Promise<number>;
type Loader = () => Promise<{ run: Action }>;

/** `--record` on parity and drift. */
const RECORD =
  'keep the result in the ledger for the dashboard (the server with STAGECRAFT_URL, else .stagecraft/state.db)';

interface GlobalOptions {
  cwd?: string;
  workspace?: string;
  format: Format;
  color?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const state: RunState = { exitCode: ExitCode.Clean, output: undefined };
  const program = createProgram(argv, io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; in text, usage errors were already printed by commander.
      if (error.exitCode === 0) return ExitCode.Clean;
      if (requestsJson(argv)) makeOutput(io, { format: 'json' }).error(usageError(error, program, argv));
      return ExitCode.Error;
    }
    const out = state.output ?? makeOutput(io, { format: 'text' });
    if (isStagecraftError(error)) {
      out.error(error);
      return exitCodeFor(error.outcome);
    }
    out.bug(error);
    return ExitCode.Error;
  }
}

/** What a run leaves behind: its exit code, and the output layer its command used. */
export interface RunState {
  exitCode: number;
  output: Output | undefined;
}

const makeOutput = (io: CliIO, globals: GlobalOptions, root?: string) =>
  new Output({
    ...(root === undefined ? {} : { root }),
    stdout: io.stdout,
    stderr: io.stderr,
    format: globals.format,
    color: shouldColor(io.stdout.isTTY, io.env, globals.color),
    errorColor: shouldColor(io.stderr.isTTY, io.env, globals.color),
  });

/**
 * Reports name files relative to the workspace's folder, whatever folder the command ran in; without a
 * workspace, relative to that folder. Found here with a few stat calls rather than the workspace loader, which
 * every command, a pre-commit hook's included, would then load at start-up.
 */
function reportRoot(cwd: string, workspaceFile: string | undefined): string {
  if (workspaceFile !== undefined) {
    const given = resolve(cwd, workspaceFile);
    return /\.ya?ml$/.test(given) ? dirname(given) : given;
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'stagecraft.yaml')) || existsSync(join(dir, 'stagecraft.yml'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** The whole command tree, with each command's help applied; `runCli` parses the command line with it. */
export function createProgram(
  argv: readonly string[],
  io: CliIO,
  state: RunState = { exitCode: ExitCode.Clean, output: undefined },
): CommanderModule.Command {
  const program = new StagecraftCommand('stagecraft');
  // Under --format json a usage error is a JSON document too: commander's own text is held back for it.
  const json = requestsJson(argv);

  const action = (load: Loader, formats: readonly string[] = FORMATS) => {
    const handler = async function (this: Command, ...parameters: unknown[]) {
      const command = parameters[parameters.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions>();
      if ((command.opts() as { json?: boolean }).json) globals.format = 'json';
      if (!formats.includes(globals.format)) {
        command.error(
          `error: --format ${globals.format} is not available here; use one of ${formats.join(', ')}`,
        );
      }
      // Like `git -C`: every path is taken from there.
      const cwd = globals.cwd ? resolve(io.cwd, globals.cwd) : io.cwd;
      const root = reportRoot(cwd, globals.workspace);
      const out = makeOutput(io, globals, root);
      state.output = out;
      if (globals.cwd) io.chdir?.(cwd);
      const ctx = createContext({
        cwd,
        root,
        workspaceFile: globals.workspace,
        env: io.env,
        stdin: io.stdin,
        ...(io.ledgerStore ? { ledgerStore: io.ledgerStore } : {}),
        argv,
        output: out,
      });
      const { run } = await load();
      state.exitCode = await run(ctx, command.opts(), command.args, command);
      out.flush();
    };
    actionFormats.set(handler, formats);
    actionLoaders.set(handler, load);
    return handler;
  };

  program
    .description(
      'Promote one artifact unchanged through your environments, with config, secrets, parity and drift checked.',
    )
    .version(packageVersion(), '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option(
      '-w, --workspace <file>',
      'use this stagecraft.yaml instead of searching upwards from the working directory',
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format: text, json or markdown (some commands add more)',
      ).default('text'),
    )
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => {
        if (!json) io.stderr.write(text);
      },
    });

  program
    .command('init')
    .description(
      'scaffold stagecraft.yaml, config files, .env.example and .gitignore entries (never overwrites)',
    )
    .option('--name <name>', 'project name written into stagecraft.yaml')
    .option(
      '--service <name=image>',
      'a deployable service and its image repository (repeat for more)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(action(() => import('./commands/init.ts')));

  program
    .command('ci')
    .description('CI workflows that carry the promotion chain')
    .command('init')
    .description(
      'write CI workflows from stagecraft.yaml: exit 0 written or up to date, 2 a file was edited (--force)',
    )
    .option('--github', 'GitHub Actions: .github/workflows/stagecraft-*.yml')
    .option('--gitlab', 'GitLab CI: .gitlab-ci.yml')
    .option('--force', 'replace a generated file that was edited since, or a file ci init did not write')
    .option('--dry-run', 'print what would be written; write nothing')
    .action(action(() => import('./commands/ci-init.ts')));

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

  const env = program.command('env').description('inspect .env files');
  env
    .command('parse')
    .description('print a .env file as one JSON object, parsed exactly as the dotenv package does')
    .argument('<file>', '.env file to parse')
    .option('--json', 'alias of --format json')
    .action(action(() => import('./commands/env-parse.ts'), ['json', 'text']));

  const config = program
    .command('config')
    .description('check, show and document the app’s typed configuration');
  const moduleOption = () =>
    new Option('--module <path>', 'config definition module (default: config.module of stagecraft.yaml)');
  config
    .command('check')
    .description(
      'validate the config of one environment (exit 0 valid, 2 problems), or --all with a coverage matrix',
    )
    .option('-e, --env <name>', 'environment to check (default: ENVIRONMENT, else the start of the chain)')
    .option('--all', 'check every environment offline and print which source provides each required field')
    .addOption(moduleOption())
    .action(action(() => import('./commands/config-check.ts')));
  config
    .command('show')
    .description('every value with the source it came from; secrets masked unless --reveal')
    .option('-e, --env <name>', 'environment to show')
    .option('--reveal', 'print secret values')
    .addOption(moduleOption())
    .action(action(() => import('./commands/config-show.ts'), ['text', 'json', 'dotenv', 'markdown']));
  config
    .command('example')
    .description('write .env.example from the config definition')
    .option('-o, --output <file>', 'where to write; - for standard output', '.env.example')
    .option('--check', 'do not write; exit 2 if the file is missing or out of date')
    .addOption(moduleOption())
    .action(action(() => import('./commands/config-example.ts')));
  config
    .command('docs')
    .description('print a Markdown reference of every config field')
    .addOption(moduleOption())
    .action(action(() => import('./commands/config-docs.ts'), ['markdown', 'text']));
  config
    .command('schema')
    .description('print a JSON Schema of the YAML config files, for editor completion')
    .addOption(moduleOption())
    .action(action(() => import('./commands/config-schema.ts'), ['json', 'text']));

  program
    .command('scan')
    .description('scan files for secrets: exit 0 clean, 2 secrets found, 1 could not scan')
    .argument(
      '[paths...]',
      'files or folders to scan (default: the working directory); .gitignore is honoured',
    )
    .option('--staged', 'scan what the next commit adds (for a pre-commit hook)')
    .option(
      '--range <base..head>',
      'scan every commit in a range, e.g. origin/main..HEAD (for pull requests)',
    )
    .option('--history', 'scan every commit HEAD reaches, including files deleted since')
    .option('--branches <which>', 'with --history: all (every branch, tag and remote branch) or current')
    .option('--stdin', 'scan standard input instead of files')
    .option('--stdin-name <name>', 'file name to report for standard input')
    .option('--reveal', 'print the secrets themselves instead of a redacted match')
    .option('--workers <n>', 'worker threads (default: one per core for large inputs; 0 for none)')
    .option(
      '--baseline <file>',
      'report only findings not accepted in this baseline (default: scan.baseline)',
    )
    .option('--write-baseline <file>', 'accept every current finding: write them to this baseline file')
    .option('--reason <text>', 'with --write-baseline: why the new entries are acceptable')
    .option(
      '--import-baseline <file>',
      'convert a .gitleaksignore or detect-secrets .secrets.baseline into a stagecraft baseline',
    )
    .option('--show-suppressed', 'also list suppressed findings and what suppressed each')
    .option(
      '--show-low',
      'also list findings that do not fail the run (low confidence, or in tests, docs and examples)',
    )
    .option('--no-ignore', 'scan files .gitignore excludes too (a path named on the command line always is)')
    .option(
      '--fail-on-skipped',
      'exit 1 when any file was not scanned (binary, over the size limit, undecodable) instead of warning',
    )
    .action(action(() => import('./commands/scan.ts'), ['text', 'json', 'sarif', 'markdown']));

  program
    .command('lint')
    .description(
      'find code that branches on the environment’s name: exit 0 clean, 2 found, 1 could not read a file',
    )
    .argument(
      '[paths...]',
      'files or folders to check (default: the working directory); .gitignore is honoured',
    )
    .action(action(() => import('./commands/lint.ts'), ['text', 'json', 'sarif', 'markdown']));

  const secrets = program
    .command('secrets')
    .description('resolve, check and list secret references (ref+env://, ref+file://, ref+k8s://, …)');
  secrets
    .command('get')
    .description(
      'print the value one reference names (the one command that prints a secret without --reveal)',
    )
    .argument('<reference>', 'e.g. ref+env://DB_PASSWORD or ref+file://secrets/db.json#/password')
    .option('-e, --env <name>', 'environment whose rules apply (whether .env may be read)')
    .action(action(() => import('./commands/secrets-get.ts'), ['text', 'json']));
  secrets
    .command('check')
    .description(
      'whether every secret of an environment’s config resolves here: exit 0, 2 unresolvable, 1 error',
    )
    .option('-e, --env <name>', 'environment to check (default: ENVIRONMENT, else the start of the chain)')
    .addOption(moduleOption())
    .action(action(() => import('./commands/secrets-check.ts')));
  secrets
    .command('keys')
    .description('the secret structure of an environment (which keys, from where), never values')
    .option('-e, --env <name>', 'environment to list')
    .addOption(moduleOption())
    .action(action(() => import('./commands/secrets-keys.ts')));
  secrets
    .command('render')
    .description('resolve every reference in a YAML or JSON file (e.g. Helm values), like vals eval')
    .argument('[file]', 'YAML or JSON file; - for standard input', '-')
    .option('-e, --env <name>', 'environment whose rules apply')
    .option('-o, --out <file>', 'write here (mode 0600) instead of standard output')
    .action(action(() => import('./commands/secrets-render.ts'), ['text']));

  program
    .command('run')
    .description(
      'start a command with an environment’s config and secrets in its environment only: stagecraft run --env dev -- CMD ARGS…',
    )
    .argument('<command>', 'program to run (no shell)')
    .argument('[args...]', 'its arguments')
    .option('-e, --env <name>', 'environment whose config to resolve')
    .option('--redact', 'mask resolved secret values in the command’s output')
    .option(
      '--watch',
      'restart the command when a secret it uses changes (mounted, or read again through an API)',
    )
    .option(
      '--refresh <duration>',
      'with --watch: how often to read again secrets held in Vault, AWS or the Kubernetes API (default 5m when the config holds one; 0 turns it off)',
    )
    .addOption(moduleOption())
    .action(action(() => import('./commands/run.ts'), ['text']));

  program
    .command('facts')
    .description('facts about a running environment, for parity')
    .command('collect')
    .description('ask the cluster (kubectl) and databases for their versions; write facts.json')
    .option('-e, --env <name>', 'write to this environment’s facts file (stagecraft.yaml)')
    .option('--context <name>', 'kubectl context of the environment’s cluster')
    .option('--kubeconfig <file>', 'kubeconfig to use')
    .option(
      '--database <name=url>',
      'a database to ask for its version (repeatable; PostgreSQL)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('-o, --out <file>', 'where to write; - for standard output')
    .action(action(() => import('./commands/facts-collect.ts'), ['text']));

  const drift = program
    .command('drift')
    .description(
      'what runs against what is declared: exit 0 none, 2 drift, 1 error; without a subcommand, every source stagecraft.yaml configures',
    )
    .option('--record', 'keep each source’s result in the ledger, as its own command would')
    .action(action(() => import('./commands/drift.ts')))
    // commander gives an option both declare to this command: `drift kubernetes --record` passes it on.
    .hook('preSubcommand', (parent, subcommand) => {
      if (parent.getOptionValue('record')) subcommand.setOptionValue('record', true);
    });
  drift
    .command('kubernetes')
    .description('rendered manifests against live objects, without server defaults and other noise')
    .option('--desired <dir>', 'folder of rendered manifests (default: the --env environment’s manifests)')
    .option('--live <file>', '`kubectl get … -o json` output (a List), or a folder of objects')
    .option('--context <name>', 'instead of --live, ask the cluster of this kubectl context')
    .option('--kubeconfig <file>', 'kubeconfig for --context')
    .option('-e, --env <name>', 'environment: its manifests, and whether it is IaC-only (drift.iacOnly)')
    .option('--record', RECORD)
    .action(action(() => import('./commands/drift-kubernetes.ts')));
  drift
    .command('terraform')
    .description('summarise terraform show -json of a plan; exit codes as terraform plan -detailed-exitcode')
    .argument('<plan>', 'plan JSON (terraform show -json plan.out > plan.json)')
    .option(
      '-e, --env <name>',
      'the environment the plan is for, naming the recorded result (default: the one whose terraform.plan it is)',
    )
    .option('--record', RECORD)
    .action(action(() => import('./commands/drift-terraform.ts')));
  drift
    .command('freshness')
    .description('how many commits and hours each service’s deployed commit is behind main')
    .option('-e, --env <name>', 'environment (default: the second of the chain, e.g. staging)')
    .option('--max-behind <n>', 'drift past this many commits (default: drift.freshness.ENV.maxBehind)')
    .option(
      '--max-age <duration>',
      'drift when main has had a commit for longer, e.g. 24h (drift.freshness.ENV.maxAge)',
    )
    .option('--main <branch>', 'the branch to compare with (default: drift.main, else main)')
    .option('--record', RECORD)
    .action(action(() => import('./commands/drift-freshness.ts')));
  drift
    .command('hotfix')
    .description('is what the environment runs on main? commits deployed but never merged back, by patch id')
    .option(
      '-e, --env <name>',
      'environment whose deployed commits the ledger knows (default: the last of the promotion chain)',
    )
    .option('--deployed-commit <sha>', 'check this commit instead of what the ledger says runs')
    .option('--main <branch>', 'the branch fixes must reach (default main, else origin/main)')
    .option('--record', RECORD)
    .action(action(() => import('./commands/drift-hotfix.ts')));
  drift
    .command('deps')
    .description('dependency skew: the lockfiles at the commits two environments run, compared')
    .argument('<left>', 'an environment (the commits its services run, from the ledger) or commit:REF')
    .argument('<right>', 'an environment or commit:REF')
    .option(
      '--path <dir>',
      'only lockfiles under this folder (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--record', RECORD)
    .action(action(() => import('./commands/drift-deps.ts')));

  const artifact = program
    .command('artifact')
    .description('artifacts: a service’s image by digest, with its commit');
  artifact
    .command('list')
    .description(
      'every registered artifact, newest first: digest, commit, author, who registered it, rejected',
    )
    .option('--service <name>', 'only this service')
    .action(action(() => import('./commands/artifact-list.ts')));
  artifact
    .command('register')
    .description('register an image by digest so it can be deployed and promoted')
    .argument('<service>', 'a service of stagecraft.yaml')
    .argument('<image>', 'repository@sha256:…')
    .requiredOption('--commit <sha>', 'the git commit it was built from')
    .option('--author <name>', 'the commit’s author (for the approvals gate)')
    .option('--build <url>', 'a link to the build')
    .action(action(() => import('./commands/artifact-register.ts')));
  program
    .command('deploy')
    .description(
      'deploy a service’s artifact to an environment, if its rules allow: exit 0, 2 refused or failed',
    )
    .argument('[service]', 'the service (or --release)')
    .option('--release <name>', 'every artifact of a release, as one unit')
    .requiredOption('-e, --env <name>', 'environment')
    .option(
      '--digest <digest>',
      'the artifact (default: the newest registered, or what succeeded in the source environment)',
    )
    .action(action(() => import('./commands/deploy.ts')));
  program
    .command('promote')
    .description('promote what succeeded in the source environment, unchanged, to the next one')
    .argument('[service]', 'the service (or --release)')
    .option('--release <name>', 'every artifact of a release, as one unit: all are promoted or none')
    .requiredOption('--to <env>', 'target environment')
    .option('--digest <digest>', 'a specific artifact that succeeded in the source environment')
    .option('--break-glass', 'admin only: bypass the gates (recorded and shown everywhere)')
    .option('--reason <text>', 'why, with --break-glass')
    .action(action(() => import('./commands/deploy.ts')));
  program
    .command('release')
    .description('releases: several services’ artifacts promoted together')
    .command('create')
    .description('name a set of registered artifacts: stagecraft release create NAME SERVICE=DIGEST…')
    .argument('<name>')
    .argument('<items...>', 'SERVICE=DIGEST')
    .action(action(() => import('./commands/release-create.ts')));
  program
    .command('rollback')
    .description('deploy the previous successful artifact of an environment again, as a new entry')
    .argument('<service>')
    .requiredOption('-e, --env <name>', 'environment')
    .action(action(() => import('./commands/rollback.ts')));
  program
    .command('gate')
    .description('results the gates read')
    .command('report')
    .description('CI reports a commit’s tests: stagecraft gate report tests pass|fail --commit SHA')
    .argument('<gate>', 'tests')
    .argument('<result>', 'pass or fail')
    .requiredOption('--commit <sha>', 'the commit tested')
    .action(action(() => import('./commands/gate-report.ts')));
  program
    .command('verify')
    .description('record a verification of a running environment (a failure stops soaks there)')
    .argument('<result>', 'pass or fail')
    .requiredOption('-e, --env <name>', 'environment verified')
    .option('--service <name>', 'only this service')
    .action(action(() => import('./commands/verify.ts')));
  program
    .command('approve')
    .description('approve what would be promoted to an environment (not by the commit’s author)')
    .argument('[service]', 'the service (or --release)')
    .option('--release <name>', 'every artifact of a release, in one transaction: all or none')
    .requiredOption('-e, --env <name>', 'environment')
    .action(action(() => import('./commands/approve.ts')));
  program
    .command('deployed')
    .description('record how a pending deployment ended (no deploy step, or GitOps)')
    .argument('<service>')
    .requiredOption('-e, --env <name>', 'environment')
    .option('--confirm', 'it runs: the deployment succeeded')
    .option('--failed', 'it did not: the deployment failed')
    .option(
      '--live <file>',
      'with --confirm: only if these live objects (kubectl get -o json) run the digest',
    )
    .action(action(() => import('./commands/deployed.ts')));
  program
    .command('reject')
    .description('block an artifact everywhere')
    .argument('<digest>')
    .option('--reason <text>', 'why (required)')
    .action(action(() => import('./commands/reject.ts')));
  program
    .command('status')
    .description('which artifact runs where: environment × service')
    .action(action(() => import('./commands/status.ts')));
  const audit = program
    .command('audit')
    .description('the audit log: every ledger action, done or refused, with who and why (newest first)')
    .option('--limit <n>', 'how many entries', '50')
    .action(action(() => import('./commands/audit.ts')));
  audit
    .command('verify')
    .description('check the audit log’s hash chain and the append-only triggers: exit 0 intact, 2 broken')
    .action(action(() => import('./commands/audit-verify.ts')));
  program
    .command('history')
    .description('every deployment, newest first')
    .option('-e, --env <name>', 'only this environment')
    .option('--service <name>', 'only this service')
    .option('--limit <n>', 'how many deployments (the rest are counted)', '50')
    .action(action(() => import('./commands/history.ts')));

  program
    .command('deployment')
    .description('one deployment, as the ledger keeps it')
    .command('show')
    .description('every field of a deployment, with its deploy step’s output (redacted when kept)')
    .argument('<id>', 'its number, as history shows it')
    .action(action(() => import('./commands/deployment-show.ts')));

  program
    .command('serve')
    .description(
      'the team’s authority: the ledger’s HTTP API (tokens and CI’s OIDC), /openapi.json and the dashboard',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option(
      '--init-admin [name]',
      'make the first admin token and print it once (only while no admin token is active)',
    )
    .option(
      '--trusted-proxies <n>',
      'proxies in front of the server whose X-Forwarded-For hop names the client (default 0: the peer)',
    )
    .option('--quiet', 'no access log on stderr')
    .action(action(() => import('./commands/serve.ts')));
  const token = program
    .command('token')
    .description('the server’s API tokens (admins): create, list, revoke');
  token
    .command('create')
    .description('make a token and print it once; only its hash is kept')
    .requiredOption('--name <name>', 'who it speaks for, as the audit log names them')
    .requiredOption('--role <role>', 'developer, ci, approver, admin, or another role stagecraft.yaml names')
    .option('-e, --env <names...>', 'only in these environments')
    .option('--expires <duration>', 'valid for this long, e.g. 30d (default: until revoked)')
    .action(action(async () => ({ run: (await import('./commands/token.ts')).create })));
  token
    .command('list')
    .description('every token, without its secret')
    .action(action(async () => ({ run: (await import('./commands/token.ts')).list })));
  token
    .command('revoke')
    .description('revoke a token by name or #id; it fails from its next request')
    .argument('<token>', 'its name, or #id')
    .action(action(async () => ({ run: (await import('./commands/token.ts')).revoke })));

  program
    .command('check')
    .description(
      'every check stagecraft.yaml configures (config, scan, .gitignore, secrets, parity, drift) in one report: exit 0 clean, 2 problems, 1 error',
    )
    .addOption(new Option('-e, --env <name>', 'check this environment only').conflicts('all'))
    .option('--all', 'check every environment (the default)')
    .option('--range <base..head>', 'scan the commits of a pull request instead of the working tree')
    .option('--only <checks>', 'run only these checks, comma-separated (config,scan,gitignore,…)')
    .option('--skip <checks>', 'run every check but these, comma-separated')
    .option('--record', 'keep each result in the ledger (parity and drift as their own commands would)')
    .action(action(() => import('./commands/check.ts')));

  program
    .command('parity')
    .description('prove that one environment mirrors another: exit 0 parity, 2 violations, 1 error')
    .argument('<left>', 'environment of stagecraft.yaml, or a folder of rendered manifests (e.g. staging)')
    .argument('<right>', 'the environment or folder to compare with it (e.g. production)')
    .option('--policy <file>', 'a YAML file holding what the parity section of stagecraft.yaml would')
    .option('--record', RECORD)
    .action(action(() => import('./commands/parity.ts')));

  program
    .command('diff')
    .description(
      'everything that differs between two environments: artifacts, config, secrets, parity, dependencies; exit 0 same, 2 different, 1 error',
    )
    .argument('<left>', 'an environment of stagecraft.yaml (e.g. staging)')
    .argument('<right>', 'the environment to compare with it (e.g. production)')
    .action(action(() => import('./commands/diff.ts')));

  program
    .command('gitignore')
    .description('.gitignore hygiene for secrets and local environment files')
    .command('check')
    .description(
      'the seed’s patterns (.env, *.key, secrets/, …) are ignored and none is tracked: exit 0, or 2',
    )
    .option('--fix', 'append missing patterns to .gitignore and print the git rm --cached commands to run')
    .action(action(() => import('./commands/gitignore-check.ts')));

  const hooks = program
    .command('hooks')
    .description('a git pre-commit hook: the staged secret scan and the .gitignore check');
  hooks
    .command('install')
    .description(
      'install the pre-commit hook for plain git, husky, lefthook or simple-git-hooks; an existing hook still runs first',
    )
    .option('--force', 'rewrite a stagecraft hook that differs from what this version writes')
    .action(action(() => import('./commands/hooks-install.ts')));
  hooks
    .command('uninstall')
    .description('remove the pre-commit hook and put back what was there before')
    .action(action(() => import('./commands/hooks-uninstall.ts')));
  hooks
    .command('run')
    .description(
      'run a hook’s checks now: exit 0 clean, 2 problems (the commit is refused), 1 could not check',
    )
    .argument('<hook>', 'the hook to run: pre-commit')
    .action(action(() => import('./commands/hooks-run.ts')));

  program
    .command('completion')
    .description('print a shell completion script: commands, options, environment and service names')
    .addArgument(new Argument('[shell]', 'bash, zsh or fish').choices(SHELLS))
    .addOption(new Option('--names <kind>').choices(['environments', 'services']).hideHelp())
    .action(action(() => import('./commands/completion.ts'), ['text']));

  applyHelp(program);
  return program;
}

/** Global options that take a value: the word after one is its value, not a command. */
const VALUE_OPTIONS = new Set(['-C', '--cwd', '-w', '--workspace', '-f', '--format']);

/** Whether the command line asks for JSON (`--format json`, `-f json`, `--format=json`, `-fjson`, `--json`). */
function requestsJson(argv: readonly string[]): boolean {
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') break; // what follows is another program's (`run -- CMD`)
    if (word === '--json') json = true;
    else if (word === '--format' || word === '-f') json = argv[i + 1] === 'json';
    else if (word.startsWith('--format=')) json = word.slice('--format='.length) === 'json';
    else if (word.startsWith('-f') && !word.startsWith('--') && word.length > 2)
      json = word.slice(2) === 'json';
  }
  return json;
}

/** Commander's usage error as the CLI's error: CLI_USAGE, its message, and where to read the usage. */
function usageError(
  error: CommanderModule.CommanderError,
  program: Command,
  argv: readonly string[],
): StagecraftError {
  const path = commandPath(program, argv);
  const command = path ? `stagecraft ${path}` : 'stagecraft';
  const message =
    error.code === 'commander.help' || error.message === '(outputHelp)'
      ? `${command} needs a subcommand`
      : error.message.replace(/^error: /, '');
  return new StagecraftError(CliCodes.CLI_USAGE, message, { hint: `run ${command} --help for its usage` });
}

/** The subcommands the command line names (`artifact register`), for a usage error's hint. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names: string[] = [];
  let command = program;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (VALUE_OPTIONS.has(word)) i++;
    if (word.startsWith('-')) continue;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    names.push(sub.name());
    command = sub;
  }
  return names.join(' ');
}
