import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { parseWorkspace } from '@stagecraft/config/workspace';
import { type ScaffoldService, scaffoldWorkspace, templates } from '../../workspace/scaffold.ts';
import type { CommandContext } from '../context.ts';
import { CliCodes } from '../errors.ts';
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

/** `--service web=registry.example.com/shop/web`, as many times as there are services. */
function parseServices(values: readonly string[]): ScaffoldService[] {
  return values.map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) {
      throw new StagecraftError(CliCodes.CLI_USAGE, `--service takes NAME=IMAGE, found "${value}"`, {
        hint: 'e.g. --service web=registry.example.com/acme/web (the image repository, without a tag)',
      });
    }
    return { name: value.slice(0, at), image: value.slice(at + 1) };
  });
}

export async function run(
  ctx: CommandContext,
  options: { name?: string; service?: string[] },
): Promise<number> {
  const name =
    options.name ??
    (basename(ctx.cwd)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-') ||
      'app');
  const services = parseServices(options.service ?? []);
  // What would be written is checked as `workspace check` would, before anything is: a bad name or image
  // leaves the folder as it was.
  parseWorkspace(templates(name, services)['stagecraft.yaml'] ?? '', 'stagecraft.yaml');
  const result = scaffoldWorkspace(ctx.cwd, name, services);
  const servicesIgnored = services.length > 0 && result.skipped.includes('stagecraft.yaml');
  const rows: [string, string][] = [
    ...result.created.map((file): [string, string] => [file, 'created']),
    ...result.skipped.map((file): [string, string] => [file, 'skipped: already exists, left as it was']),
  ];
  if (result.gitignoreAdded.length) rows.push(['.gitignore', `added ${result.gitignoreAdded.join(', ')}`]);
  else rows.push(['.gitignore', 'already ignores .env, keys and secrets/']);
  ctx.output.report({
    data: {
      directory: relative(ctx.root, ctx.cwd) || '.',
      ...result,
      services: servicesIgnored ? [] : services,
    },
    text: (s) =>
      [
        ...rows.map(
          ([file, what]) =>
            `  ${what.startsWith('skipped') ? s.yellow('skip') : s.green('ok  ')} ${file}  ${s.dim(what)}`,
        ),
        '',
        ...(servicesIgnored
          ? [
              s.yellow(
                'stagecraft.yaml already exists, so --service changed nothing: add the services under `services:` yourself.',
              ),
            ]
          : []),
        services.length > 0 && !servicesIgnored
          ? 'Next: run `stagecraft workspace check`, and `stagecraft workspace show` for who deploys where.'
          : 'Next: declare your services in stagecraft.yaml, then run `stagecraft workspace check`.',
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
