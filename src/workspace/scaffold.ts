/**
 * What `stagecraft init` writes. Files are created exclusively (never overwritten); .gitignore only gains
 * the entries it lacks, so running init twice changes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INPUT_LIMITS, isPresent, readInputFile } from '@stagecraft/config/input';
import { gitignoreMatcher } from '../git/gitignore-matcher.ts';

/** The seed's "What Never to Commit", with a path each entry must ignore. */
export const REQUIRED_GITIGNORE: readonly { pattern: string; sample: string }[] = [
  { pattern: '.env', sample: '.env' },
  { pattern: '.env.local', sample: '.env.local' },
  { pattern: '.env.production', sample: '.env.production' },
  { pattern: '*.key', sample: 'deploy/server.key' },
  { pattern: '*.pem', sample: 'deploy/server.pem' },
  { pattern: 'secrets/', sample: 'secrets/db-password' },
  // The local ledger: deploy output and who did what, and a database nobody should merge.
  { pattern: '.stagecraft/', sample: '.stagecraft/state.db' },
];

export interface ScaffoldResult {
  created: string[];
  skipped: string[];
  /** .gitignore entries added (empty when it already had them all). */
  gitignoreAdded: string[];
}

/** A deployable service for stagecraft.yaml: its name and image repository (no tag or digest). */
export interface ScaffoldService {
  name: string;
  image: string;
}

export function scaffoldWorkspace(
  dir: string,
  name: string,
  services: readonly ScaffoldService[] = [],
): ScaffoldResult {
  const result: ScaffoldResult = { created: [], skipped: [], gitignoreAdded: [] };
  for (const [file, content] of Object.entries(templates(name, services))) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, content, { flag: 'wx' });
      result.created.push(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.skipped.push(file);
    }
  }
  result.gitignoreAdded = ensureGitignore(join(dir, '.gitignore'));
  return result;
}

/**
 * Appends the required entries a .gitignore does not already cover (by matching, not by text), or exactly
 * `patterns` when the caller has already decided (with git) which are missing.
 */
export function ensureGitignore(path: string, patterns?: readonly string[]): string[] {
  const current = isPresent(path)
    ? readInputFile(path, { what: '.gitignore', maxBytes: INPUT_LIMITS.authored })
    : '';
  const matcher = gitignoreMatcher().add(current);
  const missing =
    patterns !== undefined
      ? [...patterns]
      : REQUIRED_GITIGNORE.filter((entry) => !matcher.ignores(entry.sample)).map((entry) => entry.pattern);
  if (missing.length === 0) return [];
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  const block = `${current === '' ? '' : '\n'}# Secrets and local environment files: never commit (added by stagecraft init)\n${missing.join('\n')}\n`;
  writeFileSync(path, current + separator + block);
  return missing;
}

/** The `services:` block of stagecraft.yaml: the services given, or an empty map to fill in. */
export function servicesBlock(services: readonly ScaffoldService[]): string {
  if (services.length === 0) return 'services: {}\n';
  // A name that is not a plain word is quoted, so it stays one key whatever it holds (and the workspace's own
  // rules then say what is wrong with it).
  const key = (name: string) => (/^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name));
  return `services:\n${services.map((s) => `  ${key(s.name)}:\n    image: ${JSON.stringify(s.image)}\n`).join('')}`;
}

/** The files init writes, by path. */
export function templates(name: string, services: readonly ScaffoldService[] = []): Record<string, string> {
  return {
    'stagecraft.yaml': `# yaml-language-server: $schema=./node_modules/stagecraft/schema/stagecraft.schema.json
# The environment model: one artifact (an image digest) promoted unchanged through these environments.
version: 1
name: ${name}

# Ordered: each environment names the one its artifact is promoted from.
environments:
  dev:
    deployers: [developer, ci]   # developers deploy here themselves; CI each merge, before staging
    dotenv: true                 # .env files are read only here
  staging:
    from: dev
    deployers: [ci]              # CI promotes every merge to main from dev
  production:
    from: staging
    deployers: [ci]              # CI promotes after the gates pass
    gates:
      - tests

# Deployable services and the image repository each is built to (no tag: the digest is chosen per deploy).
${servicesBlock(services)}
# The app's typed configuration: a definition module and one YAML file per environment.
config:
  module: src/config.ts
  base: config/base.yaml
  files: config/{env}.yaml
`,
    'src/config.ts': `/**
 * The app's configuration: one typed definition for every environment. Values come from config/base.yaml,
 * config/{environment}.yaml, .env (dev only) and the environment, in that order; \`stagecraft config check
 * --all\` shows what provides each field in each environment. Export the loader, not a loaded config, so
 * tools can import this module; where the app starts: \`const config = await appConfig.loadWithSecrets();\`
 */
import { defineConfig, field } from '@stagecraft/config';

export default defineConfig({
  baseUrl: field.url().describe('Public URL of the app'),
  dbHost: field.string().describe('Database host'),
  dbPort: field.port().default(5432),
  logLevel: field.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
});
`,
    'config/base.yaml': `# Values shared by every environment. Reference environment variables as \${VAR}; never write secrets here.
log_level: "INFO"
`,
    'config/dev.yaml': `base_url: "http://localhost:8080"
db_host: "\${DB_HOST:-localhost}"
log_level: "DEBUG"
`,
    'config/staging.yaml': `base_url: "https://api.staging.example.com"
db_host: "\${DB_HOST}"
log_level: "INFO"
`,
    'config/production.yaml': `base_url: "https://api.example.com"
db_host: "\${DB_HOST}"
log_level: "WARNING"
`,
    // What `stagecraft config example` writes for src/config.ts, so `config example --check` accepts it.
    '.env.example': `# Generated by \`stagecraft config example\` from the config definition; do not edit by hand.
# Copy to .env for local development. .env is gitignored; real secrets never go in this file.

# Public URL of the app
# url, set in config/dev.yaml
# BASE_URL=

# Database host
# string, set in config/dev.yaml
# DB_HOST=

# port, default 5432
# DB_PORT=

# enum (DEBUG | INFO | WARNING | ERROR), set in config/dev.yaml, default INFO
# LOG_LEVEL=
`,
  };
}
