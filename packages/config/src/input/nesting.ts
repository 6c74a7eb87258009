/**
 * How deeply an input may nest maps and lists. Parsers cope with any depth (JSON.parse does), but the walks
 * that compare, clone and print documents recurse, and a 1 KiB file of `[[[[…` would overflow their stack.
 * No Kubernetes object, Terraform plan or config file comes near the limit: a CRD's schema, among the
 * deepest, nests a few dozen levels.
 */
import type { Problem, SourceLocation } from '../errors.ts';
import { InputCodes } from './errors.ts';

export const MAX_NESTING = 256;

/** Whether a parsed value nests maps and lists deeper than `limit`; iterative, so any depth is safe to ask. */
export function nestedDeeperThan(value: unknown, limit: number = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** The problem of an input nested too deeply; `subject` names it when the location alone would not. */
export function tooDeepProblem(location: SourceLocation, subject?: string): Problem {
  const nesting = subject ? `${subject} nests maps and lists` : 'maps and lists nest';
  return {
    code: InputCodes.INPUT_TOO_DEEP,
    severity: 'error',
    message: `${nesting} more than ${MAX_NESTING} levels deep`,
    location,
    hint: 'no real input nests this deep: check that this is the right file, and that it was not generated in a loop',
  };
}
