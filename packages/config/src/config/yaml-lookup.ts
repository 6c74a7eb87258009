/**
 * Finding a field's value in a YAML config file. Keys may be written in camelCase or snake_case
 * (`dbHost` or `db_host`); writing both in one map is ambiguous and reported, never resolved by guessing.
 */
import type { Problem, SourceLocation } from '../errors.ts';
import { closestMatch } from '../text/suggest.ts';
import type { FlatField } from './definition.ts';
import { ConfigCodes } from './errors.ts';
import type { YamlLayer } from './layers.ts';
import { toSnake } from './naming.ts';

export type YamlHit = { raw: unknown; location: SourceLocation; key: string };

export function lookupYaml(layer: YamlLayer, field: FlatField, problems: Problem[]): YamlHit | undefined {
  const source = layer.source;
  if (!source) return undefined;
  let node: unknown = source.value;
  const written: string[] = [];
  for (const segment of field.path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const map = node as Record<string, unknown>;
    const spellings = [...new Set([segment, toSnake(segment)])].filter((key) => Object.hasOwn(map, key));
    if (spellings.length === 0) return undefined;
    if (spellings.length > 1) {
      problems.push({
        code: ConfigCodes.CONFIG_AMBIGUOUS_KEY,
        severity: 'error',
        message: `both "${spellings.join('" and "')}" are set, and both fill ${field.key}`,
        field: field.key,
        location: source.locate([...written, spellings[1] as string], { key: true }),
        hint: 'keep one spelling',
      });
      return undefined;
    }
    const key = spellings[0] as string;
    written.push(key);
    node = map[key];
  }
  if (node === undefined) return undefined;
  return { raw: node, location: source.locate(written), key: written.join('.') };
}

/** Keys in a config file that fill no field: typos that would otherwise be silently ignored. */
export function unknownYamlKeys(layer: YamlLayer, fields: readonly FlatField[]): Problem[] {
  const source = layer.source;
  if (!source || source.value === null || typeof source.value !== 'object') return [];
  const problems: Problem[] = [];
  const walk = (node: Record<string, unknown>, path: string[], writtenPath: string[]) => {
    const below = fields.filter((field) => path.every((segment, i) => field.path[i] === segment));
    const children = new Map<string, boolean>();
    for (const field of below) {
      const name = field.path[path.length];
      if (name !== undefined) children.set(name, field.path.length > path.length + 1);
    }
    for (const [key, value] of Object.entries(node)) {
      const name = [...children.keys()].find((child) => child === key || toSnake(child) === key);
      if (name === undefined) {
        const known = [...children.keys()].map(toSnake);
        const suggestion = closestMatch(key, known);
        problems.push({
          code: ConfigCodes.CONFIG_UNKNOWN_KEY,
          severity: 'error',
          message: `unknown key "${[...writtenPath, key].join('.')}" fills no config field`,
          location: source.locate([...writtenPath, key], { key: true }),
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : 'remove it, or add a field for it to the config definition',
        });
      } else if (children.get(name) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, [...path, name], [...writtenPath, key]);
      }
    }
  };
  walk(source.value as Record<string, unknown>, [], []);
  return problems;
}
