/** How field names become environment variable names and YAML keys. */

/** `dbHost` → `DB_HOST`, `apiURL` → `API_URL`, `oauth2ClientId` → `OAUTH2_CLIENT_ID`. */
export function toScreamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-.\s]+/g, '_')
    .toUpperCase();
}

/** `dbHost` → `db_host`: the spelling YAML files conventionally use. */
export function toSnake(name: string): string {
  return toScreamingSnake(name).toLowerCase();
}

/** Nested groups join with `__` (`db.host` ← `DB__HOST`), as pydantic-settings' env_nested_delimiter does. */
export const NESTED_DELIMITER = '__';

export function envNameFor(path: readonly string[], prefix: string): string {
  return prefix + path.map(toScreamingSnake).join(NESTED_DELIMITER);
}
