/** Small readers of ESTree nodes that every parser the rule meets builds alike. */

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from three parsers, read structurally.
type AstNode = any;

const WRAPPERS = new Set([
  'ChainExpression',
  'ParenthesizedExpression',
  'TSNonNullExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
]);

/**
 * The expression inside optional chains, parentheses and TypeScript's assertions: `(process.env?.NODE_ENV as
 * string)!` reads the same variable as `process.env.NODE_ENV`.
 */
// biome-ignore lint/suspicious/noExplicitAny: see AstNode.
export function unwrap(node: AstNode): any {
  let current = node;
  while (current && WRAPPERS.has(current.type)) current = current.expression;
  return current;
}

/** The name a module export or import specifier carries (`a`, or the string of `export { x as 'a-b' }`). */
export function moduleName(node: AstNode): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return undefined;
}

/** A member expression's property name: `a.b`, `a['b']`, ``a[`b`]``, `a?.b`; undefined for a computed key. */
export function memberName(member: AstNode): string | undefined {
  if (!member.computed) return member.property.type === 'Identifier' ? member.property.name : undefined;
  const key = unwrap(member.property);
  if (key?.type === 'Literal' && typeof key.value === 'string') return key.value;
  if (key?.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value?.cooked;
  return undefined;
}
