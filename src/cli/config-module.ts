/**
 * Loads an app's config definition: the default export of a TypeScript or JavaScript module. The module's
 * own copy of stagecraft made it, so it is recognised by brand, not by class identity.
 */
import { existsSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigDefinition } from '@stagecraft/config/engine';
import { type ConfigLoader, isConfigLoader } from '@stagecraft/config/engine';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { CommandContext } from './context.ts';
import { CliCodes } from './errors.ts';

export interface LoadedModule {
  path: string;
  loader: ConfigLoader<ConfigDefinition>;
}

export async function loadConfigModule(
  ctx: CommandContext,
  modulePath: string | undefined,
): Promise<LoadedModule> {
  const path = modulePath ? resolve(ctx.cwd, modulePath) : ctx.workspace().config.module;
  const shown = relative(ctx.root, path) || path;
  if (!existsSync(path)) {
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_NOT_FOUND,
      `config definition module ${shown} does not exist`,
      {
        hint: modulePath
          ? 'check the path given to --module'
          : 'set config.module in stagecraft.yaml to the module that does `export default defineConfig({...})`, or pass --module',
      },
    );
  }
  let module: { default?: unknown };
  try {
    const url = pathToFileURL(path).href;
    module = /^\.[mc]?tsx?$/.test(extname(path))
      ? await importTypeScript(url, shown)
      : ((await import(url)) as { default?: unknown });
  } catch (error) {
    if (isStagecraftError(error) && isStagecraftError(error, CliCodes.CONFIG_MODULE_NEEDS_TSX)) throw error;
    if (isStagecraftError(error)) {
      throw new StagecraftError(error.code, `${shown} failed while loading: ${error.message}`, {
        hint: 'export the loader (`export default defineConfig(...)`) and call .load() elsewhere, so tools can import the definition without loading the config',
        problems: error.problems,
        cause: error,
      });
    }
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_FAILED,
      `cannot import ${shown}: ${(error as Error).message.split('\n')[0]}`,
      {
        hint:
          missing && !missing.startsWith('.') && !missing.startsWith('/')
            ? `install what it imports beside the app: npm install ${packageName(missing)}`
            : 'the module must import cleanly with no side effects beyond defining the config',
        cause: error,
      },
    );
  }
  // A .ts file outside a `"type": "module"` package is compiled as CommonJS, which nests the default export.
  const exported = module.default as { default?: unknown } | undefined;
  const loader = isConfigLoader(exported) ? exported : exported?.default;
  if (!isConfigLoader(loader)) {
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_INVALID,
      `${shown} does not export a config definition as its default export`,
      {
        hint: "write `export default defineConfig({ ... })` with defineConfig from '@stagecraft/config'",
      },
    );
  }
  return { path, loader };
}

/**
 * Imports a TypeScript module without shipping a compiler to every user: Node strips the types itself where it
 * can (22.18+, 23.6+, or 22.6+ with --experimental-strip-types), and tsx, an optional peer, compiles what Node
 * cannot (Node 20, or syntax that is more than type annotations, such as enums). Only a user who needs tsx is
 * asked to install it.
 */
async function importTypeScript(url: string, shown: string): Promise<{ default?: unknown }> {
  let nativeError: unknown;
  if (nodeStripsTypes()) {
    try {
      return (await import(url)) as { default?: unknown };
    } catch (error) {
      // Only what Node cannot strip goes on to tsx; a module that throws as it runs would just run twice.
      if (!STRIP_FAILURES.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      nativeError = error;
    }
  }
  let tsx: typeof import('tsx/esm/api');
  try {
    tsx = await import('tsx/esm/api');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    if (nativeError !== undefined) {
      throw new StagecraftError(
        CliCodes.CONFIG_MODULE_NEEDS_TSX,
        `cannot import ${shown}: ${(nativeError as Error).message.split('\n')[0]}`,
        {
          hint: 'Node strips type annotations only (no enums, namespaces or imports without their .ts extension): install tsx beside stagecraft (`npm install --save-dev tsx`) to compile the rest',
          cause: nativeError,
        },
      );
    }
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_NEEDS_TSX,
      `${shown} is TypeScript, and Node ${process.version} cannot load TypeScript by itself`,
      {
        hint: 'install tsx beside stagecraft (`npm install --save-dev tsx`), run Node 22.18 or newer, or set config.module to the compiled JavaScript',
      },
    );
  }
  // tsx compiles in memory, scoped to this one import.
  return (await tsx.tsImport(url, import.meta.url)) as { default?: unknown };
}

/**
 * Node's errors for TypeScript it does not strip: syntax beyond annotations (enums, namespaces, parameter
 * properties), and relative imports written without their extension, which tsx resolves as bundlers do.
 */
const STRIP_FAILURES: ReadonlySet<string> = new Set([
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  'ERR_MODULE_NOT_FOUND',
  'ERR_UNSUPPORTED_DIR_IMPORT',
]);

function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false };
  return features.typescript === 'strip' || features.typescript === 'transform';
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}
