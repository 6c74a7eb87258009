/**
 * Loads an app's config definition: the default export of a TypeScript or JavaScript module. The module's
 * own copy of stagecraft made it, so it is recognised by brand, not by class identity.
 */
import { existsSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ConfigLoader, isConfigLoader } from '../config/define.ts';
import type { ConfigDefinition } from '../config/definition.ts';
import { isStagecraftError, StagecraftError } from '../errors.ts';
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
  const shown = relative(ctx.cwd, path) || path;
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
    if (/^\.[mc]?tsx?$/.test(extname(path))) {
      // Node 20 cannot load TypeScript; tsx compiles it in memory, scoped to this import.
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(url, import.meta.url)) as { default?: unknown };
    } else {
      module = (await import(url)) as { default?: unknown };
    }
  } catch (error) {
    if (isStagecraftError(error)) {
      throw new StagecraftError(error.code, `${shown} failed while loading: ${error.message}`, {
        hint: 'export the loader (`export default defineConfig(...)`) and call .load() elsewhere, so tools can import the definition without loading the config',
        problems: error.problems,
        cause: error,
      });
    }
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_FAILED,
      `cannot import ${shown}: ${(error as Error).message}`,
      {
        hint: 'the module must import cleanly with no side effects beyond defining the config',
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
        hint: "write `export default defineConfig({ ... })` with defineConfig from 'stagecraft/config'",
      },
    );
  }
  return { path, loader };
}
