/**
 * Where an expression's value comes from, as far as the environment's name is concerned: `process.env.X` and
 * `import.meta.env.MODE` read from the global `process` or from `import.meta`, `config.environment`, and names
 * bound to those once (aliases, destructuring, imports from the project's own modules).
 *
 * Only bindings that are never reassigned are followed: a `let` written again later may hold anything, and
 * guessing would make findings nobody can trust. A local `const config = { environment: 'dev' }` is data the
 * module wrote itself, not the app's config: its fields are not environment reads.
 */
import { memberName, moduleName, unwrap } from './ast.ts';

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes and scopes from several parsers, read structurally.
type AstNode = any;

export interface TraceOptions {
  /** Environment variables holding the environment's name (`NODE_ENV`, `ENVIRONMENT`). */
  variables: readonly string[];
  /** Fields of the app's config object holding it (`environment`). */
  fields: readonly string[];
}

/** Where a compared value comes from. */
export interface EnvironmentSource {
  /** As written at its origin: `process.env.NODE_ENV`, `import.meta.env.MODE`, `config.environment`. */
  label: string;
  /** The name the code used, when not the origin itself: `env`, `env from ./env.ts`. */
  via: string | undefined;
}

/** Export name → the origin label of each export of a module that holds the environment's name. */
export type ModuleExports = ReadonlyMap<string, string>;

/** The exports of the module an import specifier names (relative to the importing file), when known. */
export type ModuleResolver = (specifier: string) => ModuleExports | undefined;

/** Aliases of aliases are followed this deep; deeper chains are not application code anyone writes. */
const MAX_DEPTH = 8;

export class SourceTracer {
  private readonly references = new Map<AstNode, AstNode>();
  private readonly variables: ReadonlySet<string>;
  private readonly fields: ReadonlySet<string>;

  constructor(
    scopeManager: AstNode,
    options: TraceOptions,
    private readonly resolveModule: ModuleResolver | undefined,
  ) {
    for (const scope of scopeManager.scopes as AstNode[])
      for (const reference of scope.references as AstNode[])
        this.references.set(reference.identifier, reference);
    this.variables = new Set(options.variables);
    this.fields = new Set(options.fields);
  }

  /** Where the value of `expression` comes from, if it holds the environment's name. */
  trace(expression: AstNode, depth = 0): EnvironmentSource | undefined {
    const node = unwrap(expression);
    if (!node || depth > MAX_DEPTH) return undefined;
    if (node.type === 'Identifier') {
      const reference = this.references.get(node);
      return reference?.resolved ? this.variableSource(reference.resolved, depth) : undefined;
    }
    // process.env.NODE_ENV ?? 'development': the variable, with a default for when it is unset.
    if (node.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')) {
      const fallback = unwrap(node.right);
      const literal =
        (fallback?.type === 'Literal' && typeof fallback.value === 'string') ||
        (fallback?.type === 'TemplateLiteral' && fallback.expressions.length === 0);
      return literal ? this.trace(node.left, depth + 1) : undefined;
    }
    if (node.type !== 'MemberExpression') return undefined;
    const name = memberName(node);
    if (name === undefined) return undefined;
    const object = this.envObject(node.object, depth);
    if (object === 'process.env' && this.variables.has(name)) return origin(`process.env.${name}`);
    if (object === 'import.meta.env' && (name === 'MODE' || this.variables.has(name)))
      return origin(`import.meta.env.${name}`);
    if (this.fields.has(name) && this.isConfigObject(node.object, depth)) return origin(`config.${name}`);
    // import * as flags from './env.ts'; flags.env
    const namespace = this.namespaceImport(node.object);
    if (namespace) {
      const label = this.resolveModule?.(namespace.specifier)?.get(name);
      if (label !== undefined)
        return { label, via: `${namespace.local}.${name} from ${namespace.specifier}` };
    }
    return undefined;
  }

  /** Where a variable's value comes from, when it is bound once to something the tracer knows. */
  variableSource(variable: AstNode, depth = 0): EnvironmentSource | undefined {
    const bound = this.boundValue(variable, depth);
    if (bound === undefined) return undefined;
    if ('imported' in bound) {
      const label = this.resolveModule?.(bound.specifier)?.get(bound.imported);
      return label === undefined ? undefined : { label, via: `${variable.name} from ${bound.specifier}` };
    }
    const source = this.trace(bound.value, depth + 1);
    return source === undefined ? undefined : { label: source.label, via: variable.name };
  }

  /**
   * The expression a variable was bound to once (destructuring becomes the member expressions it stands
   * for), or the module export it was imported as.
   */
  private boundValue(
    variable: AstNode,
    depth: number,
  ): { value: AstNode } | { specifier: string; imported: string } | undefined {
    if (depth > MAX_DEPTH || variable.defs.length !== 1) return undefined;
    const definition = variable.defs[0];
    if (definition.type === 'ImportBinding') {
      const specifier = definition.parent?.source?.value;
      if (typeof specifier !== 'string') return undefined;
      const node = definition.node;
      if (node.type === 'ImportDefaultSpecifier') return { specifier, imported: 'default' };
      if (node.type !== 'ImportSpecifier') return undefined;
      const imported = moduleName(node.imported);
      return imported === undefined ? undefined : { specifier, imported };
    }
    if (definition.type !== 'Variable') return undefined;
    const declarator = definition.node;
    if (declarator?.type !== 'VariableDeclarator' || !declarator.init) return undefined;
    // Written again after its declaration: what it holds at the comparison is not known.
    if ((variable.references as AstNode[]).some((reference) => reference.isWrite() && !reference.init))
      return undefined;
    const path = patternPath(declarator.id, definition.name);
    if (path === undefined) return undefined;
    let value = declarator.init;
    for (const key of path) value = syntheticMember(value, key);
    return { value };
  }

  /** `process.env` or `import.meta.env`, directly or through a name bound to it once. */
  private envObject(expression: AstNode, depth: number): 'process.env' | 'import.meta.env' | undefined {
    const node = unwrap(expression);
    if (!node || depth > MAX_DEPTH) return undefined;
    if (node.type === 'MemberExpression' && memberName(node) === 'env') {
      const object = unwrap(node.object);
      if (object?.type === 'Identifier' && object.name === 'process' && this.isGlobal(object))
        return 'process.env';
      if (object?.type === 'MetaProperty' && object.meta.name === 'import' && object.property.name === 'meta')
        return 'import.meta.env';
      return undefined;
    }
    if (node.type !== 'Identifier') return undefined;
    const variable = this.references.get(node)?.resolved;
    const bound = variable ? this.boundValue(variable, depth + 1) : undefined;
    return bound && 'value' in bound ? this.envObject(bound.value, depth + 1) : undefined;
  }

  /**
   * The app's config object: a name `config` (imported, a parameter, a result) or a `.config` member
   * (`ctx.config`), but not a local `config` bound to an object literal.
   */
  private isConfigObject(expression: AstNode, depth: number): boolean {
    const node = unwrap(expression);
    if (node?.type === 'MemberExpression') return memberName(node) === 'config';
    if (node?.type !== 'Identifier') return false;
    const variable = this.references.get(node)?.resolved;
    if (node.name !== 'config') {
      // const cfg = config; cfg.environment
      const bound = variable ? this.boundValue(variable, depth + 1) : undefined;
      return bound !== undefined && 'value' in bound && depth < MAX_DEPTH
        ? this.isConfigObject(bound.value, depth + 1)
        : false;
    }
    const bound = variable ? this.boundValue(variable, depth + 1) : undefined;
    return !(bound && 'value' in bound && unwrap(bound.value)?.type === 'ObjectExpression');
  }

  private namespaceImport(expression: AstNode): { local: string; specifier: string } | undefined {
    const node = unwrap(expression);
    if (node?.type !== 'Identifier') return undefined;
    const definition = this.references.get(node)?.resolved?.defs?.[0];
    if (definition?.type !== 'ImportBinding' || definition.node.type !== 'ImportNamespaceSpecifier')
      return undefined;
    const specifier = definition.parent?.source?.value;
    return typeof specifier === 'string' ? { local: node.name, specifier } : undefined;
  }

  /** The global `process`: unresolved, or a global the configuration declared (no definition in the code). */
  private isGlobal(identifier: AstNode): boolean {
    const reference = this.references.get(identifier);
    if (!reference) return false;
    return reference.resolved === null || reference.resolved.defs.length === 0;
  }
}

/** Each export of a module that holds the environment's name, by export name. */
export function moduleExports(
  program: AstNode,
  scopeManager: AstNode,
  options: TraceOptions,
  resolveModule: ModuleResolver | undefined,
): Map<string, string> {
  const tracer = new SourceTracer(scopeManager, options, resolveModule);
  const scope =
    (scopeManager.scopes as AstNode[]).find((candidate) => candidate.type === 'module') ??
    scopeManager.globalScope;
  const exports = new Map<string, string>();
  const local = (name: string) => {
    const variable = scope?.set.get(name);
    return variable ? tracer.variableSource(variable)?.label : undefined;
  };
  for (const statement of program.body as AstNode[]) {
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration;
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations as AstNode[])
          for (const name of boundNames(declarator.id)) {
            const label = local(name);
            if (label !== undefined) exports.set(name, label);
          }
        continue;
      }
      const from = statement.source ? resolveModule?.(statement.source.value) : undefined;
      for (const specifier of statement.specifiers as AstNode[]) {
        const localName = moduleName(specifier.local);
        const exported = moduleName(specifier.exported);
        if (localName === undefined || exported === undefined) continue;
        const label = statement.source ? from?.get(localName) : local(localName);
        if (label !== undefined) exports.set(exported, label);
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const label = tracer.trace(statement.declaration)?.label;
      if (label !== undefined) exports.set('default', label);
    } else if (statement.type === 'ExportAllDeclaration' && !statement.exported && statement.source) {
      for (const [name, label] of resolveModule?.(statement.source.value) ?? [])
        if (name !== 'default' && !exports.has(name)) exports.set(name, label);
    }
  }
  return exports;
}

const origin = (label: string): EnvironmentSource => ({ label, via: undefined });

/** `object.key`, standing for one step of a destructuring pattern. */
function syntheticMember(object: AstNode, key: string): AstNode {
  return {
    type: 'MemberExpression',
    object,
    property: { type: 'Identifier', name: key },
    computed: false,
    optional: false,
  };
}

/**
 * The keys leading from a declaration's value to `target` in its pattern: [] for `const target = …`,
 * ['env', 'NODE_ENV'] for `const { env: { NODE_ENV: target } } = process`; undefined when a step is not a
 * plain key (an array element, a computed key, a rest element).
 */
function patternPath(pattern: AstNode, target: AstNode): string[] | undefined {
  if (pattern === target || (pattern.type === 'Identifier' && pattern === target)) return [];
  if (pattern.type === 'AssignmentPattern') return patternPath(pattern.left, target);
  if (pattern.type !== 'ObjectPattern') return undefined;
  for (const property of pattern.properties as AstNode[]) {
    if (property.type !== 'Property') continue;
    const key = property.computed ? unwrap(property.key) : property.key;
    const name =
      key.type === 'Identifier' && !property.computed
        ? key.name
        : key.type === 'Literal' && typeof key.value === 'string'
          ? key.value
          : undefined;
    const rest = patternPath(property.value, target);
    if (rest !== undefined) return name === undefined ? undefined : [name, ...rest];
  }
  return undefined;
}

function boundNames(pattern: AstNode): string[] {
  if (!pattern) return [];
  if (pattern.type === 'Identifier') return [pattern.name];
  if (pattern.type === 'AssignmentPattern') return boundNames(pattern.left);
  if (pattern.type === 'RestElement') return boundNames(pattern.argument);
  if (pattern.type === 'ArrayPattern') return (pattern.elements as AstNode[]).flatMap(boundNames);
  if (pattern.type === 'ObjectPattern')
    return (pattern.properties as AstNode[]).flatMap((property) =>
      boundNames(property.type === 'Property' ? property.value : property),
    );
  return [];
}
