/**
 * What to suggest for a name that is not a declared environment. The nearest declared name is not always
 * the answer: when the *key* under `environments` is the typo (`stagin:`), every correct reference to
 * `staging` is near it, and "did you mean stagin?" would ask the user to copy the typo everywhere. So the
 * hint weighs which spelling the rest of the file uses.
 */
import { closestMatch } from '../text/suggest.ts';

type Loose = Record<string, unknown>;
const asMap = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** How often each environment name is referenced: by `from`, and by the server's OIDC rules. */
export function environmentReferences(input: Loose): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (name: unknown) => {
    if (typeof name === 'string') counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  for (const environment of Object.values(asMap(input['environments']) ?? {}))
    add(asMap(environment)?.['from']);
  for (const entry of asList(asMap(input['server'])?.['oidc'])) {
    for (const rule of asList(asMap(entry)?.['rules'])) asList(asMap(rule)?.['environments']).forEach(add);
  }
  return counts;
}

/**
 * The hint for a reference to `name`, which is not declared. The nearest declared name is the answer unless
 * the declared key looks like the typo: nothing names it while `name` is named more than once, or it sits
 * mid-chain with nothing promoted from it — then renaming the key is offered (alone, or beside the other fix).
 */
export function unknownEnvironmentHint(
  name: string,
  declared: readonly string[],
  references: ReadonlyMap<string, number>,
): string {
  const near = closestMatch(name, declared);
  if (near === undefined) return `declare "${name}" under environments`;
  const nearUsed = references.get(near) ?? 0;
  const nameUsed = references.get(name) ?? 0;
  const rename = `rename the key environments.${near} to "${name}"`;
  if (nearUsed === 0 && nameUsed > 1) return `${rename}: the file names "${name}" ${nameUsed} times`;
  const position = declared.indexOf(near);
  const midChain = position > 0 && position < declared.length - 1;
  if (nearUsed === 0 && midChain) {
    return `either ${rename} (nothing is promoted from "${near}"), or write "${near}" here`;
  }
  return `did you mean "${near}"?`;
}
