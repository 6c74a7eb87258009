/**
 * The `ignore` package (gitignore semantics), loaded with require: imported as ESM, Node runs its CommonJS
 * export detection over the module and start-up grows by ~60 ms, which a pre-commit hook feels on every commit.
 */
import { createRequire } from 'node:module';
import type { Ignore, Options } from 'ignore';

export type { Ignore };

let factory: ((options?: Options) => Ignore) | undefined;

export function gitignoreMatcher(options?: Options): Ignore {
  factory ??= createRequire(import.meta.url)('ignore') as (options?: Options) => Ignore;
  return factory(options);
}
