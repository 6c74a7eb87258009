/**
 * Turns schema validation issues into problems worded for people: what is wrong, where in the file, what
 * was expected, what was found, and a hint. The schema's JSON form tells which keys a map takes, so an
 * unknown key comes with a "did you mean".
 */
import type { z } from 'zod';
import type { Problem } from '../errors.ts';
import type { KeyPath, YamlSource } from '../yaml/document.ts';
import { closestMatch } from './suggest.ts';

type Issue = z.core.$ZodIssue;
type JsonSchema = Record<string, unknown>;

export function issuesToProblems(
  issues: readonly Issue[],
  source: YamlSource,
  schema: JsonSchema,
): Problem[] {
  return issues.flatMap((issue) => issueToProblems(issue, [], source, schema));
}

function issueToProblems(issue: Issue, prefix: KeyPath, source: YamlSource, schema: JsonSchema): Problem[] {
  const path: KeyPath = [...prefix, ...(issue.path as (string | number)[])];
  const where = formatKeyPath(path);
  const actual = valueAt(source.value, path);
  const base = { severity: 'error' as const, path: where, location: source.locate(path) };

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeys(schema, path);
        const suggestion = closestMatch(key, known);
        return {
          ...base,
          code: 'WORKSPACE_UNKNOWN_KEY',
          path: formatKeyPath([...path, key]),
          location: source.locate([...path, key], { key: true }),
          message: `unknown key "${key}"${path.length ? ` in ${where}` : ''}`,
          expected: known.length ? `one of ${known.join(', ')}` : undefined,
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : 'remove it; `stagecraft workspace schema` lists every key',
        };
      });
    case 'invalid_type': {
      if (actual === undefined) {
        const parent = path.slice(0, -1);
        return [
          {
            ...base,
            code: 'WORKSPACE_MISSING_KEY',
            location: source.locate(parent),
            message: `${where} is required`,
            expected: describeType(issue.expected),
            hint: `add "${String(path[path.length - 1])}" to ${parent.length ? formatKeyPath(parent) : 'the file'}`,
          },
        ];
      }
      return [
        {
          ...base,
          code: 'WORKSPACE_INVALID_TYPE',
          message: `${where} must be ${describeType(issue.expected)}`,
          expected: describeType(issue.expected),
          found: describeValue(actual),
        },
      ];
    }
    case 'invalid_union':
      return unionProblems(issue, path, source, schema, base);
    case 'invalid_value':
      return [
        {
          ...base,
          code: 'WORKSPACE_INVALID_VALUE',
          message: `${where} has a value stagecraft does not know`,
          expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
          found: describeValue(actual),
          hint:
            path.length === 1 && path[0] === 'version'
              ? 'this stagecraft reads version 1; upgrade stagecraft or write version: 1'
              : undefined,
        },
      ];
    case 'too_small':
      return [
        {
          ...base,
          code: 'WORKSPACE_INVALID_VALUE',
          message:
            issue.origin === 'array'
              ? `${where} needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
              : `${where} must not be empty`,
          found: describeValue(actual),
        },
      ];
    case 'invalid_format':
      return [
        {
          ...base,
          code: 'WORKSPACE_INVALID_VALUE',
          message: `${where} is not a valid name`,
          expected: issue.pattern ? `text matching ${issue.pattern}` : issue.format,
          found: describeValue(actual),
        },
      ];
    default:
      return [{ ...base, code: 'WORKSPACE_INVALID_VALUE', message: `${where}: ${issue.message}` }];
  }
}

/**
 * A union fails as a whole; report the branch the input was evidently meant for (the one that got past
 * the type check), or else say which types would do.
 */
function unionProblems(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: KeyPath,
  source: YamlSource,
  schema: JsonSchema,
  base: Omit<Problem, 'code' | 'message'>,
): Problem[] {
  const branches = issue.errors;
  // A branch whose issues all sit below the value accepted its type: that is the branch the author meant.
  const meant = branches.find((branch) => branch.every((inner) => inner.path.length > 0));
  if (meant) return meant.flatMap((inner) => issueToProblems(inner, path, source, schema));
  // Otherwise a branch that rejected the value itself (not its type) explains best, e.g. an unknown enum word.
  const actual = valueAt(source.value, path);
  const byValue = branches
    .flat()
    .find(
      (inner) =>
        inner.code === 'invalid_value' && inner.path.length === 0 && typeof inner.values[0] === typeof actual,
    );
  if (byValue) return issueToProblems(byValue, path, source, schema);
  const expected = branches.flatMap((branch) =>
    branch
      .filter((inner) => inner.path.length === 0)
      .map((inner) =>
        inner.code === 'invalid_type'
          ? describeType(inner.expected)
          : inner.code === 'invalid_value'
            ? `one of ${inner.values.map((v) => JSON.stringify(v)).join(', ')}`
            : inner.message,
      ),
  );
  return [
    {
      ...base,
      code: 'WORKSPACE_INVALID_TYPE',
      message: `${formatKeyPath(path)} must be ${[...new Set(expected)].join(', or ')}`,
      found: describeValue(actual),
    },
  ];
}

export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text || '(top level)';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function describeType(type: string): string {
  switch (type) {
    case 'object':
      return 'a map of keys to values';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    default:
      return type;
  }
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** The keys the schema allows at `path`, found by walking the JSON Schema alongside the data. */
function knownKeys(schema: JsonSchema, path: KeyPath): string[] {
  let node: JsonSchema | undefined = schema;
  for (const segment of path) {
    if (!node) return [];
    const properties = node['properties'] as Record<string, JsonSchema> | undefined;
    if (properties && typeof segment === 'string' && properties[segment]) node = properties[segment];
    else if (typeof node['additionalProperties'] === 'object')
      node = node['additionalProperties'] as JsonSchema;
    else if (typeof segment === 'number' && node['items']) node = node['items'] as JsonSchema;
    else return [];
    const anyOf = node?.['anyOf'] as JsonSchema[] | undefined;
    if (anyOf) node = anyOf.find((option) => option['type'] === 'object') ?? node;
  }
  return Object.keys((node?.['properties'] as Record<string, unknown>) ?? {});
}
