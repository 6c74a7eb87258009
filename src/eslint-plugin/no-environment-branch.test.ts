/**
 * The ESLint plugin through real ESLint: RuleTester runs the rule's cases (src/lint/fixtures/rule-cases.ts,
 * the same ones `stagecraft lint` is tested with) with typescript-eslint's parser for TypeScript and ESLint's
 * own for JavaScript, and the recommended flat config lints through the Linter as a user's config would.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import tsParser from '@typescript-eslint/parser';
import { Linter, RuleTester } from 'eslint';
import { RULE_CASES, type RuleCase } from '../lint/fixtures/rule-cases.ts';
import { writeTree } from '../test-support/cli.ts';
import plugin from './index.ts';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const dir = mkdtempSync(join(tmpdir(), 'stagecraft-eslint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Each case in its own folder, with the modules it imports beside it, as ESLint would find them on disk. */
function caseFile(rule: RuleCase, index: number): string {
  const folder = join(dir, `case-${index}`);
  writeTree(folder, { [rule.file]: rule.code, ...(rule.modules ?? {}) });
  return join(folder, rule.file);
}

function languageOptions(file: string) {
  if (/\.[cm]?tsx?$/.test(file)) return { parser: tsParser };
  return {
    sourceType: file.endsWith('.cjs') ? ('commonjs' as const) : ('module' as const),
    // Declared as ESLint configurations declare Node's globals: still the global, not a binding in the code.
    globals: { process: 'readonly' as const, module: 'writable' as const },
    parserOptions: { ecmaFeatures: { jsx: true } },
  };
}

const rule = plugin.rules['no-environment-branch'] as unknown as Parameters<RuleTester['run']>[1];
const cases = RULE_CASES.map((ruleCase, index) => ({ ruleCase, filename: caseFile(ruleCase, index) }));

new RuleTester().run('no-environment-branch', rule, {
  valid: cases
    .filter(({ ruleCase }) => ruleCase.lines.length === 0)
    .map(({ ruleCase, filename }) => ({
      name: `${ruleCase.name}: ${ruleCase.why}`,
      code: ruleCase.code,
      filename,
      languageOptions: languageOptions(filename),
    })),
  invalid: [
    ...cases
      .filter(({ ruleCase }) => ruleCase.lines.length > 0)
      .map(({ ruleCase, filename }) => ({
        name: ruleCase.name,
        code: ruleCase.code,
        filename,
        languageOptions: languageOptions(filename),
        errors: ruleCase.lines.map((line) => ({ messageId: 'branch', line })),
      })),
    {
      name: 'options replace the environment names and variables',
      code: "if (process.env.APP_ENV === 'qa') {}\nif (process.env.NODE_ENV === 'production') {}\n",
      filename: join(dir, 'options.js'),
      options: [{ environments: ['qa'], variables: ['APP_ENV'] }],
      errors: [
        {
          message: `branches on the environment's name: compares process.env.APP_ENV with 'qa'. Instead, read a typed config flag (e.g. features.newCheckout in config/<env>.yaml, read through @stagecraft/config), so the same code runs in every environment.`,
          line: 1,
          column: 5,
        },
      ],
    },
  ],
});

test('the recommended flat config turns the rule on as stagecraft/no-environment-branch', () => {
  const linter = new Linter({ configType: 'flat', cwd: dir });
  const messages = linter.verify(
    "const { NODE_ENV } = process.env;\nexport const prod = NODE_ENV === 'production';\n",
    [plugin.configs.recommended as unknown as Linter.Config],
    join(dir, 'flat.js'),
  );
  assert.deepEqual(
    messages.map((message) => [message.ruleId, message.line, message.severity]),
    [['stagecraft/no-environment-branch', 2, 2]],
  );
});

test('the plugin does not load ESLint: it is plain objects ESLint calls', () => {
  const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /from 'eslint'/);
});

test('the plugin reads the stagecraft.yaml above each file: its environments, variables and lint.allow', () => {
  const project = join(dir, 'project');
  writeTree(project, {
    'stagecraft.yaml': [
      'version: 1',
      'environments:',
      '  dev: {}',
      '  qa: { from: dev }',
      'lint:',
      '  environmentVariables: [APP_ENV]',
      '  allow:',
      "    - path: 'src/dev-server/**'",
      '      reason: runs only locally',
    ].join('\n'),
  });
  const linter = new Linter({ configType: 'flat', cwd: project });
  const lint = (file: string, code: string) =>
    linter
      .verify(code, [plugin.configs.recommended as unknown as Linter.Config], join(project, file))
      .map((message) => [message.line, message.message.split(':')[1]?.trim()]);
  assert.deepEqual(lint('src/app.js', "if (process.env.APP_ENV === 'qa') {}\n"), [
    [
      1,
      "compares process.env.APP_ENV with 'qa'. Instead, read a typed config flag (e.g. features.newCheckout in config/<env>.yaml, read through @stagecraft/config), so the same code runs in every environment.",
    ],
  ]);
  assert.deepEqual(lint('src/dev-server/overlay.js', "if (process.env.APP_ENV === 'qa') {}\n"), []);
});
