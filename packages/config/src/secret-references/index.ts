/** Secret references (`ref+BACKEND://…`): parsing, the backend registry and the resolver. */
export * from './backend.ts';
export * from './errors.ts';
export * from './lease-keeper.ts';
export * from './reference.ts';
export * from './registry.ts';
export * from './resolver.ts';
