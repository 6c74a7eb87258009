/**
 * The project's own modules, for following an import to where its value comes from: `import { env } from
 * './env.ts'` where env.ts says `export const env = process.env.NODE_ENV`. Only relative specifiers are
 * followed (packages are not application code), resolved the way TypeScript and bundlers do: the path as
 * written, `.js` written for a `.ts` source, an added extension, or the folder's index file. A module that
 * cannot be read or parsed exports nothing known; the file itself is reported where it is linted.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isSyntaxProblem, LINTED_EXTENSIONS, MAX_MODULE_BYTES, parseModule } from './parse.ts';
import { type ModuleExports, moduleExports, type TraceOptions } from './source-trace.ts';

const SOURCE_FOR_OUTPUT: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
  '.jsx': ['.tsx', '.jsx'],
};

export class ProjectModules {
  private readonly cache = new Map<string, { mtimeMs: number; exports: ModuleExports }>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly options: TraceOptions) {}

  /** The known exports of the module `specifier` names from `fromFile`; undefined when not followed. */
  exportsFrom(fromFile: string, specifier: string): ModuleExports | undefined {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
    const file = resolveFile(resolve(dirname(fromFile), specifier));
    return file === undefined ? undefined : this.exportsOf(file);
  }

  private exportsOf(file: string): ModuleExports | undefined {
    let mtimeMs: number;
    try {
      const stat = statSync(file);
      if (stat.size > MAX_MODULE_BYTES) return undefined;
      mtimeMs = stat.mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.exports;
    // An import cycle: the module asked for is being read further up.
    if (this.inProgress.has(file)) return undefined;
    this.inProgress.add(file);
    try {
      const parsed = parseModule(file, readFileSync(file, 'utf8'));
      const exports: ModuleExports =
        parsed === undefined || isSyntaxProblem(parsed)
          ? new Map()
          : moduleExports(parsed.program, parsed.scopeManager, this.options, (specifier) =>
              this.exportsFrom(file, specifier),
            );
      this.cache.set(file, { mtimeMs, exports });
      return exports;
    } catch {
      return undefined;
    } finally {
      this.inProgress.delete(file);
    }
  }
}

function resolveFile(path: string): string | undefined {
  const extension = LINTED_EXTENSIONS.find((candidate) => path.endsWith(candidate));
  const candidates: string[] = [];
  if (extension !== undefined) {
    const stem = path.slice(0, -extension.length);
    for (const source of SOURCE_FOR_OUTPUT[extension] ?? [extension]) candidates.push(stem + source);
  } else {
    for (const added of LINTED_EXTENSIONS) candidates.push(path + added);
    for (const added of LINTED_EXTENSIONS) candidates.push(`${path}/index${added}`);
  }
  return candidates.find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}
