/**
 * Config values per key for two environments — each environment's YAML as the loader layers it (the base
 * file, then the environment's own file), secret references left unresolved — and the structure of their
 * secrets. A secret (a field the app declares secret, a key that names one, or a value holding a reference) is
 * compared here and only the verdict leaves: never its value, nor anything derived from it.
 */
import { collectReferences } from '@stagecraft/config/secret-references';
import { parseYaml } from '@stagecraft/config/yaml';
import { readEnvironmentConfig } from '../workspace/environment-config.ts';
import type { DiffInputs, Section } from './section.ts';
import { failed, skipped } from './section.ts';

export type KeyStatus = 'same' | 'differs' | 'left-only' | 'right-only';

export interface ConfigEntry {
  /** The key as written in the YAML, dotted: `db.host`. */
  key: string;
  status: KeyStatus;
  secret: boolean;
  /** The value on each side, as written; null when absent, and always null for a secret. */
  left: unknown;
  right: unknown;
}

export interface ConfigData {
  files: { left: string[]; right: string[] };
  /** Every key, the same ones included. */
  entries: ConfigEntry[];
}

export interface SecretEntry {
  key: string;
  status: KeyStatus;
  /** How each side provides it: backend names of its references (`vault`, `k8s`), `value` for one written as a value, null when absent. */
  left: string[] | null;
  right: string[] | null;
  /** Whether the references' backends differ (vault on one side, aws on the other). */
  backendDiffers: boolean;
}

export interface SecretsData {
  entries: SecretEntry[];
}

/** Key names that hold secrets, for when the app's definition cannot say. */
const SECRET_NAME = /pass(word|wd)?|secret|token|api_?key|private_?key|credential/i;

/** A key as fields name it, whichever spelling the YAML used: `api_key` and `apiKey` are one. */
const normalised = (key: string) => key.toLowerCase().replace(/_/g, '');

interface Layered {
  files: string[];
  values: Map<string, unknown>;
}

function flatten(node: unknown, prefix: string, into: Map<string, unknown>): void {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [key, child] of Object.entries(node as Record<string, unknown>))
      flatten(child, prefix ? `${prefix}.${key}` : key, into);
    return;
  }
  if (prefix) into.set(prefix, node);
}

function layered(inputs: DiffInputs, environment: string): Layered {
  const files = readEnvironmentConfig(inputs.workspace, environment);
  const values = new Map<string, unknown>();
  for (const file of files) flatten(parseYaml(file.text, file.path), '', values);
  return { files: files.map((file) => file.shown), values };
}

/** The same value on both sides: compared as data, so `8MB` and 8MB are not the same but maps in any key order are. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

function backendsOf(value: unknown): string[] {
  return [...new Set(collectReferences(value).references.map((reference) => reference.backend))].sort();
}

function statusOf(hasLeft: boolean, hasRight: boolean, same: boolean): KeyStatus {
  if (!hasLeft) return 'right-only';
  if (!hasRight) return 'left-only';
  return same ? 'same' : 'differs';
}

export function configSections(inputs: DiffInputs): {
  config: Section<ConfigData>;
  secrets: Section<SecretsData>;
} {
  let left: Layered;
  let right: Layered;
  try {
    left = layered(inputs, inputs.left);
    right = layered(inputs, inputs.right);
  } catch (error) {
    return { config: failed(error, 'config'), secrets: failed(error, 'secrets') };
  }
  if (left.files.length === 0 && right.files.length === 0) {
    const why = `no config file exists for ${inputs.left} or ${inputs.right} (config.base and config.files in stagecraft.yaml)`;
    return { config: skipped(why), secrets: skipped(why) };
  }
  const declared = inputs.secretFields ? new Set([...inputs.secretFields].map(normalised)) : undefined;
  const keys = [...new Set([...left.values.keys(), ...right.values.keys()])];
  const entries: ConfigEntry[] = [];
  const secrets: SecretEntry[] = [];
  for (const key of keys) {
    const hasLeft = left.values.has(key);
    const hasRight = right.values.has(key);
    const a = left.values.get(key);
    const b = right.values.get(key);
    const [backendsA, backendsB] = [backendsOf(a), backendsOf(b)];
    const secret =
      backendsA.length > 0 ||
      backendsB.length > 0 ||
      declared?.has(normalised(key)) === true ||
      SECRET_NAME.test(key.split('.').at(-1) ?? key);
    const status = statusOf(hasLeft, hasRight, sameValue(a, b));
    entries.push({
      key,
      status,
      secret,
      left: secret || !hasLeft ? null : (a ?? null),
      right: secret || !hasRight ? null : (b ?? null),
    });
    if (!secret) continue;
    const provided = (has: boolean, backends: string[]) =>
      has ? (backends.length ? backends : ['value']) : null;
    const leftKinds = provided(hasLeft, backendsA);
    const rightKinds = provided(hasRight, backendsB);
    const backendDiffers =
      leftKinds !== null && rightKinds !== null && leftKinds.join() !== rightKinds.join();
    secrets.push({
      key,
      status: statusOf(hasLeft, hasRight, !backendDiffers),
      left: leftKinds,
      right: rightKinds,
      backendDiffers,
    });
  }
  const differing = entries.filter((entry) => entry.status !== 'same');
  const structural = secrets.filter((entry) => entry.status !== 'same');
  return {
    config: {
      status: differing.length ? 'differs' : 'same',
      summary: differing.length
        ? `${differing.length} of ${entries.length} ${entries.length === 1 ? 'key differs' : 'keys differ'}: ${differing.map((entry) => entry.key).join(', ')}`
        : `all ${entries.length} keys are the same`,
      data: { files: { left: left.files, right: right.files }, entries },
      error: null,
    },
    secrets: {
      status: structural.length ? 'differs' : 'same',
      summary: structural.length
        ? `${structural.map((entry) => `${entry.key} (${entry.status === 'differs' ? 'backend' : entry.status})`).join(', ')}`
        : `the same ${secrets.length === 1 ? 'secret' : 'secrets'}, from the same backends (${secrets.length})`,
      data: { entries: secrets },
      error: null,
    },
  };
}
