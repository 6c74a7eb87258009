import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { scaffoldWorkspace } from '../../workspace/scaffold.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable } from '../output.ts';

const CONFIG_MODULE = 'src/config.ts';

/** Whether the app folder can import a package yet (it may be installed only after init), as Node looks. */
function installed(dir: string, name: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', name, 'package.json'))) return true;
    if (dirname(at) === at) return false;
  }
}

export async function run(ctx: CommandContext, options: { name?: string }): Promise<number> {
  const name =
    options.name ??
    (basename(ctx.cwd)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-') ||
      'app');
  const result = scaffoldWorkspace(ctx.cwd, name);
  const rows: [string, string][] = [
    ...result.created.map((file): [string, string] => [file, 'created']),
    ...result.skipped.map((file): [string, string] => [file, 'skipped: already exists, left as it was']),
  ];
  if (result.gitignoreAdded.length) rows.push(['.gitignore', `added ${result.gitignoreAdded.join(', ')}`]);
  else rows.push(['.gitignore', 'already ignores .env, keys and secrets/']);
  ctx.output.report({
    data: { directory: ctx.cwd, ...result },
    text: (s) =>
      [
        ...rows.map(
          ([file, what]) =>
            `  ${what.startsWith('skipped') ? s.yellow('skip') : s.green('ok  ')} ${file}  ${s.dim(what)}`,
        ),
        '',
        'Next: declare your services in stagecraft.yaml, then run `stagecraft workspace check`.',
        ...(result.created.includes(CONFIG_MODULE)
          ? [
              `${CONFIG_MODULE} defines the app's config; \`stagecraft config check --all\` shows what provides each field.`,
              ...(installed(ctx.cwd, '@stagecraft/config')
                ? []
                : ['It imports @stagecraft/config: npm install @stagecraft/config']),
            ]
          : []),
      ].join('\n'),
    markdown: () => markdownTable(['File', 'Result'], rows),
  });
  return ExitCode.Clean;
}
