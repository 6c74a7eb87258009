/**
 * `stagecraft lint` against ESLint running the same rule (the plugin, in a flat config with no other rule,
 * typescript-eslint's parser for TypeScript, ESLint's own for JavaScript), on one generated tree.
 *
 *   npm run build && node bench/lint.mjs [--files 10000] [--runs 3] [--seed 2026]
 *
 * The tree is generated from the seed (the same seed, the same tree): services of TypeScript, TSX and
 * JavaScript modules of 40 to 400 lines (imports, types, functions, classes, components), a few percent with an
 * environment branch in one of the forms the rule knows (direct, alias, destructuring, optional chaining,
 * brackets, switch, includes, an import of a module that exports the variable), and decoys that must not be
 * reported (a parameter named process, strings, comments, other variables). Both tools run as child processes,
 * alternately, --runs times; the table gives the medians of wall time. Both must report exactly the planted
 * findings (file and line), or the run fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable } from './_table.mjs';
import { mulberry32 } from './scan-corpus/prng.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '2026' },
  },
});
const FILES = Number(values.files);
const RUNS = Number(values.runs);

// The tree depends on nothing but the seed: the corpus benchmark's generator.
const rand = mulberry32(Number(values.seed));
const pick = (list) => list[Math.floor(rand() * list.length)];
const between = (low, high) => low + Math.floor(rand() * (high - low + 1));

const NOUNS = [
  'order',
  'cart',
  'user',
  'invoice',
  'payment',
  'session',
  'product',
  'coupon',
  'review',
  'stock',
];
const VERBS = [
  'load',
  'save',
  'render',
  'validate',
  'compute',
  'format',
  'sync',
  'publish',
  'fetch',
  'merge',
];
const ENVS = ['production', 'staging', 'development', 'test', 'prod', 'dev'];

/** Each planted branch: its lines (the finding on the last but one, or as marked) and the imports it needs. */
const PLANTS = [
  (e) => [`if (process.env.NODE_ENV === '${e}') {`, '  enableVerboseLogging();', '}'],
  (e) => [`const mode = process.env.NODE_ENV;`, `export const strict = mode !== '${e}';`],
  (e) => [`const { NODE_ENV } = process.env;`, `if (NODE_ENV == '${e}') warmCaches();`],
  (e) => [`if (process.env?.ENVIRONMENT === '${e}') report();`],
  (e) => [`if (process.env['NODE_ENV'] === '${e}') report();`],
  (e) => [`switch (process.env.NODE_ENV) {`, `  case '${e}':`, '    break;', '}'],
  (e) => [`const gated = ['${e}', 'staging'].includes(process.env.NODE_ENV ?? '');`],
  (e) => [`if (config.environment === '${e}') disableTracking();`],
  (e) => [`if (env === '${e}') preloadFixtures();`],
];
/** Where in each plant the finding is: its line offset. */
const PLANT_LINE = [0, 1, 1, 0, 0, 0, 0, 0, 0];

const DECOYS = [
  () => [
    'export function probe(process: { env: Record<string, string> }) {',
    "  return process.env.NODE_ENV === 'production';",
    '}',
  ],
  () => [
    "// if (process.env.NODE_ENV === 'production') we used to skip this",
    'const note = "process.env.NODE_ENV === \'production\'";',
  ],
  () => ["if (process.env.LOG_LEVEL === 'debug') enableVerboseLogging();"],
  () => [
    "const local = { environment: 'production' };",
    "export const fixed = local.environment === 'production';",
  ],
];

function functionBlock(name, ts) {
  const lines = [];
  const arg = pick(NOUNS);
  const async = rand() < 0.3;
  lines.push(
    `export ${async ? 'async ' : ''}function ${name}(${arg}${ts ? ': Input' : ''}, limit${ts ? ': number' : ''} = ${between(1, 100)}) {`,
  );
  for (let i = between(3, 14); i > 0; i--) {
    const kind = rand();
    if (kind < 0.3)
      lines.push(
        `  const ${pick(NOUNS)}${i} = ${arg}.items.filter((item) => item.count > ${between(0, 9)}).map((item) => item.id);`,
      );
    else if (kind < 0.5)
      lines.push(
        `  if (${arg}.total > limit * ${between(2, 9)}) return { ok: false, reason: '${pick(VERBS)} limit' };`,
      );
    else if (kind < 0.7)
      lines.push(`  for (const entry of ${arg}.items) total += entry.price * entry.count;`);
    else if (kind < 0.85)
      lines.push(
        `  log.debug(\`${pick(VERBS)} ${pick(NOUNS)} \${${arg}.id} in \${Date.now() - started}ms\`);`,
      );
    else
      lines.push(
        `  const result${i} = ${async ? 'await ' : ''}${pick(VERBS)}${cap(pick(NOUNS))}(${arg}, { retries: ${between(1, 5)} });`,
      );
  }
  lines.push(`  return { ok: true, ${arg} };`, '}', '');
  return lines;
}

const cap = (word) => word[0].toUpperCase() + word.slice(1);

function generateModule(ts, jsx) {
  const lines = [];
  for (let i = between(1, 6); i > 0; i--)
    lines.push(
      `import { ${pick(VERBS)}${cap(pick(NOUNS))} as imported${i} } from '${pick(['../lib', './util', '@acme/core', 'lodash-es'])}/${pick(NOUNS)}.js';`,
    );
  lines.push("import { log } from '../lib/log.js';", '', 'let total = 0;', 'const started = Date.now();', '');
  if (ts)
    lines.push(
      'interface Input {',
      '  id: string;',
      '  total: number;',
      '  items: { id: string; price: number; count: number }[];',
      '}',
      '',
    );
  const blocks = between(1, 12);
  for (let b = 0; b < blocks; b++) {
    const name = `${pick(VERBS)}${cap(pick(NOUNS))}${b}`;
    if (jsx && b === 0) {
      lines.push(`export function ${cap(name)}(props${ts ? ': { items: string[]; title: string }' : ''}) {`);
      lines.push('  return (', '    <section className="list">', '      <h2>{props.title}</h2>');
      lines.push(
        '      <ul>{props.items.map((item) => <li key={item}>{item}</li>)}</ul>',
        '    </section>',
        '  );',
        '}',
        '',
      );
    } else if (rand() < 0.2) {
      lines.push(
        `export class ${cap(name)} {`,
        `  ${ts ? 'private readonly ' : ''}cache = new Map${ts ? '<string, number>' : ''}();`,
      );
      lines.push(
        `  get(key${ts ? ': string' : ''}) {`,
        '    return this.cache.get(key) ?? 0;',
        '  }',
        '}',
        '',
      );
    } else lines.push(...functionBlock(name, ts));
  }
  return lines;
}

/** Writes the tree; returns the planted findings as "file:line". */
function generateTree(root) {
  const expected = [];
  const services = Math.max(1, Math.round(FILES / 500));
  for (let s = 0; s < services; s++) {
    const dir = `services/${NOUNS[s % NOUNS.length]}-${s}/src`;
    // One module per service exports the variable; the planted import branch reads it.
    writeFile(root, `${dir}/env.ts`, 'export const env = process.env.NODE_ENV;\n');
  }
  for (let f = 0; f < FILES - services; f++) {
    const service = f % services;
    const dir = `services/${NOUNS[service % NOUNS.length]}-${service}/src`;
    const extension = pick(['ts', 'ts', 'ts', 'ts', 'tsx', 'js', 'js', 'mjs']);
    const ts = extension === 'ts' || extension === 'tsx';
    const lines = generateModule(ts, extension === 'tsx');
    const file = `${dir}/${pick(VERBS)}-${pick(NOUNS)}-${f}.${extension}`;
    if (rand() < 0.1) lines.push('', ...pick(DECOYS)());
    if (rand() < 0.04) {
      const index = Math.floor(rand() * PLANTS.length);
      if (index === 7) lines.unshift("import { config } from '../lib/config.js';");
      if (index === 8) lines.unshift("import { env } from './env.js';");
      lines.push('');
      const at = lines.length + 1 + PLANT_LINE[index];
      lines.push(...PLANTS[index](pick(ENVS)));
      expected.push(`${file}:${at}`);
    }
    // JavaScript modules: drop the TypeScript-only decoy (a typed parameter).
    const text = `${lines.join('\n')}\n`;
    writeFile(root, file, ts ? text : text.replace(': { env: Record<string, string> }', ''));
  }
  return expected.sort();
}

function writeFile(root, file, text) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

function run(command, args, cwd) {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  return { seconds, result };
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'stagecraft-lint-bench-'));
try {
  const tree = join(work, 'tree');
  const expected = generateTree(tree);
  const plugin = pathToFileURL(join(REPO, 'dist/eslint-plugin/index.js')).href;
  const parser = pathToFileURL(join(REPO, 'node_modules/@typescript-eslint/parser/dist/index.js')).href;
  writeFileSync(
    join(tree, 'eslint.config.mjs'),
    `import stagecraft from '${plugin}';
import * as tsParser from '${parser}';
export default [
  { files: ['**/*.{js,mjs,cjs,jsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
  { files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'], ...stagecraft.configs.recommended },
];
`,
  );
  const cli = join(REPO, 'dist/cli/main.js');
  const eslint = join(REPO, 'node_modules/eslint/bin/eslint.js');
  const tools = {
    stagecraft: {
      args: [cli, 'lint', '--format', 'json', 'services'],
      findings: (stdout) => (JSON.parse(stdout).findings ?? fail(stdout)).map((f) => `${f.file}:${f.line}`),
      files: (stdout) => JSON.parse(stdout).files,
    },
    eslint: {
      args: [eslint, '--format', 'json', '--no-config-lookup', '--config', 'eslint.config.mjs', 'services'],
      findings: (stdout) =>
        JSON.parse(stdout).flatMap((result) =>
          result.messages.map((m) => `${result.filePath.slice(tree.length + 1)}:${m.line}`),
        ),
      files: (stdout) => JSON.parse(stdout).length,
    },
  };
  const times = { stagecraft: [], eslint: [] };
  const files = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, tool] of Object.entries(tools)) {
      const { seconds, result } = run(process.execPath, tool.args, tree);
      if (result.status !== 2 && result.status !== 1)
        throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
      const found = tool.findings(result.stdout).sort();
      if (JSON.stringify(found) !== JSON.stringify(expected)) {
        const missing = expected.filter((x) => !found.includes(x));
        const extra = found.filter((x) => !expected.includes(x));
        throw new Error(
          `${name} disagrees with the planted findings: missing ${missing.slice(0, 5)}, extra ${extra.slice(0, 5)}`,
        );
      }
      files[name] = tool.files(result.stdout);
      times[name].push(seconds);
    }
  }
  const base = median(times.stagecraft);
  const rows = Object.keys(tools).map((name) => {
    const seconds = median(times[name]);
    return [
      name === 'stagecraft' ? 'stagecraft lint' : 'ESLint + stagecraft/no-environment-branch',
      String(files[name]),
      seconds.toFixed(2),
      String(Math.round(files[name] / seconds)),
      `${(seconds / base).toFixed(2)}×`,
    ];
  });
  console.log(
    `${FILES} files (seed ${values.seed}), ${expected.length} planted findings, both tools agree; medians of ${RUNS} runs, Node ${process.versions.node}\n`,
  );
  console.log(
    formatTable(['tool', 'files', 'seconds', 'files/s', 'time vs stagecraft'], rows, [
      false,
      true,
      true,
      true,
      true,
    ]),
  );
} finally {
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
}

function fail(stdout) {
  throw new Error(`stagecraft lint could not check the tree: ${stdout.slice(0, 2000)}`);
}
