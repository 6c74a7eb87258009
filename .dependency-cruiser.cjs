/**
 * Which module may import which, checked by `npm run deps` (part of `npm test`). Dependencies point inwards:
 * the CLI calls the domains, the domains use the shared helpers (git/, kubernetes/, terminal/ and the config
 * package), and the config package stands alone, so an app can install it without the rest.
 *
 * Type-only imports count everywhere, cycles included: a cycle through types ties the two modules' designs
 * together as much as one through values, and none was needed once shared types had a module of their own.
 * src/dependency-rules.test.ts checks that each rule catches what it is for.
 */
const ROOT_SRC = '^src/';
const CONFIG_SRC = '^packages/config/src/';
/** Test files and test helpers. */
const TESTS = ['\\.test\\.ts$', '^src/test-support/', '^packages/[^/]+/src/test-support/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other, directly or through others: move what both need to a module both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment:
        'The CLI calls the domains, never the other way round: what a domain needs from src/cli/ (styling, formats) belongs in a neutral home such as src/terminal/.',
      from: { path: ROOT_SRC, pathNot: ['^src/cli/', ...TESTS] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'config-package-stands-alone',
      severity: 'error',
      comment:
        '@stagecraft/config is installed on its own by apps: it imports nothing from the root package or another package, only its own files, node: builtins and its declared dependencies.',
      from: { path: '^packages/config/' },
      to: { pathNot: ['^packages/config/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'declared-dependencies-only',
      severity: 'error',
      comment:
        "Code that imports a module its own package.json does not list breaks once installed: the config package may use `yaml`, not the root package's dependencies. (An optional peer, tsx, is loaded only when present. Tests run in the repository, with the root's development dependencies.)",
      from: { pathNot: TESTS },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm-peer'] },
    },
    {
      name: 'dev-dependencies-only-in-tests',
      severity: 'error',
      comment: 'Development dependencies are not installed with the package: only tests and test helpers use them.',
      from: { pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a moved file, a misspelt path or a subpath the tsconfig paths do not map.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'config-package-through-its-exports',
      severity: 'error',
      comment:
        'The root package imports @stagecraft/config through its subpath exports (@stagecraft/config/errors, …), never by relative path, so what it uses is what the package publishes.',
      from: { path: ROOT_SRC, pathNot: TESTS },
      to: { path: CONFIG_SRC, dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'tests-reach-only-test-support-by-path',
      severity: 'error',
      comment:
        'Tests may import packages/config/src/test-support/ by relative path; the rest of the config package they import through @stagecraft/config/… like any other code.',
      from: { path: ['^src/.+\\.test\\.ts$', '^src/test-support/'] },
      to: {
        path: CONFIG_SRC,
        pathNot: `${CONFIG_SRC}test-support/`,
        dependencyTypesNot: ['aliased-tsconfig-paths'],
      },
    },
    {
      name: 'test-support-only-in-tests',
      severity: 'error',
      comment: 'Test helpers (fixtures, fake servers) are never part of what ships: only tests and other test helpers import them.',
      from: { pathNot: TESTS },
      to: { path: '(^|/)test-support/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '/fixtures/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
