/**
 * Every input surface, fed malformed variants of a valid input through the real CLI: truncated, bytes
 * flipped or inserted (NUL, invalid UTF-8), slices repeated, CR/LF mixed, huge lines, deep nesting, alias
 * bombs, values of the wrong type. Whatever the input, the command must end within the time bound and the
 * memory bound with exit 0, 1 or 2; an error must carry its code; there must be no stack trace and no
 * "internal error"; under --format json stdout must be exactly one JSON document.
 *
 * Cases are generated from a seed (printed as a diagnostic) and each case from its own sub-seed, so one
 * failure can be replayed alone:
 *
 *   STAGECRAFT_FUZZ_SEED=<seed> STAGECRAFT_FUZZ_ONLY=<surface>:<case> node --import tsx --test src/cli/fuzz.test.ts
 *
 * STAGECRAFT_FUZZ_CASES=<n> runs n cases per surface instead of the default; STAGECRAFT_FUZZ_KEEP=<dir> keeps
 * the input of each failing case there.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { Gen } from '../scan/rules/gen.ts';
import {
  builtConfigLibrary,
  type CliResult,
  EXAMPLE_SHOP,
  runCli,
  tempDir,
  writeTree,
} from '../test-support/cli.ts';
import { asLive, systemObjects } from '../test-support/live-objects.ts';

const SEED = Number(process.env['STAGECRAFT_FUZZ_SEED'] ?? 20261204);
const CASES = Number(process.env['STAGECRAFT_FUZZ_CASES'] ?? 30);
const ONLY = process.env['STAGECRAFT_FUZZ_ONLY'];
const KEEP = process.env['STAGECRAFT_FUZZ_KEEP'];
const CONCURRENCY = 3;
// Over every cap of a file people write, so those caps are exercised too.
const MAX_CASE_BYTES = 3 * 1024 * 1024;
// A bomb expanded in memory, or a read without bound, dies at this heap size instead of passing slowly. Each
// case runs in a worker thread with this heap, stopped at the time bound (see runCli).
const BOUNDS = { timeoutMs: 20_000, maxHeapMb: 192 };

type Rng = () => number;

/** The project's seeded generator (mulberry32): the same sequence on every platform. */
function rng(seed: number): Rng {
  const gen = new Gen(seed);
  return () => gen.next();
}

/** FNV-1a: a case's own seed from the run's seed, its surface and its number. */
function subSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join(':')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

// --- Mutations: each takes the input's bytes and returns new bytes. Text is handled as latin1, so every
// byte survives unchanged whatever it is (invalid UTF-8 included).

type Mutation = (input: Buffer, r: Rng) => Buffer;

/** Names a mutation for failure reports. */
function named(name: string, mutation: Mutation): Mutation {
  return Object.defineProperty(mutation, 'name', { value: name });
}
const text = (input: Buffer) => input.toString('latin1');
const bytes = (value: string) => Buffer.from(value, 'latin1');
const position = (input: Buffer, r: Rng) => int(r, 0, input.length);

const truncate: Mutation = (input, r) => input.subarray(0, position(input, r));

const flipBytes: Mutation = (input, r) => {
  const out = Buffer.from(input);
  for (let i = int(r, 1, 8); i > 0 && out.length > 0; i--) out[int(r, 0, out.length - 1)] = int(r, 0, 255);
  return out;
};

/** NUL, a lone UTF-8 continuation byte, a truncated sequence, an overlong one, a BOM, tabs and quotes. */
const STRANGE = [
  '\u0000',
  '\u0080',
  '\u00c3',
  '\u00c0\u00af',
  '\u00ef\u00bb\u00bf',
  '\t',
  '"',
  "'",
  '\\',
  '{',
  '[',
  ':',
];
const insertStrange: Mutation = (input, r) => {
  const at = position(input, r);
  let piece = '';
  for (let i = int(r, 1, 6); i > 0; i--) piece += pick(r, STRANGE);
  return Buffer.concat([input.subarray(0, at), bytes(piece), input.subarray(at)]);
};

const repeatSlice: Mutation = (input, r) => {
  const from = position(input, r);
  const slice = input.subarray(from, Math.min(input.length, from + int(r, 1, 200)));
  const at = position(input, r);
  const times = pick(r, [2, 10, 1000]);
  return Buffer.concat([input.subarray(0, at), ...Array(times).fill(slice), input.subarray(at)]);
};

const deleteSlice: Mutation = (input, r) => {
  const from = position(input, r);
  return Buffer.concat([
    input.subarray(0, from),
    input.subarray(Math.min(input.length, from + int(r, 1, 100))),
  ]);
};

const mixLineEnds: Mutation = (input, r) =>
  bytes(text(input).replace(/\n/g, () => pick(r, ['\n', '\r\n', '\r', '\n\n', '\r\r\n'])));

const hugeLine: Mutation = (input, r) => {
  const at = position(input, r);
  const line = pick(r, ['x', 'a: ', '# ', '"', '0']).repeat(int(r, 100_000, 1_500_000));
  return Buffer.concat([input.subarray(0, at), bytes(`\n${line}\n`), input.subarray(at)]);
};

const deepNesting: Mutation = (input, r) => {
  const depth = pick(r, [300, 5000, 50_000]);
  const [open, close] = pick(r, [
    ['[', ']'],
    ['{"a":', '}'],
    ['- ', ''],
  ]);
  const at = position(input, r);
  return Buffer.concat([
    input.subarray(0, at),
    bytes(open.repeat(depth) + close.repeat(depth)),
    input.subarray(at),
  ]);
};

const TEXT_MUTATIONS: Mutation[] = [
  truncate,
  flipBytes,
  insertStrange,
  repeatSlice,
  deleteSlice,
  mixLineEnds,
  hugeLine,
  deepNesting,
];

/** Nine levels of nine aliases: 9^9 values once expanded, in about 400 bytes. */
function aliasBomb(key: string): string {
  const lines = [`${key}:`, `  l0: &l0 [${Array(9).fill('"lol"').join(', ')}]`];
  for (let level = 1; level < 9; level++)
    lines.push(
      `  l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

const YAML_MUTATIONS: Mutation[] = [
  named('aliasBomb', (input) => Buffer.concat([input, bytes(`\n${aliasBomb('bomb')}`)])),
  named('strangeValue', (input, r) =>
    bytes(
      text(input).replace(
        /: (\S+)\n/,
        () => `: ${pick(r, ['&a [*a]', '*missing', '!!binary x', '!custom 5', '<<: *x'])}\n`,
      ),
    ),
  ),
  named('tabIndent', (input, r) =>
    bytes(text(input).replace(/\n {2}/g, () => (r() < 0.2 ? '\n\t' : '\n  '))),
  ),
  named('strangeLine', (input, r) => {
    const lines = text(input).split('\n');
    const at = int(r, 0, lines.length);
    lines.splice(at, 0, pick(r, ['---', '...', '%YAML 1.1', '? [a, b]', ': x', '- - -', '&a', '*a: b']));
    return bytes(lines.join('\n'));
  }),
];

/** Values of every wrong type, and the kinds of content that break naive walks. */
const DEEP = '"@@DEEP@@"';
const WEIRD: unknown[] = [
  null,
  0,
  -1,
  1.5e308,
  '',
  'nope',
  true,
  [],
  {},
  [null],
  { '': null },
  DEEP,
  'é\u0000',
];

/**
 * Parses the input (JSON, or YAML read as JSON), changes one random node — replaced by a value of another
 * type, deleted, or repeated — and writes it back as JSON (valid YAML too): inputs well-formed as text but
 * not of the shape a command expects.
 */
function wrongShape(parse: (source: string) => unknown): Mutation {
  return named('wrongShape', (input, r) => {
    let value: unknown;
    try {
      value = parse(input.toString('utf8'));
    } catch {
      return input;
    }
    // Nodes by depth: a depth is picked first, then a node at it, so the shallow fields a command checks
    // first (a plan's resource_changes) are hit as often as the many deep ones.
    const levels: { parent: Record<string, unknown> | unknown[]; key: string | number }[][] = [];
    const stack: [unknown, number][] = [[value, 0]];
    // YAML aliases may make a node its own descendant (`&a [*a]`): each node is visited once.
    const seen = new Set<object>();
    while (stack.length > 0) {
      const [node, depth] = stack.pop() as [unknown, number];
      if (node === null || typeof node !== 'object' || seen.has(node)) continue;
      seen.add(node);
      const level = levels[depth] ?? [];
      levels[depth] = level;
      for (const [key, child] of Object.entries(node)) {
        level.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key });
        stack.push([child, depth + 1]);
      }
    }
    const filled = levels.filter((level) => level.length > 0);
    if (filled.length === 0) value = pick(r, WEIRD);
    else {
      const { parent, key } = pick(r, pick(r, filled));
      const operation = r();
      if (operation < 0.6)
        (parent as Record<string | number, unknown>)[key] = structuredClone(pick(r, WEIRD));
      else if (operation < 0.8 && !Array.isArray(parent)) delete parent[key as string];
      else if (Array.isArray(parent)) {
        // Repeated, but never past a few megabytes: the point is many entries, not a test out of memory.
        const size = JSON.stringify(parent[key as number] ?? null).length;
        const times = Math.min(pick(r, [2, 50, 2000]), Math.ceil(2_000_000 / (size + 1)));
        parent.push(...Array(times).fill(parent[key as number]));
      } else (parent as Record<string, unknown>)[key] = [parent[key], parent[key]];
    }
    const depth = pick(r, [300, 5000]);
    let written: string;
    try {
      written = JSON.stringify(value);
    } catch {
      return input; // still circular
    }
    return Buffer.from(written.replaceAll(DEEP, '['.repeat(depth) + ']'.repeat(depth)));
  });
}

const TOML_MUTATIONS: Mutation[] = [
  named('tomlValue', (input, r) =>
    bytes(text(input).replace(/= .+/, () => `= ${pick(r, ['5', '[]', '{}', 'true', '"', '[[[[[[', "'''"])}`)),
  ),
  named('tomlTable', (input, r) =>
    bytes(text(input).replace(/\[\[rules\]\]/, () => pick(r, ['[rules]', '[[rules.x]]', 'rules = 7']))),
  ),
];

// --- Surfaces: a valid input, the command that reads it, and the mutations that suit its format.

interface Surface {
  name: string;
  /** The fixture around the fuzzed file, written into a fresh folder for each case. */
  fixture: (dir: string) => void;
  file: string;
  seed: () => Buffer;
  commands: string[][];
  mutations: Mutation[];
  cases?: number;
}

const shopFile = (path: string) => readFileSync(join(EXAMPLE_SHOP, path));
const copyShop = (dir: string) => cpSync(EXAMPLE_SHOP, dir, { recursive: true });
// Warnings (an ambiguous alias) would reach the console, which tests may not write to.
const yamlSurface = [
  ...TEXT_MUTATIONS,
  ...YAML_MUTATIONS,
  wrongShape((source) => parseYaml(source, { logLevel: 'error' })),
];
const jsonSurface = [...TEXT_MUTATIONS, wrongShape(JSON.parse)];

/** The live objects a cluster returns for the shop's production manifests. */
function shopLive(): Buffer {
  const dir = join(EXAMPLE_SHOP, 'deploy/production');
  const desired = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS()))
    .filter(Boolean) as Record<string, unknown>[];
  const items = [
    ...desired.map((object) => asLive(object)),
    ...systemObjects('shop-production', 'storefront'),
  ];
  return Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
}

const PLAN = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  resource_changes: [
    { address: 'aws_s3_bucket.logs', mode: 'managed', change: { actions: ['no-op'] } },
    {
      address: 'aws_db_instance.main',
      change: { actions: ['update'] },
      action_reason: 'replace_because_cannot_update',
    },
    { address: 'module.web.aws_lb.this', previous_address: 'aws_lb.web', change: { actions: ['no-op'] } },
  ],
  resource_drift: [{ address: 'aws_security_group.web', change: { actions: ['update'] } }],
  planned_values: {
    root_module: {
      resources: [
        { address: 'aws_db_instance.main', type: 'aws_db_instance', values: { engine_version: '16.4' } },
      ],
      child_modules: [{ resources: [{ address: 'module.web.aws_lb.this', type: 'aws_lb', values: {} }] }],
    },
  },
};

const TERRAFORM_WORKSPACE =
  'environments:\n  staging:\n    terraform: { plan: staging.json }\n  production:\n    from: staging\n    terraform: { plan: production.json }\n';

const token = () => `fuzztoken-${randomBytes(8).toString('hex')}`;

const SURFACES: Surface[] = [
  {
    name: 'stagecraft.yaml',
    fixture: copyShop,
    file: 'stagecraft.yaml',
    seed: () => shopFile('stagecraft.yaml'),
    commands: [
      ['workspace', 'check'],
      ['workspace', 'show'],
      ['parity', 'staging', 'production'],
    ],
    mutations: yamlSurface,
  },
  {
    name: 'config YAML',
    fixture: (dir) =>
      writeTree(dir, {
        'stagecraft.yaml':
          'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: src/config.ts\n',
        'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({
  db: { host: field.string(), port: field.port().default(5432) },
  flags: field.list().default(''),
  timeout: field.duration().default('10s'),
});
`,
      }),
    file: 'config/base.yaml',
    seed: () => Buffer.from('db:\n  host: db.internal\n  port: 5432\nflags: "a,b"\ntimeout: 5s\n'),
    commands: [['config', 'check', '--env', 'dev']],
    mutations: yamlSurface,
    // Each case imports the config module through the TypeScript loader: slower, so fewer of them.
    cases: Math.ceil(CASES / 2),
  },
  {
    name: '.env',
    fixture: () => {},
    file: 'x.env',
    seed: () =>
      Buffer.from(
        '# comment\nexport HOST=db.internal\nPORT=5432\nQUOTED="a b # not a comment"\nSINGLE=\'x\'\nMULTI="line 1\nline 2"\nEMPTY=\nSPACED = value  \n',
      ),
    commands: [['env', 'parse', 'x.env']],
    mutations: TEXT_MUTATIONS,
  },
  {
    name: 'manifests',
    fixture: copyShop,
    file: 'deploy/production/storefront.yaml',
    seed: () => shopFile('deploy/production/storefront.yaml'),
    commands: [
      ['parity', 'staging', 'production'],
      ['drift', 'kubernetes', '--desired', 'deploy/production', '--live', 'deploy/staging'],
    ],
    mutations: yamlSurface,
  },
  {
    name: 'live objects',
    fixture: copyShop,
    file: 'live.json',
    seed: shopLive,
    commands: [['drift', 'kubernetes', '--env', 'production', '--live', 'live.json']],
    mutations: jsonSurface,
  },
  {
    name: 'Terraform plan',
    fixture: () => {},
    file: 'plan.json',
    seed: () => Buffer.from(JSON.stringify(PLAN, null, 2)),
    commands: [['drift', 'terraform', 'plan.json']],
    mutations: jsonSurface,
  },
  {
    name: 'Terraform JSON for parity',
    fixture: (dir) =>
      writeTree(dir, { 'stagecraft.yaml': TERRAFORM_WORKSPACE, 'staging.json': JSON.stringify(PLAN) }),
    file: 'production.json',
    seed: () => Buffer.from(JSON.stringify(PLAN, null, 2)),
    commands: [['parity', 'staging', 'production']],
    mutations: jsonSurface,
  },
  {
    name: 'facts.json',
    fixture: copyShop,
    file: 'deploy/production/facts.json',
    seed: () => shopFile('deploy/production/facts.json'),
    commands: [['parity', 'staging', 'production']],
    mutations: jsonSurface,
  },
  {
    name: 'parity policy',
    fixture: copyShop,
    file: 'policy.yaml',
    seed: () =>
      Buffer.from(
        'equivalents:\n  - staging: api.staging.example.com\n    production: api.example.com\nallow:\n  - kind: Deployment\n    paths: [spec.replicas]\n',
      ),
    commands: [['parity', 'staging', 'production', '--policy', 'policy.yaml']],
    mutations: yamlSurface,
  },
  {
    name: '.gitleaks.toml',
    fixture: (dir) =>
      writeTree(dir, { 'app.txt': `config token = ${token()}\n`, 'fixtures/x.txt': `${token()}\n` }),
    file: '.gitleaks.toml',
    seed: () =>
      Buffer.from(
        `title = "fuzz"\n\n[allowlist]\npaths = ['''fixtures/''']\nstopwords = ["example"]\n\n[[rules]]\nid = "fuzz-token"\ndescription = "a token made up by the test"\nregex = '''fuzztoken-[0-9a-f]{16}'''\nkeywords = ["fuzztoken"]\n\n[[rules]]\nid = "second"\nregex = '''(?i)other-[a-z]{8}'''\n[rules.allowlist]\nregexes = ['''other-example''']\n`,
      ),
    commands: [['scan', '.']],
    mutations: [...TEXT_MUTATIONS, ...TOML_MUTATIONS],
  },
  {
    name: 'scan baseline',
    fixture: (dir) => writeTree(dir, { 'app.txt': 'nothing to see here\n' }),
    file: '.stagecraft-baseline',
    seed: () =>
      Buffer.from(
        `# stagecraft scan baseline\napp.txt\tgeneric-api-key\t${randomBytes(16).toString('hex')}\taccepted: test fixture\nother.txt\tgithub-pat\t${randomBytes(16).toString('hex')}\tno\\tlonger\n`,
      ),
    commands: [['scan', '--baseline', '.stagecraft-baseline', 'app.txt']],
    mutations: TEXT_MUTATIONS,
  },
  {
    name: 'detect-secrets baseline',
    fixture: (dir) => writeTree(dir, { 'app.txt': 'nothing to see here\n' }),
    file: '.secrets.baseline',
    seed: () =>
      Buffer.from(
        JSON.stringify({
          version: '1.5.0',
          results: {
            'app.txt': [
              { type: 'Secret Keyword', hashed_secret: randomBytes(20).toString('hex'), line_number: 1 },
            ],
          },
        }),
      ),
    commands: [['scan', '.']],
    mutations: jsonSurface,
  },
];

interface Case {
  index: number;
  applied: string[];
  input: Buffer;
  command: string[];
}

function makeCase(surface: Surface, index: number, seedInput: Buffer): Case {
  const r = rng(subSeed(SEED, surface.name, index));
  let input = seedInput;
  const applied: string[] = [];
  // Half the cases of a structured format keep it well-formed and change only its shape: text mutations
  // after a change of shape would mostly just break the syntax again.
  const shapes = surface.mutations.filter((mutation) => mutation.name === 'wrongShape');
  const mutations = shapes.length > 0 && r() < 0.5 ? shapes : surface.mutations;
  for (let i = int(r, 1, 3); i > 0; i--) {
    const mutation = pick(r, mutations);
    const next = mutation(input, r);
    // Mutations compound (a slice repeated, then its copies nested): inputs stay small enough to generate.
    if (next.length > MAX_CASE_BYTES) continue;
    applied.push(mutation.name);
    input = next;
  }
  const command = [...pick(r, surface.commands), ...(r() < 0.5 ? ['--format', 'json'] : [])];
  return { index, applied, input, command };
}

/**
 * Failures found by this test in code it does not cover the fix of, each with where it belongs. A case that
 * fails only this way is reported as a diagnostic, not a failure; remove the entry with the fix.
 */
const KNOWN_ISSUES: { surface: string; output: RegExp; note: string }[] = [];

/** What is wrong with a command's ending, or undefined when it ended as it must. */
function fault(result: CliResult, json: boolean): string | undefined {
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.timedOut) return `did not finish within ${BOUNDS.timeoutMs} ms`;
  if (result.outOfMemory || /heap out of memory|FATAL ERROR/.test(output)) return 'ran out of memory';
  if (result.signal) return `killed by ${result.signal}`;
  if (![0, 1, 2].includes(result.code)) return `exit code ${result.code}`;
  if (/internal error/.test(output)) return 'internal error';
  if (/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr)) return 'stack trace';
  if (json) {
    let document: { error?: { code?: unknown } };
    try {
      document = JSON.parse(result.stdout);
    } catch {
      return 'stdout is not exactly one JSON document';
    }
    if (result.code === 1 && !/^[A-Z][A-Z0-9_]+$/.test(String(document.error?.code)))
      return 'error without a code';
  } else if (result.code === 1 && !/error \[[A-Z][A-Z0-9_]+\]/.test(result.stderr)) {
    return 'error without a code';
  }
  return undefined;
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

for (const surface of SURFACES) {
  test(`fuzz: malformed ${surface.name} never crashes, hangs or exhausts memory`, async (t) => {
    t.diagnostic(
      `seed ${SEED}; replay one case with STAGECRAFT_FUZZ_SEED=${SEED} STAGECRAFT_FUZZ_ONLY="${surface.name}:N"`,
    );
    const seedInput = surface.seed();
    const count = surface.cases ?? CASES;
    const cases = Array.from({ length: count }, (_, index) => makeCase(surface, index, seedInput)).filter(
      (c) => ONLY === undefined || ONLY === `${surface.name}:${c.index}`,
    );
    const failures: string[] = [];
    await pool(cases, CONCURRENCY, async (c) => {
      const dir = tempDir(t);
      surface.fixture(dir);
      // Written as bytes: the input may not be UTF-8 at all.
      mkdirSync(dirname(join(dir, surface.file)), { recursive: true });
      writeFileSync(join(dir, surface.file), c.input);
      const result = await runCli(c.command, { cwd: dir, ...BOUNDS });
      const problem = fault(result, c.command.includes('json'));
      const known = KNOWN_ISSUES.find(
        (issue) => issue.surface === surface.name && issue.output.test(`${result.stdout}${result.stderr}`),
      );
      if (problem && known) {
        t.diagnostic(`case ${c.index}: known issue, ${known.note}`);
        return;
      }
      if (problem) {
        if (KEEP) {
          mkdirSync(KEEP, { recursive: true });
          writeFileSync(join(KEEP, `${surface.name.replace(/\W+/g, '-')}-${c.index}`), c.input);
        }
        failures.push(
          `case ${c.index} (${c.applied.join(' + ')}; ${c.input.length} bytes) \`stagecraft ${c.command.join(' ')}\`: ${problem}, exit ${result.code}\n` +
            `${result.stderr.slice(0, 600)}${result.stdout.slice(0, 300)}`,
        );
      }
    });
    assert.deepEqual(failures, [], `seed ${SEED}, ${surface.name}:\n${failures.slice(0, 5).join('\n\n')}`);
  });
}
