/**
 * Resolution: for each field, the highest-precedence source that sets it, parsed and validated, with its
 * provenance. Every problem is collected; nothing stops at the first. This runs on every load, so all that
 * does not depend on the variables was worked out once, in the environment's plan.
 *
 * Precedence, lowest to highest: default < base YAML < environment YAML < .env < .env.local < secret files
 * (a mounted directory, then NAME_FILE) < real environment variables.
 */
import type { Problem, SourceLocation } from '../errors.ts';
import { collectReferences } from '../secret-references/reference.ts';
import { closestMatch } from '../text/suggest.ts';
import type { FlatField } from './definition.ts';
import { ConfigCodes } from './errors.ts';
import { expandDeep, isReference } from './expand-value.ts';
import { readSecretFile } from './layers.ts';
import { bothSet, type EnvironmentPlan, type FieldPlan, type Provenance } from './plan.ts';

export type { Provenance } from './plan.ts';

export interface ResolvedEntry {
  field: FlatField;
  /** The parsed value (a `Secret` for secret fields); undefined when missing or invalid. */
  value: unknown;
  provenance: Provenance | undefined;
  /** `${VAR}` names the value was built from: variables the deployment must set. */
  references: readonly string[];
  /** True when the value came through a `${VAR}` that is unset here (static checks only). */
  deferred: boolean;
  /** The value is or holds secret references (`ref+vault://…`), resolved at run time by a secret backend. */
  secretReference: boolean;
  /** The references the value holds, as written (they name where secrets are, never a secret). */
  secretReferences: readonly string[];
}

/**
 * The raw value of an entry before parsing (after `${VAR}` expansion and, once resolved, its references):
 * what a child process must be given to load the same config. Kept off the entry, so printing an inspection
 * cannot show a secret's plain text.
 */
const RAW_VALUES = new WeakMap<ResolvedEntry, unknown>();

export function rawValue(entry: ResolvedEntry): unknown {
  return RAW_VALUES.get(entry);
}

/** Sets an entry's value from its raw form (a resolved reference), or reports why it does not parse. */
export function parseInto(
  entry: ResolvedEntry,
  raw: unknown,
  problems: Problem[],
  location?: SourceLocation,
): void {
  const parsed = entry.field.spec.parse(raw);
  RAW_VALUES.set(entry, raw);
  if (parsed.ok) {
    entry.value = parsed.value;
    return;
  }
  problems.push({
    code: ConfigCodes.CONFIG_INVALID_VALUE,
    severity: 'error',
    message: `the secret ${entry.secretReferences.join(', ')} is not a valid ${entry.field.spec.type} for ${entry.field.key}`,
    field: entry.field.key,
    variable: entry.field.envName,
    location,
    expected: parsed.expected,
    hint: parsed.hint,
  });
}

export interface Resolution {
  environment: string;
  dotenvAllowed: boolean;
  entries: ResolvedEntry[];
  problems: Problem[];
  /** Entries whose references are left to resolve (with `references: 'defer'`). */
  pending: PendingReference[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveSettings {
  prefix: string;
  strict: boolean;
  /** `static`: no real environment; unset `${VAR}` means "the deployment must set it", not an error. */
  mode: 'runtime' | 'static';
  /**
   * `refuse`: a value holding a secret reference is a problem (the synchronous `load()`); `defer`: it is
   * kept, unparsed, for the asynchronous resolution to fill in.
   */
  references: 'refuse' | 'defer';
}

/** What deferred entries still need: the raw value holding references, and where it came from. */
export interface PendingReference {
  entry: ResolvedEntry;
  raw: unknown;
  location: SourceLocation | undefined;
}

interface Candidate {
  raw: unknown;
  provenance: Provenance;
  location?: SourceLocation | undefined;
}

const NO_REFERENCES: readonly string[] = Object.freeze([]);

export function resolveFields(plan: EnvironmentPlan, env: Env, settings: ResolveSettings): Resolution {
  const problems: Problem[] = plan.problems.length ? [...plan.problems] : [];
  if (settings.strict && settings.prefix)
    problems.push(...unknownPrefixedVariables(plan, env, settings.prefix));
  // `${VAR}` in YAML sees real variables first, then .env where it may be read, as docker compose does.
  const lookupVariable = (name: string): string | undefined => {
    const value = env[name];
    if (value !== undefined) return value;
    for (const layer of plan.dotenvLayers) {
      const entry = layer.entries?.get(name);
      if (entry) return entry.value;
    }
    return undefined;
  };
  const entries: ResolvedEntry[] = [];
  const pending: PendingReference[] = [];
  for (const fieldPlan of plan.fields) {
    entries.push(resolveField(plan, fieldPlan, env, settings, lookupVariable, problems, pending));
  }
  return { environment: plan.environment, dotenvAllowed: plan.dotenvAllowed, entries, problems, pending };
}

function resolveField(
  plan: EnvironmentPlan,
  fieldPlan: FieldPlan,
  env: Env,
  settings: ResolveSettings,
  lookupVariable: (name: string) => string | undefined,
  problems: Problem[],
  pending: PendingReference[],
): ResolvedEntry {
  const { field } = fieldPlan;
  const entry: ResolvedEntry = {
    field,
    value: undefined,
    provenance: undefined,
    references: NO_REFERENCES,
    deferred: false,
    secretReference: false,
    secretReferences: NO_REFERENCES,
  };
  const candidate = findCandidate(fieldPlan, env, problems);
  if (candidate === undefined) {
    const before = problems.length;
    resolveMissing(entry, fieldPlan, problems);
    const missing = problems[before];
    if (missing) explainRefusedDotenv(missing, field.envName, plan);
    return entry;
  }
  if (candidate === REFUSED) return entry;
  entry.provenance = candidate.provenance;
  let raw = candidate.raw;
  if (candidate.provenance.source === 'yaml' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    // A value that starts as a reference is one, if a broken one: reported as such, with the fix (a
    // misspelt backend), rather than as a literal secret.
    if (field.spec.secret && !isReference(raw) && !(typeof raw === 'string' && /^(secret)?ref\+/.test(raw))) {
      problems.push(secretLiteral(field, candidate.location));
      return entry;
    }
    const references: string[] = [];
    const expanded = expandDeep(raw, lookupVariable, references);
    if (references.length) entry.references = references;
    if (!expanded.ok) {
      if (settings.mode === 'static' && expanded.unset) {
        entry.deferred = true;
        return entry;
      }
      const problem = { ...expanded.problem, field: field.key, location: candidate.location };
      problem.message = `${field.key}: ${problem.message}`;
      // A literal default for a secret would be a secret committed to the file: never suggest one.
      if (field.spec.secret && problem.variable) {
        problem.hint = plan.dotenvAllowed
          ? `set ${problem.variable} in .env (gitignored; .env.example lists what to set) or in the environment`
          : `set ${problem.variable} where this environment is deployed (a CI secret variable or a mounted secret)`;
      }
      if (problem.variable) explainRefusedDotenv(problem, problem.variable, plan);
      problems.push(problem);
      return entry;
    }
    raw = expanded.value;
  } else if (field.spec.secret && candidate.provenance.source === 'yaml') {
    problems.push(secretLiteral(field, candidate.location));
    return entry;
  }
  // The cheap test first: this runs for every field on every load.
  if (typeof raw === 'string' ? raw.includes('ref+') : raw !== null && typeof raw === 'object') {
    const found = collectReferences(raw);
    if (found.invalid) {
      problems.push({
        code: ConfigCodes.CONFIG_REFERENCE_INVALID,
        severity: 'error',
        message: `${field.key}: ${found.invalid.message}`,
        field: field.key,
        variable: field.envName,
        location: candidate.location,
        source: candidate.location ? undefined : 'environment',
        hint: found.invalid.hint,
      });
      return entry;
    }
    if (found.references.length) {
      entry.secretReference = true;
      entry.secretReferences = found.references.map((reference) => reference.text);
      if (settings.mode === 'static') return entry;
      if (settings.references === 'defer') {
        pending.push({ entry, raw, location: candidate.location });
        return entry;
      }
      problems.push({
        code: ConfigCodes.CONFIG_UNRESOLVED_REFERENCE,
        severity: 'error',
        message: `${field.key} holds a secret reference (${entry.secretReferences.join(', ')}), which the synchronous load() cannot resolve: call \`await loader.loadWithSecrets()\` instead of \`loader.load()\` (same arguments)`,
        field: field.key,
        variable: field.envName,
        location: candidate.location,
        source: candidate.location ? undefined : 'environment',
        hint: '`await loader.loadWithSecrets()` resolves references through their backends and returns the same config; or start the app with `stagecraft run --env NAME -- CMD`, which resolves them and passes plain variables',
      });
      return entry;
    }
  }
  const parsed = field.spec.parse(raw);
  // Only the asynchronous load keeps raw values (for `stagecraft run`): the synchronous one stays lean.
  if (settings.references === 'defer') RAW_VALUES.set(entry, raw);
  if (parsed.ok) {
    entry.value = parsed.value;
    return entry;
  }
  problems.push({
    code: ConfigCodes.CONFIG_INVALID_VALUE,
    severity: 'error',
    message: `${describeSource(candidate.provenance, field)} is not a valid ${field.spec.type} for ${field.key}`,
    field: field.key,
    variable: field.envName,
    location: candidate.location,
    source: candidate.location ? undefined : 'environment',
    expected: parsed.expected,
    found: field.spec.secret ? undefined : describeRaw(raw),
    hint: parsed.hint,
  });
  return entry;
}

/** Marks a secret file that was refused: already reported, and no lower layer may stand in for it. */
const REFUSED: Candidate = Object.freeze({
  raw: undefined,
  provenance: Object.freeze({ source: 'default' }),
  location: undefined,
});

function findCandidate(plan: FieldPlan, env: Env, problems: Problem[]): Candidate | undefined {
  const value = env[plan.field.envName];
  const file = env[plan.fileVariable];
  if (value !== undefined) {
    if (file !== undefined) problems.push(bothSet(plan.field, 'the environment', undefined));
    return { raw: value, provenance: plan.envProvenance, location: undefined };
  }
  if (file !== undefined)
    return readFileSource(plan.field, file, undefined, plan.fileVariable, undefined, problems);
  const fallback = plan.fallback;
  if (fallback === undefined) return undefined;
  if (fallback.kind === 'file') {
    return readFileSource(
      plan.field,
      fallback.path,
      fallback.within,
      fallback.variable,
      fallback.location,
      problems,
    );
  }
  return fallback;
}

function readFileSource(
  field: FlatField,
  path: string,
  within: string | undefined,
  variable: string,
  location: SourceLocation | undefined,
  problems: Problem[],
): Candidate {
  const read = readSecretFile(path, within);
  if (!read.ok) {
    problems.push({
      code: ConfigCodes.CONFIG_SECRET_FILE_REFUSED,
      severity: 'error',
      message: read.message,
      field: field.key,
      variable,
      location: location ?? { file: path },
      hint: read.hint,
    });
    return REFUSED;
  }
  return {
    raw: read.value,
    provenance: { source: 'secret-file', file: path, variable },
    location: location ?? { file: path },
  };
}

function resolveMissing(entry: ResolvedEntry, plan: FieldPlan, problems: Problem[]): void {
  const { field } = entry;
  if (field.spec.standard) {
    // A Standard Schema decides for itself whether absence is fine (zod's .optional() or .default()).
    const parsed = field.spec.parse(undefined);
    if (parsed.ok) {
      entry.value = parsed.value;
      return;
    }
  }
  if (field.spec.optional) return;
  problems.push({
    code: ConfigCodes.CONFIG_MISSING_VAR,
    severity: 'error',
    message: `${field.key} is required but not set`,
    field: field.key,
    variable: field.envName,
    source: 'environment',
    expected: field.spec.type,
    hint: plan.missingHint,
  });
}

/** A variable missing here that a `.env` file defines: say that `.env` is refused here, and why. */
function explainRefusedDotenv(problem: Problem, variable: string, plan: EnvironmentPlan): void {
  const file = plan.refusedDotenv.get(variable);
  if (file === undefined) return;
  problem.message += ` (${file} sets it, but .env files are not read in the ${plan.environment} environment)`;
  problem.hint = `.env is for local development only (stagecraft.yaml: environments.${plan.environment}.dotenv is false); ${problem.hint ?? `set ${variable} where ${plan.environment} runs`}`;
}

function secretLiteral(field: FlatField, location: SourceLocation | undefined): Problem {
  return {
    code: ConfigCodes.CONFIG_SECRET_LITERAL,
    severity: 'error',
    message: `secret ${field.key} is written as a literal value in a committed config file`,
    field: field.key,
    variable: field.envName,
    location,
    hint: `write "\${${field.envName}}" or a reference to where the secret is (ref+k8s://SECRET/KEY for a mounted Kubernetes Secret, ref+file://PATH), and provide the value at run time`,
  };
}

function unknownPrefixedVariables(plan: EnvironmentPlan, env: Env, prefix: string): Problem[] {
  const known = new Set<string>([`${prefix}ENVIRONMENT`]);
  for (const { field, fileVariable } of plan.fields) known.add(field.envName).add(fileVariable);
  const names = [...known];
  return Object.keys(env)
    .filter((name) => name.startsWith(prefix) && !known.has(name))
    .map((name) => {
      const suggestion = closestMatch(name, names);
      return {
        code: ConfigCodes.CONFIG_UNKNOWN_VAR,
        severity: 'error' as const,
        message: `${name} has the config prefix ${prefix} but fills no config field`,
        variable: name,
        source: 'environment',
        hint: suggestion ? `did you mean ${suggestion}?` : 'unset it, or add a field for it',
      };
    });
}

function describeSource(provenance: Provenance, field: FlatField): string {
  switch (provenance.source) {
    case 'env':
      return provenance.variable;
    case 'dotenv':
      return `${provenance.variable} (from .env)`;
    case 'secret-file':
      return `the secret file for ${provenance.variable}`;
    case 'yaml':
      return provenance.key;
    case 'default':
      return `the default of ${field.key}`;
  }
}

function describeRaw(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 37)}...` : raw);
  if (raw === null) return 'an empty value';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a map';
  return String(raw);
}
