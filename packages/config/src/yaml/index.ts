/** The one YAML layer: every YAML file stagecraft reads goes through it, with its alias, nesting and size limits. */
export * from './document.ts';
export * from './errors.ts';
