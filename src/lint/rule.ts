/**
 * The one rule, no-environment-branch: application code that compares the environment's name
 * (`process.env.NODE_ENV === 'production'`, `switch (import.meta.env.MODE)`, `config.environment !== 'dev'`)
 * instead of reading a typed config flag. `stagecraft lint` and the ESLint plugin both call
 * `findEnvironmentBranches`; neither decides anything itself.
 *
 * It works on an ESTree program (as oxc-parser, espree and @typescript-eslint/parser build it) with its scope
 * analysis (eslint-scope or @typescript-eslint/scope-manager), never on text: strings and comments are not
 * code, and a name is followed to its binding, so a parameter called `process` is not the global.
 */
import { memberName, unwrap } from './ast.ts';
import {
  type EnvironmentSource,
  type ModuleResolver,
  SourceTracer,
  type TraceOptions,
} from './source-trace.ts';

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from three parsers, read structurally.
export type AstNode = any;

export interface RuleOptions extends TraceOptions {
  /** Environment names a comparison must name to be a finding (lowercase). */
  environments: readonly string[];
}

/** Names every workspace gets, beside the environments its stagecraft.yaml declares. */
export const USUAL_ENVIRONMENTS: readonly string[] = [
  'development',
  'dev',
  'test',
  'staging',
  'production',
  'prod',
];
export const DEFAULT_VARIABLES: readonly string[] = ['NODE_ENV', 'ENVIRONMENT'];
export const DEFAULT_FIELDS: readonly string[] = ['environment'];

export function defaultRuleOptions(): RuleOptions {
  return {
    environments: [...USUAL_ENVIRONMENTS],
    variables: [...DEFAULT_VARIABLES],
    fields: [...DEFAULT_FIELDS],
  };
}

export const RULE_ID = 'no-environment-branch';

export const SUGGESTION =
  'read a typed config flag (e.g. features.newCheckout in config/<env>.yaml, read through @stagecraft/config), so the same code runs in every environment';

/** One place code branches on the environment's name. */
export interface EnvironmentBranch {
  /** The node reported: the comparison, the `includes` call, or the switch's discriminant. */
  node: AstNode;
  kind: 'comparison' | 'switch' | 'includes';
  /** What is compared, as written at its origin: `process.env.NODE_ENV`, `config.environment`. */
  source: string;
  /** How the code reached it when not directly: `env`, `isProd from ./flags.ts`. */
  via: string | undefined;
  /** The environment names it compares with. */
  names: string[];
  message: string;
}

const EQUALITY = new Set(['===', '==', '!==', '!=']);

/** Every environment branch in one program, in source order. */
export function findEnvironmentBranches(
  program: AstNode,
  scopeManager: AstNode,
  options: RuleOptions,
  resolveModule?: ModuleResolver,
): EnvironmentBranch[] {
  const tracer = new SourceTracer(scopeManager, options, resolveModule);
  const environments = new Set(options.environments.map((name) => name.toLowerCase()));
  const isEnvironmentName = (node: AstNode): string | undefined => {
    const value = stringValue(node);
    return value !== undefined && environments.has(value.toLowerCase()) ? value : undefined;
  };
  const found: EnvironmentBranch[] = [];
  const add = (
    node: AstNode,
    kind: EnvironmentBranch['kind'],
    source: EnvironmentSource,
    names: string[],
  ) => {
    const compared = names.map((name) => `'${name}'`).join(', ');
    const subject = source.via === undefined ? source.label : `${source.via} (${source.label})`;
    const what =
      kind === 'switch'
        ? `switches on ${subject} with case ${compared}`
        : `compares ${subject} with ${compared}`;
    found.push({
      node,
      kind,
      source: source.label,
      via: source.via,
      names,
      message: `branches on the environment's name: ${what}`,
    });
  };

  visit(program, (node) => {
    if (node.type === 'BinaryExpression' && EQUALITY.has(node.operator)) {
      for (const [subject, other] of [
        [node.left, node.right],
        [node.right, node.left],
      ]) {
        const name = isEnvironmentName(other);
        if (name === undefined) continue;
        const source = tracer.trace(subject);
        if (source) return add(node, 'comparison', source, [name]);
      }
    } else if (node.type === 'SwitchStatement') {
      const names = (node.cases as AstNode[])
        .map((branch) => (branch.test ? isEnvironmentName(branch.test) : undefined))
        .filter((name): name is string => name !== undefined);
      if (names.length === 0) return;
      const source = tracer.trace(node.discriminant);
      if (source) add(node.discriminant, 'switch', source, names);
    } else if (node.type === 'CallExpression') {
      // ['staging', 'production'].includes(process.env.NODE_ENV)
      const callee = unwrap(node.callee);
      if (callee?.type !== 'MemberExpression' || memberName(callee) !== 'includes') return;
      const list = unwrap(callee.object);
      const argument = node.arguments[0];
      if (list?.type !== 'ArrayExpression' || argument === undefined) return;
      const names = (list.elements as AstNode[])
        .map((element) => (element ? isEnvironmentName(element) : undefined))
        .filter((name): name is string => name !== undefined);
      if (names.length === 0) return;
      const source = tracer.trace(argument);
      if (source) add(node, 'includes', source, names);
    }
  });
  return found;
}

/**
 * Whether a module's text could hold a finding at all: every finding compares with a string literal that is
 * an environment name, so the name appears between quotes or backticks, unless the literal spells it with an
 * escape (`'prod\u0075ction'`), which a backslash anywhere admits. `stagecraft lint` analyses only modules that
 * pass (it still parses every one, so a syntax error is never missed); the verdict is always the AST's.
 */
export function couldHaveFindings(text: string, environments: readonly string[]): boolean {
  if (text.includes('\\')) return true;
  const lower = text.toLowerCase();
  for (const name of environments)
    for (const quote of ["'", '"', '`']) if (lower.includes(`${quote}${name}${quote}`)) return true;
  return false;
}

/** A string literal's value, or a template literal's without substitutions. */
export function stringValue(node: AstNode): string | undefined {
  const inner = unwrap(node);
  if (inner?.type === 'Literal' && typeof inner.value === 'string') return inner.value;
  if (inner?.type === 'TemplateLiteral' && inner.expressions.length === 0)
    return inner.quasis[0]?.value?.cooked ?? undefined;
  return undefined;
}

const SKIP = new Set(['parent', 'loc', 'range', 'tokens', 'comments', 'start', 'end']);

/** Every node below `root`, depth first in source order. */
function visit(root: AstNode, enter: (node: AstNode) => void): void {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    enter(node);
    const children: AstNode[] = [];
    for (const key in node) {
      if (SKIP.has(key)) continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item.type === 'string') children.push(item);
      } else if (value && typeof value === 'object' && typeof value.type === 'string') {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
