/**
 * What each command's `--help` adds after its options: the formats it prints, the environment variables it
 * reads and one example. Keyed by command path ('config check'); applied to the tree by `applyHelp`, which
 * takes the formats from the command itself so they cannot disagree with what it accepts. A test walks the
 * tree: a command with an action and no entry here, or an example naming a command or option that does not
 * exist, fails it.
 */
import type { Command } from 'commander';

export interface CommandHelp {
  /** Variables the command reads, as [names, what for]; an empty list prints "none". */
  variables: readonly (readonly [string, string])[];
  /** One command line, starting with `stagecraft`. */
  example: string;
  /** Printed after the variables. */
  note?: string;
}

/** Longer names take a line of their own, so every line fits 100 columns. */
const NAMES_WIDTH = 36;

const COLOUR = ['NO_COLOR, FORCE_COLOR', 'colour off or on (also --no-color, --color)'] as const;

const SERVER = ['STAGECRAFT_URL, STAGECRAFT_TOKEN', 'the team’s server, acting as this token'] as const;
const LOCAL_LEDGER = [
  ['STAGECRAFT_DATABASE_URL', 'PostgreSQL instead of .stagecraft/state.db'],
  ['STAGECRAFT_ACTOR, STAGECRAFT_ROLE', 'who you are locally (default: you, developer)'],
  ['STAGECRAFT_REHEARSAL, STAGECRAFT_NOW', 'rehearsal mode (local only) and its clock'],
] as const;
const LEDGER = [SERVER, ...LOCAL_LEDGER] as const;
const RECORDING = LEDGER.map(([names, why]) => [names, `--record: ${why}`] as const);

const CONFIG = [
  ['ENVIRONMENT', 'environment when --env is not given'],
  ['STAGECRAFT_SECRETS_DIR', 'folders of mounted secret files'],
  ['the app’s own variables', 'what its config definition reads'],
] as const;
const SECRETS = [
  ['ENVIRONMENT', 'environment when --env is not given'],
  ['STAGECRAFT_K8S_SECRETS_ROOT', 'where ref+k8s:// secrets are mounted'],
  ['KUBECONFIG', 'kubeconfig for ref+k8s://v1/Secret/… outside a pod'],
  ['KUBERNETES_SERVICE_HOST, _PORT', 'in a pod: the API server for ref+k8s://v1/Secret/…'],
  ['STAGECRAFT_K8S_SERVICEACCOUNT_DIR', 'the service account folder (token, ca.crt)'],
  ['variables ref+env:// names', 'the secret values themselves'],
] as const;
const DEPLOY_STEP =
  'The deploy step runs with STAGECRAFT_SERVICE, _IMAGE, _DIGEST, _COMMIT, _ENVIRONMENT and\n' +
  '_DEPLOYMENT_ID set.';

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  init: { variables: [], example: 'stagecraft init --name shop --service web=registry.example.com/shop/web' },
  'workspace check': { variables: [], example: 'stagecraft workspace check --format json' },
  'ci init': { variables: [], example: 'stagecraft ci init --github --dry-run' },
  'workspace show': { variables: [], example: 'stagecraft workspace show --format markdown' },
  'workspace schema': { variables: [], example: 'stagecraft workspace schema > stagecraft.schema.json' },
  'env parse': { variables: [], example: 'stagecraft env parse .env --json' },
  'config check': { variables: CONFIG, example: 'stagecraft config check --env staging' },
  'config show': { variables: CONFIG, example: 'stagecraft config show --env dev --format dotenv' },
  'config example': { variables: [], example: 'stagecraft config example --check' },
  'config docs': { variables: [], example: 'stagecraft config docs > CONFIG.md' },
  'config schema': { variables: [], example: 'stagecraft config schema > config.schema.json' },
  scan: { variables: [], example: 'stagecraft scan --staged --format sarif' },
  lint: { variables: [], example: 'stagecraft lint src --format sarif' },
  'secrets get': {
    variables: SECRETS,
    example: 'stagecraft secrets get ref+env://DB_PASSWORD',
  },
  'secrets check': {
    variables: [...SECRETS, CONFIG[1]],
    example: 'stagecraft secrets check --env production',
  },
  'secrets keys': { variables: CONFIG, example: 'stagecraft secrets keys --env staging --format json' },
  'secrets render': {
    variables: SECRETS,
    note:
      'Dynamic credentials (ref+vault://database/creds/ROLE) are left running when render exits,\n' +
      'since the file is used afterwards: each lease is named on stderr with its TTL and ends with it\n' +
      '(or revoke it when done). When nothing is written, the leases taken are revoked.\n' +
      '`stagecraft run` instead revokes them when its command exits.',
    example: 'stagecraft secrets render values.yaml --env staging -o out.yaml',
  },
  run: {
    variables: [...CONFIG, ['GITHUB_ACTIONS', '"true": secrets are masked in the job log too']],
    example: 'stagecraft run --env dev -- node server.js',
    note:
      'With --watch the command is restarted when a secret it uses changes: mounted Secrets and\n' +
      'files are watched; secrets held in Vault, AWS or the Kubernetes API are read again every\n' +
      '--refresh (default 5m when the config holds one; 0 turns it off), and the command is\n' +
      'restarted only if one changed. Dynamic credentials keep their leases across reloads; a\n' +
      'replaced lease is revoked 30 s after the restart.',
  },
  'facts collect': {
    variables: [['KUBECONFIG', 'read by kubectl unless --kubeconfig']],
    example: 'stagecraft facts collect --env staging --context staging-cluster',
  },
  'drift kubernetes': {
    variables: [['KUBECONFIG', 'read by kubectl (--context) unless --kubeconfig'], ...RECORDING],
    example: 'stagecraft drift kubernetes --env production --context prod-cluster',
  },
  drift: {
    variables: [['KUBECONFIG', 'read by kubectl unless drift.kubernetes gives a kubeconfig'], ...LEDGER],
    note: 'The ledger is read for drift.freshness, and written with --record.',
    example: 'stagecraft drift --format markdown',
  },
  'drift freshness': {
    variables: LEDGER,
    example: 'stagecraft drift freshness --env staging --max-behind 20 --max-age 24h',
  },
  'drift terraform': {
    variables: RECORDING,
    example: 'stagecraft drift terraform plan.json --env production',
  },
  'drift hotfix': {
    variables: LEDGER,
    example: 'stagecraft drift hotfix --env production --main main',
  },
  'drift deps': {
    variables: LEDGER,
    example: 'stagecraft drift deps staging production',
  },
  'artifact list': { variables: LEDGER, example: 'stagecraft artifact list --service storefront' },
  'deployment show': { variables: LEDGER, example: 'stagecraft deployment show 42 --format json' },
  'artifact register': {
    variables: LEDGER,
    example: 'stagecraft artifact register storefront shop/storefront@sha256:… --commit 4f2a9c1',
  },
  deploy: { variables: LEDGER, note: DEPLOY_STEP, example: 'stagecraft deploy storefront --env dev' },
  promote: { variables: LEDGER, note: DEPLOY_STEP, example: 'stagecraft promote storefront --to staging' },
  'release create': {
    variables: LEDGER,
    example: 'stagecraft release create r1 storefront=sha256:… orders=sha256:…',
  },
  rollback: {
    variables: LEDGER,
    note: DEPLOY_STEP,
    example: 'stagecraft rollback storefront --env production',
  },
  'gate report': { variables: LEDGER, example: 'stagecraft gate report tests pass --commit 4f2a9c1' },
  verify: { variables: LEDGER, example: 'stagecraft verify pass --env staging --service storefront' },
  approve: { variables: LEDGER, example: 'stagecraft approve storefront --env production' },
  deployed: { variables: LEDGER, example: 'stagecraft deployed storefront --env staging --confirm' },
  reject: { variables: LEDGER, example: 'stagecraft reject sha256:… --reason "leaks memory under load"' },
  status: { variables: LEDGER, example: 'stagecraft status --format json' },
  audit: { variables: LEDGER, example: 'stagecraft audit --limit 20' },
  'audit verify': {
    variables: LOCAL_LEDGER.slice(0, 1),
    example: 'stagecraft audit verify',
  },
  history: { variables: LEDGER, example: 'stagecraft history --env production --service storefront' },
  serve: {
    variables: [LOCAL_LEDGER[0], LOCAL_LEDGER[2]],
    example: 'stagecraft serve --port 8080 --init-admin',
  },
  'token create': {
    variables: [SERVER],
    example: 'stagecraft token create --name ci --role ci --expires 90d',
  },
  'token list': { variables: LEDGER, example: 'stagecraft token list --format json' },
  'token revoke': { variables: LEDGER, example: 'stagecraft token revoke ci' },
  check: {
    variables: [
      ['GITHUB_STEP_SUMMARY', 'the Markdown report is appended here (GitHub Actions)'],
      ['KUBECONFIG', 'read by kubectl unless drift.kubernetes gives a kubeconfig'],
      ...SECRETS,
      ...LEDGER,
    ],
    note: 'The ledger is read for drift.freshness, drift.hotfix and drift.deps, and written with --record.',
    example: 'stagecraft check --range origin/main..HEAD --format markdown',
  },
  diff: { variables: LEDGER, example: 'stagecraft diff staging production --format markdown' },
  parity: { variables: RECORDING, example: 'stagecraft parity staging production --format markdown' },
  'gitignore check': { variables: [], example: 'stagecraft gitignore check --fix' },
  'hooks install': { variables: [], example: 'stagecraft hooks install' },
  'hooks uninstall': { variables: [], example: 'stagecraft hooks uninstall' },
  'hooks run': { variables: [], example: 'stagecraft hooks run pre-commit' },
  completion: {
    variables: [],
    example: 'stagecraft completion bash > ~/.local/share/bash-completion/completions/stagecraft',
  },
};

/** 'config check' for the `check` command under `config`; '' for the program itself. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) {
    names.unshift(current.name());
  }
  return names.join(' ');
}

/** Every command of the tree, the program first. */
export function commandsOf(program: Command): Command[] {
  return [program, ...program.commands.flatMap((command) => commandsOf(command))];
}

/** The formats a command's action accepts; undefined for a command that only groups others. */
export function formatsOf(command: Command): readonly string[] | undefined {
  return (command as Command & { formats?: readonly string[] }).formats;
}

/** Adds formats, variables and an example after the options of every command that runs something. */
export function applyHelp(program: Command): void {
  for (const command of commandsOf(program)) {
    const formats = formatsOf(command);
    const help = COMMAND_HELP[commandPath(command)];
    if (formats === undefined || help === undefined) continue;
    command.addHelpText('after', helpText(formats, help));
  }
  program.addHelpText(
    'after',
    `\nEvery command's --help lists its formats, the variables it reads and an example.\nEnvironment:\n  ${COLOUR[0]}  ${COLOUR[1]}\n`,
  );
}

function helpText(formats: readonly string[], help: CommandHelp): string {
  const variables = [...help.variables, COLOUR];
  const width = Math.min(NAMES_WIDTH, Math.max(...variables.map(([names]) => names.length)));
  const line = ([names, why]: readonly [string, string]) =>
    names.length > width ? `  ${names}\n  ${' '.repeat(width)}  ${why}` : `  ${names.padEnd(width)}  ${why}`;
  return [
    '',
    `Formats (--format): ${formats.join(', ')}`,
    'Environment:',
    ...(help.variables.length === 0 ? ['  (none of its own)'] : []),
    ...variables.map(line),
    ...(help.note ? help.note.split('\n').map((text) => `  ${text}`) : []),
    'Example:',
    `  $ ${help.example}`,
    '',
  ].join('\n');
}
