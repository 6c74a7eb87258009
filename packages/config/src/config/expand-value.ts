/** `${VAR}` expansion across a whole YAML value, and the reference forms a committed secret may take. */
import type { Problem } from '../errors.ts';
import { mayHoldReference, parseValue } from '../secret-references/reference.ts';
import { ConfigCodes } from './errors.ts';
import { expand, isSingleReference } from './interpolate.ts';

export type DeepExpansion = { ok: true; value: unknown } | { ok: false; problem: Problem; unset: boolean };

/** Expands `${VAR}` in every string inside a YAML value (lists and maps included). */
export function expandDeep(
  raw: unknown,
  lookup: (name: string) => string | undefined,
  references: string[],
): DeepExpansion {
  if (typeof raw === 'string') {
    const result = expand(raw, lookup);
    if (result.references.length) references.push(...result.references);
    if (result.ok) return { ok: true, value: result.value };
    const error = result.error;
    const problem: Problem =
      error.kind === 'syntax'
        ? {
            code: ConfigCodes.CONFIG_REFERENCE_SYNTAX,
            severity: 'error',
            message: `malformed reference: ${error.message}`,
          }
        : error.kind === 'unset'
          ? {
              code: ConfigCodes.CONFIG_UNSET_REFERENCE,
              severity: 'error',
              message: `\${${error.variable}} is referenced but ${error.variable} is not set`,
              variable: error.variable,
              hint: `set ${error.variable}, or give a default: \${${error.variable}:-value}`,
            }
          : {
              code: ConfigCodes.CONFIG_UNSET_REFERENCE,
              severity: 'error',
              message: `${error.variable} is required: ${error.message}`,
              variable: error.variable,
            };
    return { ok: false, problem, unset: error.kind !== 'syntax' };
  }
  if (Array.isArray(raw)) {
    const out: unknown[] = [];
    for (const item of raw) {
      const result = expandDeep(item, lookup, references);
      if (!result.ok) return result;
      out.push(result.value);
    }
    return { ok: true, value: out };
  }
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      const result = expandDeep(value, lookup, references);
      if (!result.ok) return result;
      out[key] = result.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: raw };
}

/** A committed secret must be `${VAR}` (no literal default) or a secret reference. */
export function isReference(raw: unknown): boolean {
  return typeof raw === 'string' && (isSingleReference(raw) || isSecretReference(raw));
}

/** `ref+vault://…` / `secretref+…` (the syntax helmfile/vals users write), whole or inside a longer value. */
export function isSecretReference(raw: unknown): boolean {
  if (!mayHoldReference(raw)) return false;
  const kind = parseValue(raw).kind;
  return kind === 'whole' || kind === 'embedded';
}
