/**
 * The app-facing entry: the config library and its types. Importing it never loads the CLI, SQLite, an
 * HTTP server or a cloud SDK.
 */
export * from '@stagecraft/config';
