/**
 * Turns shape issues into problems worded for people: what is wrong, where in the file, what was expected,
 * what was found, and a hint. Issue data and wording stay apart, so the same issue can be rendered anywhere.
 */
import type { Problem } from '../errors.ts';
import { closestMatch } from '../text/suggest.ts';
import type { YamlSource } from '../yaml/document.ts';
import { WorkspaceCodes } from './errors.ts';
import type { Path, ShapeIssue } from './shape.ts';

export function issuesToProblems(issues: readonly ShapeIssue[], source: YamlSource): Problem[] {
  return issues.map((issue) => issueToProblem(issue, source));
}

function issueToProblem(issue: ShapeIssue, source: YamlSource): Problem {
  const where = formatKeyPath(issue.path);
  const found = describeValue(valueAt(source.value, issue.path));
  const base = { severity: 'error' as const, path: where, location: source.locate(issue.path) };
  const hint = issue.hint === undefined ? {} : { hint: issue.hint };
  switch (issue.kind) {
    case 'unknown-key': {
      const suggestion = closestMatch(issue.key, issue.known);
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_UNKNOWN_KEY,
        path: formatKeyPath([...issue.path, issue.key]),
        location: source.locate([...issue.path, issue.key], { key: true }),
        message: `unknown key "${issue.key}"${issue.path.length ? ` in ${where}` : ''}`,
        expected: issue.known.length ? `one of ${issue.known.join(', ')}` : undefined,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : (issue.hint ?? 'remove it; `stagecraft workspace schema` lists every key'),
      };
    }
    case 'missing': {
      const parent = issue.path.slice(0, -1);
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_MISSING_KEY,
        location: source.locate(parent),
        message: `${where} is required`,
        expected: issue.expected,
        hint:
          issue.hint ??
          `add "${String(issue.path[issue.path.length - 1])}" to ${parent.length ? formatKeyPath(parent) : 'the file'}`,
      };
    }
    case 'type':
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_INVALID_TYPE,
        message: `${where} must be ${issue.expected}`,
        expected: issue.expected,
        found,
        ...hint,
      };
    case 'one-of':
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_INVALID_VALUE,
        message: `${where} has a value stagecraft does not know`,
        expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        found,
        hint:
          issue.path.length === 1 && issue.path[0] === 'version'
            ? 'this stagecraft reads version 1; upgrade stagecraft or write version: 1'
            : (suggestionFor(valueAt(source.value, issue.path), issue.values) ?? issue.hint),
      };
    case 'too-small':
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_INVALID_VALUE,
        message:
          issue.what === 'items'
            ? `${where} needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
            : issue.what === 'value'
              ? `${where} must be at least ${issue.minimum}`
              : `${where} must not be empty`,
        found,
        ...hint,
      };
    case 'pattern':
    case 'invalid':
      return {
        ...base,
        code: WorkspaceCodes.WORKSPACE_INVALID_VALUE,
        message: `${where} is not valid`,
        expected: issue.rule,
        found,
        ...hint,
      };
  }
}

function suggestionFor(value: unknown, values: readonly unknown[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const suggestion = closestMatch(
    value,
    values.filter((v): v is string => typeof v === 'string'),
  );
  return suggestion ? `did you mean "${suggestion}"?` : undefined;
}

export function formatKeyPath(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text || '(top level)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
