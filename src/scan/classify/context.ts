/**
 * Where a finding is: what kind of file holds it, decided from the path (the folders and file names each
 * language's conventions use for tests, examples and documentation), then from the file's own markers
 * (lockfile formats, "generated" headers, minified bundles).
 */

export type FindingContext =
  | 'code'
  | 'config'
  | 'test'
  | 'docs'
  | 'example'
  | 'lockfile'
  | 'generated'
  | 'vendored';

export const FINDING_CONTEXTS: readonly FindingContext[] = [
  'code',
  'config',
  'test',
  'docs',
  'example',
  'lockfile',
  'generated',
  'vendored',
];

const VENDORED_DIRS = new Set([
  'vendor',
  'vendors',
  'third_party',
  'third-party',
  'node_modules',
  'bower_components',
]);

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  'cargo.lock',
  'go.sum',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'composer.lock',
  'gemfile.lock',
  'podfile.lock',
  'packages.lock.json',
  'mix.lock',
  'pubspec.lock',
  'flake.lock',
  'gradle.lockfile',
]);

const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  '__specs__',
  'fixture',
  'fixtures',
  '__fixtures__',
  'testdata',
  'test-data',
  'test_data',
  'testing',
  'e2e',
  'mocks',
  '__mocks__',
  'cypress',
  'playwright',
  'androidtest',
  'unittest',
  'unittests',
]);

/**
 * Test files by name: `x.test.ts`, `x.spec.js`, `x_test.go`, `test_x.py`, `x_test.py`, `XTest.java`,
 * `XTests.cs`, `x_spec.rb`, `conftest.py`, `XTest.kt`, `x.test-d.ts`.
 */
const TEST_FILE =
  /(?:[._-](?:test|spec|tests|specs|test-d|e2e)\.[a-z0-9]+$|_test\.go$|^test_[^/]+\.py$|_test\.py$|^conftest\.py$|[a-z0-9](?:Test|Tests|Spec|IT)\.(?:java|kt|kts|scala|groovy|cs|swift|php)$|_spec\.rb$|_test\.(?:rb|exs|dart|rs|c|cc|cpp)$)/;

const EXAMPLE_DIRS = new Set([
  'example',
  'examples',
  '_examples',
  'sample',
  'samples',
  'demo',
  'demos',
  'playground',
  'playgrounds',
  'starter',
  'starters',
  'templates',
  'template',
]);
/** `.env.example`, `config.sample.yml`, `settings.dist.php`, `app.example.json`. */
const EXAMPLE_FILE = /[._-](?:example|examples|sample|template|dist|tmpl|tpl)(?:\.[a-z0-9]+)?$/i;

const DOCS_DIRS = new Set(['docs', 'doc', 'documentation', 'website', 'site', 'man', 'guide', 'guides']);
const DOCS_FILE =
  /(?:\.(?:md|mdx|markdown|rst|adoc|asciidoc|html?|ipynb|org|tex)$|^(?:readme|changelog|changes|history|contributing|security|license|notice|authors)(?:\.[a-z]+)?$)/i;

const CONFIG_FILE =
  /(?:\.(?:ya?ml|json|json5|jsonc|toml|ini|cfg|conf|config|env|properties|xml|plist|tf|tfvars|hcl|nomad|npmrc|yarnrc|pypirc|netrc|gitconfig|service|cnf)$|^\.env(?:\.[\w.-]+)?$|^(?:dockerfile|containerfile|docker-compose[\w.-]*|compose[\w.-]*|makefile|procfile|vagrantfile|jenkinsfile|\.npmrc|\.pypirc|\.netrc|\.htpasswd|\.pgpass)$)/i;

/** What a path says about a file, before its text is read. */
export function contextOfPath(path: string): FindingContext {
  const parts = path.toLowerCase().split('/');
  const name = path.split('/').pop() ?? path;
  const lowerName = name.toLowerCase();
  const dirs = parts.slice(0, -1);
  if (dirs.some((dir) => VENDORED_DIRS.has(dir))) return 'vendored';
  if (LOCKFILES.has(lowerName)) return 'lockfile';
  if (/\.min\.(?:js|mjs|cjs|css)$|\.(?:js|css)\.map$|\.bundle\.js$/.test(lowerName)) return 'generated';
  if (dirs.some((dir) => TEST_DIRS.has(dir)) || TEST_FILE.test(name)) return 'test';
  if (dirs.some((dir) => EXAMPLE_DIRS.has(dir)) || EXAMPLE_FILE.test(lowerName)) return 'example';
  if (dirs.some((dir) => DOCS_DIRS.has(dir)) || DOCS_FILE.test(lowerName)) return 'docs';
  if (CONFIG_FILE.test(lowerName)) return 'config';
  return 'code';
}

const CATALOGUE_DIRS = new Set([
  'lang',
  'langs',
  'locale',
  'locales',
  'i18n',
  'l10n',
  'intl',
  'translations',
]);
/** Formats made only for translations. */
const CATALOGUE_FORMAT = /\.(?:po|pot|xlf|xliff|strings|arb|resx)$/i;
/**
 * Named for a locale with its region or script (`de-DE.json`, `pt_BR.yml`, `zh-Hans.json`), or a messages
 * file with a language (`messages.fr.json`, `messages_de.properties`): a bare `fr.json` counts only in a
 * translations folder, since two or three letters alone name many other things (`app.json`, `db.yml`).
 */
const CATALOGUE_FILE =
  /^(?:[a-z]{2,3}[-_](?:[A-Z]{2}|[A-Z][a-z]{3}|\d{3})|(?:messages|strings|translations?)[._-][a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.(?:json|ya?ml|properties)$/;

/**
 * A message catalogue: the translated texts of a user interface, by key (`"label.password": "Passwort"`).
 * Its values are words in some language, so what only a keyword vouches for there is no secret.
 */
export function isMessageCatalogue(path: string): boolean {
  const parts = path.split('/');
  const name = parts.pop() ?? path;
  if (CATALOGUE_FORMAT.test(name) || CATALOGUE_FILE.test(name)) return true;
  return (
    /\.(?:json|ya?ml|properties)$/i.test(name) && parts.some((dir) => CATALOGUE_DIRS.has(dir.toLowerCase()))
  );
}

/** Headers that tools write into what they generate: Go's convention, `@generated` (Meta, protobuf), others. */
const GENERATED_MARKER =
  /Code generated .{0,80}DO NOT EDIT|@generated\b|\bauto-?generated\b|\bautomatically generated\b|\bThis file (?:is|was) generated\b|\bDO NOT EDIT\b|<auto-generated/i;

/** The path, then the file's own markers: a generated header near its top, a minified bundle's long lines. */
export function contextOf(path: string, text: string): FindingContext {
  const byPath = contextOfPath(path);
  if (byPath === 'vendored' || byPath === 'lockfile' || byPath === 'generated') return byPath;
  if (GENERATED_MARKER.test(text.slice(0, 1024))) return 'generated';
  if (isMinified(path, text)) return 'generated';
  return byPath;
}

/**
 * A minified bundle: script or style text of a few KiB or more whose lines average hundreds of characters.
 * Hand-written code averages under 40.
 */
function isMinified(path: string, text: string): boolean {
  if (text.length < 2048 || !/\.(?:js|mjs|cjs|css)$/i.test(path)) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && lines < 10_000; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 300;
}

/**
 * Whether the text before a position on its line makes it a comment: the line opens with a comment marker,
 * or a `//` or ` #` comment starts before the position.
 */
export function isInComment(lineBefore: string): boolean {
  if (/^\s*(?:\/\/|\/\*|\*|#|<!--|--|;|%)/.test(lineBefore)) return true;
  return /(?:^|[^:\w"'])\/\/|\s#\s|\/\*/.test(lineBefore);
}
