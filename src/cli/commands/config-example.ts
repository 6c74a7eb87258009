import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { renderDotenvExample } from '@stagecraft/config/engine';
import { INPUT_LIMITS, isPresent, readInputFile } from '@stagecraft/config/input';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(
  ctx: CommandContext,
  options: { output: string; check?: boolean; module?: string },
): Promise<number> {
  const { loader } = await loadConfigModule(ctx, options.module);
  // What the local environment's config files already set needs no line in .env; a `${VAR}` there that
  // nothing sets is read from .env, so it keeps its line.
  const local = loader.inspect({}, { cwd: ctx.cwd, mode: 'static', dotenv: false });
  const providedBy = new Map(
    local.entries
      .filter((entry) => entry.provenance?.source === 'yaml' && !entry.deferred)
      .map((entry) => [
        entry.field.key,
        relative(local.context.root, (entry.provenance as { file: string }).file),
      ]),
  );
  const text = renderDotenvExample(loader.fields(), providedBy);
  if (options.output === '-') {
    ctx.output.write(text);
    return ExitCode.Clean;
  }
  // Relative to the workspace (where .env is read), not wherever the command happens to run.
  const base = options.module ? ctx.cwd : dirname(ctx.workspace().file);
  const path = resolve(base, options.output);
  const shown = relative(ctx.root, path) || path;
  // Read under the input rules: a FIFO or device in its place is an error, never written to.
  const current = isPresent(path)
    ? readInputFile(path, { what: '.env.example', maxBytes: INPUT_LIMITS.authored })
    : undefined;
  if (options.check) {
    const fresh = current === text;
    ctx.output.report({
      data: { file: ctx.output.path(path), upToDate: fresh },
      text: () =>
        fresh
          ? `${shown} is up to date`
          : `${shown} is ${current === undefined ? 'missing' : 'out of date'}: run \`stagecraft config example\``,
      markdown: () => `${shown}: ${fresh ? 'up to date' : 'out of date'}`,
    });
    return fresh ? ExitCode.Clean : ExitCode.Problems;
  }
  writeFileSync(path, text);
  ctx.output.report({
    data: { file: ctx.output.path(path), fields: loader.fields().length, changed: current !== text },
    text: () =>
      `wrote ${shown} (${loader.fields().length} variables)${current === text ? ', unchanged' : ''}`,
    markdown: () => `Wrote \`${shown}\`.`,
  });
  return ExitCode.Clean;
}
