/**
 * Pattern pieces the vendor rules share. Formats with no prefix of their own are trusted only next to the
 * vendor's name, and every rule module needs that same "name, then an assignment, then the value" shape; one
 * copy here keeps the rules agreeing on which assignment forms count.
 */

/** A lowercase UUID, as vendors issue them for keys that are nothing but a UUID (Heroku, Snyk, Codecov). */
export const UUID: string = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * `<name>… = <value>`: a variable, key or flag named for the vendor, an assignment (`=`, `:`, `=>`, `:=`),
 * then the value. Every gap is bounded, so the pattern stays linear on long lines.
 */
export function assigned(name: string, value: string, end = '(?![A-Za-z0-9_\\-])'): RegExp {
  return new RegExp(`${name}["'\`]?\\s{0,3}(?:=>|:=|=|:)\\s{0,3}["'\`]?(?<secret>${value})${end}`, 'i');
}

/**
 * `<name>…<qualifier> = value` on one line (.env, shell, JSON, typed or untyped code, an HTTP header,
 * `<nameKey>value` or `key="nameKey" value="…"` in XML), a Kubernetes `- name: <NAME_KEY>` whose next line is
 * `value: …`, or a YAML, JSON or HCL block opened by `<name>` whose next line holds `<qualifier>: value`. For
 * formats with no prefix of their own, the vendor's name is the only evidence, so it must sit right by the
 * value. Returns pattern source to put before the value's group.
 */
export function keyedPrefix(name: string, qualifier: string): string {
  // Without a qualifier the gap alone reaches the end of the name; a second run of word characters would only
  // multiply the ways to split it.
  const key = `${name}[\\w.()[\\]"'-]{0,40}?${qualifier ? `${qualifier}[\\w-]{0,20}` : ''}["'\`]?`;
  // `KEY: string = `, `KEY string = `: a typed declaration (TypeScript, Kotlin, Go) before the `=`.
  const type = `(?:\\s{0,3}:\\s{0,3}[A-Za-z][\\w<>[\\]|.?]{0,30}\\s{0,3}(?==)|[ \\t]{1,3}[A-Za-z][\\w<>[\\]|.?]{0,30}[ \\t]{0,3}(?==))?`;
  // `=`, `:`, `=>`, `:=`, `<nameKey>`, `value=` in XML, or bare blanks (`ENV NAME value` in a Dockerfile).
  const assign = `(?:\\s{0,5}(?:=>|:=|[:=>]|value\\s{0,3}=)|[ \\t]{1,3})\\s{0,5}["'\`]?(?:(?:bearer|token)\\s{1,3})?`;
  // Kubernetes env lists: `- name: KEY` with `value: …` on the next line.
  const k8s = `[ \\t]*\\r?\\n[ \\t]{0,20}value:[ \\t]{0,5}["']?`;
  const nested = `${name}[\\w-]{0,20}["']?[ \\t]{0,3}(?:[:=][ \\t]{0,3})?\\{?[ \\t]*\\r?\\n[ \\t]{1,20}["']?${qualifier ? `[\\w-]{0,20}?${qualifier}[\\w-]{0,20}` : '[\\w-]{1,40}'}["']?[ \\t]{0,5}[:=][ \\t]{0,5}["']?`;
  return `(?:${key}(?:${type}${assign}|${k8s})|${nested})`;
}
