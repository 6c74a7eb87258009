/** stagecraft.yaml: its model, schema, loader and the checks that run on it. */
export * from './chain.ts';
export * from './check-paths.ts';
export * from './errors.ts';
export * from './issues.ts';
export * from './load.ts';
export * from './model.ts';
export * from './rules.ts';
export * from './schema.ts';
export * from './server-settings.ts';
