import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyProblem, WORKSPACE_FILE } from '../test-support/workspace-problems.ts';
import { checkDeclaredPaths } from './check-paths.ts';
import { parseWorkspace } from './load.ts';
import { workspaceJsonSchema } from './schema.ts';
import { OIDC_ALGORITHMS } from './server-settings.ts';

const FILE = WORKSPACE_FILE;
const GITHUB = 'https://token.actions.githubusercontent.com';

/**
 * A `server:` section with one issuer, audience stagecraft: `issuer` is its value (and any further lines of the
 * entry), `rules` the lines of its rules.
 */
const server = (issuer: string, rules = '      - claims: { repository: acme/shop }\n        role: ci\n') =>
  `server:\n  oidc:\n    - issuer: ${issuer}\n      audience: stagecraft\n      rules:\n${rules}`;

test('reads OIDC issuers with their rules, defaults applied', () => {
  const workspace = parseWorkspace(
    [
      'server:',
      '  oidc:',
      `    - issuer: ${GITHUB}`,
      '      audience: stagecraft',
      '      rules:',
      '        - claims: { repository: acme/shop, ref: refs/heads/main }',
      '          role: ci',
      '          environments: [staging]',
      '        - claims: { repository: [acme/shop, acme/web], environment: production }',
      '          role: ci',
      '          environments: [production]',
      '    - issuer: http://127.0.0.1:8200/',
      '      audience: [stagecraft, deploys]',
      '      jwks: keys/jwks.json',
      '      algorithms: [ES256]',
      '      rules:',
      '        - claims: { sub: deployer }',
      '          role: admin',
      '',
    ].join('\n'),
    FILE,
  );
  const [github, local] = workspace.server.oidc;
  assert.deepEqual(github, {
    issuer: GITHUB,
    audiences: ['stagecraft'],
    jwks: { kind: 'discovery', url: `${GITHUB}/.well-known/openid-configuration` },
    algorithms: OIDC_ALGORITHMS,
    rules: [
      {
        claims: { repository: ['acme/shop'], ref: ['refs/heads/main'] },
        role: 'ci',
        environments: ['staging'],
      },
      {
        claims: { repository: ['acme/shop', 'acme/web'], environment: ['production'] },
        role: 'ci',
        environments: ['production'],
      },
    ],
  });
  assert.deepEqual(local, {
    issuer: 'http://127.0.0.1:8200/',
    audiences: ['stagecraft', 'deploys'],
    jwks: { kind: 'file', path: '/repo/keys/jwks.json' },
    algorithms: ['ES256'],
    rules: [{ claims: { sub: ['deployer'] }, role: 'admin', environments: undefined }],
  });
});

test('a workspace without a server section accepts no OIDC issuer', () => {
  assert.deepEqual(parseWorkspace('name: app\n', FILE).server, { oidc: [] });
});

test('a JWKS URL is used as given; discovery drops the issuer’s trailing slash', () => {
  const jwks = parseWorkspace(server(`${GITHUB}\n      jwks: ${GITHUB}/.well-known/jwks`), FILE).server
    .oidc[0]?.jwks;
  assert.deepEqual(jwks, { kind: 'url', url: `${GITHUB}/.well-known/jwks` });
  const discovered = parseWorkspace(server('https://issuer.example/tenant/'), FILE).server.oidc[0]?.jwks;
  assert.deepEqual(discovered, {
    kind: 'discovery',
    url: 'https://issuer.example/tenant/.well-known/openid-configuration',
  });
});

test('refuses an issuer over plain http anywhere but this machine, at its line', () => {
  const problem = onlyProblem(server('http://issuer.example'));
  assert.equal(problem.code, 'WORKSPACE_INVALID_VALUE');
  assert.equal(problem.message, 'server.oidc[0].issuer is not valid');
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 15 });
  assert.equal(
    problem.hint,
    'use https: keys fetched over plain http can be replaced on the way (http is accepted for localhost and 127.0.0.1 only, for tests)',
  );
  for (const loopback of ['http://localhost:9000', 'http://127.0.0.1:9000', 'http://[::1]:9000']) {
    assert.equal(parseWorkspace(server(loopback), FILE).server.oidc[0]?.issuer, loopback);
  }
});

test('refuses an issuer that is not a URL, or has a query', () => {
  assert.equal(
    onlyProblem(server('token.actions.githubusercontent.com')).hint,
    'write a full URL, e.g. https://token.actions.githubusercontent.com',
  );
  assert.equal(
    onlyProblem(server(`${GITHUB}/?tenant=1`)).hint,
    'an issuer has no ?query or #fragment: write it exactly as its tokens’ "iss" claim does',
  );
});

test('refuses a JWKS URL that is not https, and reads anything else as a file', () => {
  const problem = onlyProblem(server(`${GITHUB}\n      jwks: http://keys.example/jwks`));
  assert.equal(problem.message, 'server.oidc[0].jwks is not valid');
  assert.deepEqual(problem.location, { file: FILE, line: 4, column: 13 });
  assert.equal(
    onlyProblem(server(`${GITHUB}\n      jwks: ftp://keys.example/jwks`)).hint,
    'use an https:// URL, not ftp://',
  );
});

test('reports a missing audience at its issuer', () => {
  const problem = onlyProblem(
    `server:\n  oidc:\n    - issuer: ${GITHUB}\n      rules:\n        - claims: { repository: acme/shop }\n          role: ci\n`,
  );
  assert.equal(problem.code, 'WORKSPACE_MISSING_KEY');
  assert.equal(problem.message, 'server.oidc[0].audience is required');
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 7 });
  assert.equal(problem.hint, 'add "audience" to server.oidc[0]');
});

test('reports an environment a rule names that is not declared, with a suggestion', () => {
  const rules =
    '      - claims: { repository: acme/shop }\n        role: ci\n        environments: [staging, prodution]\n';
  const problem = onlyProblem(server(GITHUB, rules));
  assert.equal(problem.code, 'WORKSPACE_UNKNOWN_ENVIRONMENT');
  assert.equal(problem.message, `rule 1 of ${GITHUB} names environment "prodution", which is not declared`);
  assert.equal(problem.path, 'server.oidc[0].rules[0].environments[1]');
  assert.deepEqual(problem.location, { file: FILE, line: 8, column: 33 });
  assert.equal(problem.expected, 'one of dev, staging, production');
  assert.equal(problem.hint, 'did you mean "production"?');
});

test('checks a rule’s environments against those declared, not the defaults', () => {
  const text = `environments:\n  local: {}\n  live: { from: local }\n${server(
    GITHUB,
    '      - claims: { repository: acme/shop }\n        role: ci\n        environments: [live]\n',
  )}`;
  assert.deepEqual(parseWorkspace(text, FILE).server.oidc[0]?.rules[0]?.environments, ['live']);
  assert.equal(onlyProblem(text.replace('[live]', '[staging]')).expected, 'one of local, live');
});

test('refuses a rule for GitHub’s issuer that names no repository', () => {
  const problem = onlyProblem(server(GITHUB, '      - claims: { ref: refs/heads/main }\n        role: ci\n'));
  assert.equal(problem.code, 'WORKSPACE_OIDC_RULE_UNPINNED');
  assert.equal(
    problem.message,
    `rule 1 of ${GITHUB} names no repository, so a workflow of any repository on GitHub would match it`,
  );
  assert.deepEqual(problem.location, { file: FILE, line: 6, column: 17 });
  for (const claim of [
    'repository_owner: acme',
    'repository_id: "123"',
    'sub: "repo:acme/shop:environment:production"',
  ]) {
    parseWorkspace(server(GITHUB, `      - claims: { ${claim} }\n        role: ci\n`), FILE);
  }
  // Another issuer's tokens carry other claims (GitLab's project_path): only GitHub's issuer is shared by all.
  parseWorkspace(
    server('https://gitlab.example', '      - claims: { project_path: acme/shop }\n        role: ci\n'),
    FILE,
  );
});

test('refuses a rule without claims, which would admit every token of its issuer', () => {
  const problem = onlyProblem(server(GITHUB, '      - claims: {}\n        role: ci\n'));
  assert.equal(problem.message, 'server.oidc[0].rules[0].claims needs at least 1 item');
  assert.match(problem.hint ?? '', /a rule without claims would admit every token of the issuer/);
});

test('asks for claim values as text', () => {
  const problem = onlyProblem(
    server(GITHUB, '      - claims: { repository: acme/shop, repository_id: 123 }\n        role: ci\n'),
  );
  assert.equal(problem.message, 'server.oidc[0].rules[0].claims.repository_id must be a string or a list');
  assert.equal(
    problem.hint,
    'claim values are compared as text: quote a number, e.g. repository_id: "123456"',
  );
});

test('refuses symmetric and absent signature algorithms', () => {
  for (const alg of ['HS256', 'none']) {
    const problem = onlyProblem(server(`${GITHUB}\n      algorithms: [RS256, ${alg}]`));
    assert.equal(problem.path, 'server.oidc[0].algorithms[1]');
    assert.equal(
      problem.hint,
      `${alg} is refused: only asymmetric signatures prove who signed, since an issuer's JWKS is public`,
    );
  }
});

test('refuses an issuer declared twice', () => {
  const entry = `    - issuer: ${GITHUB}\n      audience: stagecraft\n      rules: [{ claims: { repository: acme/shop }, role: ci }]\n`;
  const problem = onlyProblem(`server:\n  oidc:\n${entry}${entry}`);
  assert.equal(problem.code, 'WORKSPACE_OIDC_DUPLICATE_ISSUER');
  assert.equal(problem.message, `issuer ${GITHUB} is declared twice, in server.oidc[0] and server.oidc[1]`);
  assert.deepEqual(problem.location, { file: FILE, line: 6, column: 15 });
});

test('reports an unknown key in an issuer with what was meant', () => {
  const problem = onlyProblem(server(`${GITHUB}\n      audiences: [x]`));
  assert.equal(problem.code, 'WORKSPACE_UNKNOWN_KEY');
  assert.equal(problem.hint, 'did you mean "audience"?');
});

test('warns when a JWKS file does not exist yet', () => {
  const workspace = parseWorkspace(server(`${GITHUB}\n      jwks: keys/jwks.json`), FILE);
  assert.deepEqual(
    checkDeclaredPaths(workspace).map((problem) => [problem.severity, problem.message]),
    [['warning', `JWKS file of ${GITHUB} keys/jwks.json does not exist`]],
  );
});

test('the JSON Schema describes the server section', () => {
  const schema = workspaceJsonSchema() as {
    properties: Record<string, { properties: Record<string, unknown> }>;
  };
  const oidc = schema.properties['server']?.properties['oidc'] as {
    items: { required: string[]; properties: { rules: { items: { properties: { claims: unknown } } } } };
  };
  assert.deepEqual(oidc.items.required, ['issuer', 'audience', 'rules']);
  assert.deepEqual(oidc.items.properties.rules.items.properties.claims, {
    description:
      'Claims the token must carry, each a value or a list of values (any of them), compared exactly, e.g. { repository: acme/shop, ref: refs/heads/main }',
    type: 'object',
    additionalProperties: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
    },
    minProperties: 1,
  });
});
