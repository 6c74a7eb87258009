/**
 * Resolution: for each field, the highest-precedence source that sets it, parsed and validated, with its
 * provenance. Every problem is collected; nothing stops at the first. This runs on every load, so all that
 * does not depend on the variables was worked out once, in the environment's plan.
 *
 * Precedence, lowest to highest: default < base YAML < environment YAML < .env < .env.local < secret files
 * (a mounted directory, then NAME_FILE) < real environment variables.
 */
import type { Problem, SourceLocation } from '../errors.ts';
import { closestMatch } from '../workspace/suggest.ts';
import type { FlatField } from './definition.ts';
import { expandDeep, isReference, isSecretReference } from './expand-value.ts';
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
  /** The value is a secret reference (`ref+vault://…`), resolved at run time by a secret backend. */
  secretReference: boolean;
}

export interface Resolution {
  environment: string;
  dotenvAllowed: boolean;
  entries: ResolvedEntry[];
  problems: Problem[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveSettings {
  prefix: string;
  strict: boolean;
  /** `static`: no real environment; unset `${VAR}` means "the deployment must set it", not an error. */
  mode: 'runtime' | 'static';
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
  for (const fieldPlan of plan.fields) {
    entries.push(resolveField(fieldPlan, env, settings, lookupVariable, problems));
  }
  return { environment: plan.environment, dotenvAllowed: plan.dotenvAllowed, entries, problems };
}

function resolveField(
  fieldPlan: FieldPlan,
  env: Env,
  settings: ResolveSettings,
  lookupVariable: (name: string) => string | undefined,
  problems: Problem[],
): ResolvedEntry {
  const { field } = fieldPlan;
  const entry: ResolvedEntry = {
    field,
    value: undefined,
    provenance: undefined,
    references: NO_REFERENCES,
    deferred: false,
    secretReference: false,
  };
  const candidate = findCandidate(fieldPlan, env, problems);
  if (candidate === undefined) {
    resolveMissing(entry, fieldPlan, problems);
    return entry;
  }
  if (candidate === REFUSED) return entry;
  entry.provenance = candidate.provenance;
  let raw = candidate.raw;
  if (candidate.provenance.source === 'yaml' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    if (field.spec.secret && !isReference(raw)) {
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
        problem.hint = `set ${problem.variable} where this environment is deployed (a CI secret variable or a mounted secret)`;
      }
      problems.push(problem);
      return entry;
    }
    raw = expanded.value;
  } else if (field.spec.secret && candidate.provenance.source === 'yaml') {
    problems.push(secretLiteral(field, candidate.location));
    return entry;
  }
  if (isSecretReference(raw)) {
    entry.secretReference = true;
    if (settings.mode === 'static') return entry;
    problems.push({
      code: 'CONFIG_UNRESOLVED_REFERENCE',
      severity: 'error',
      message: `${field.key} holds a secret reference, which the synchronous load() does not resolve`,
      field: field.key,
      variable: field.envName,
      location: candidate.location,
      source: candidate.location ? undefined : 'environment',
      hint: 'load this config with the asynchronous loader that resolves secret references',
    });
    return entry;
  }
  // .env.example holds placeholders: in a static check it shows that a value is provided, not what it is.
  if (settings.mode === 'static' && candidate.provenance.source === 'dotenv') return entry;
  const parsed = field.spec.parse(raw);
  if (parsed.ok) {
    entry.value = parsed.value;
    return entry;
  }
  problems.push({
    code: 'CONFIG_INVALID_VALUE',
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
      code: 'CONFIG_SECRET_FILE_REFUSED',
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
    code: 'CONFIG_MISSING_VAR',
    severity: 'error',
    message: `${field.key} is required but not set`,
    field: field.key,
    variable: field.envName,
    source: 'environment',
    expected: field.spec.type,
    hint: plan.missingHint,
  });
}

function secretLiteral(field: FlatField, location: SourceLocation | undefined): Problem {
  return {
    code: 'CONFIG_SECRET_LITERAL',
    severity: 'error',
    message: `secret ${field.key} is written as a literal value in a committed config file`,
    field: field.key,
    variable: field.envName,
    location,
    hint: `write "\${${field.envName}}" or a secret reference (ref+vault://…), and provide the value at run time`,
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
        code: 'CONFIG_UNKNOWN_VAR',
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
