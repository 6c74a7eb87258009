/**
 * `stagecraft ci init --github | --gitlab [--force] [--dry-run]`: writes the CI workflows that carry
 * stagecraft.yaml's chain (src/ci/). Running it again writes nothing when nothing changed ("up to date"),
 * rewrites what it wrote before, and refuses — exit 2, naming each file — to overwrite a file edited since,
 * unless --force. --dry-run prints what would be written and writes nothing.
 */
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, isPresent, readInputFile } from '@stagecraft/config/input';
import {
  CiCodes,
  compareOnDisk,
  type GeneratedFile,
  githubWorkflows,
  gitlabPipeline,
  type OnDisk,
  planCi,
  renderFile,
} from '../../ci/index.ts';
import { packageVersion } from '../../package-info.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable, textTable } from '../output.ts';

interface Options {
  github?: boolean;
  gitlab?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

type Action = 'created' | 'updated' | 'replaced' | 'unchanged';

interface FileResult {
  path: string;
  action: Action;
  content: string;
}

const WORDS: Record<Action, string> = {
  created: 'created',
  updated: 'updated (regenerated from stagecraft.yaml)',
  replaced: 'replaced an edited file (--force)',
  unchanged: 'up to date',
};

/**
 * Refuses a generated file's path when it, or a folder on its way under the workspace, is a symbolic link:
 * a cloned repository could plant `.github` pointing elsewhere, and `--force` would then write there.
 */
function refuseLinks(root: string, relativePath: string): void {
  const parts = relativePath.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const shown = parts.slice(0, depth).join('/');
    let link = false;
    try {
      link = lstatSync(join(root, shown)).isSymbolicLink();
    } catch {
      return; // not there yet: what follows is created by ci init itself
    }
    if (link) {
      throw new StagecraftError(
        CiCodes.CI_WRITE_REFUSED,
        `${shown} is a symbolic link: nothing was written`,
        {
          hint: `replace ${shown} with a real ${depth === parts.length ? 'file' : 'folder'}, then run ci init again`,
        },
      );
    }
  }
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  if (!options.github && !options.gitlab) {
    throw new StagecraftError(CiCodes.CI_NO_PROVIDER, 'ci init needs --github, --gitlab or both', {
      hint: 'stagecraft ci init --github writes .github/workflows/stagecraft-*.yml; --gitlab writes .gitlab-ci.yml',
    });
  }
  const workspace = ctx.workspace();
  const plan = planCi(workspace, packageVersion());
  const generated: { file: GeneratedFile; command: string }[] = [
    ...(options.github
      ? githubWorkflows(plan).map((file) => ({ file, command: 'stagecraft ci init --github' }))
      : []),
    ...(options.gitlab ? [{ file: gitlabPipeline(plan), command: 'stagecraft ci init --gitlab' }] : []),
  ];
  const results: FileResult[] = [];
  const edited: string[] = [];
  for (const { file, command } of generated) {
    const path = join(workspace.root, file.path);
    refuseLinks(workspace.root, file.path);
    const content = renderFile(file.document, command);
    const current = isPresent(path)
      ? readInputFile(path, { what: 'workflow file', maxBytes: INPUT_LIMITS.authored })
      : undefined;
    const state: OnDisk = compareOnDisk(current, content);
    if (state === 'edited' && !options.force) edited.push(file.path);
    results.push({ path: file.path, action: ACTIONS[state], content });
  }
  // Nothing is written unless everything may be: a half-updated set of workflows would be worse than none.
  if (edited.length > 0) {
    throw new StagecraftError(
      CiCodes.CI_WORKFLOW_EDITED,
      `${edited.join(', ')} ${edited.length === 1 ? 'was' : 'were'} edited since ci init wrote ${edited.length === 1 ? 'it' : 'them'} (or not written by it): nothing was written`,
      {
        hint: 'keep your changes, or run again with --force to replace the file (and copy your changes over)',
      },
    );
  }
  if (!options.dryRun) {
    for (const result of results) {
      if (result.action === 'unchanged') continue;
      const path = join(workspace.root, result.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, result.content);
    }
  }
  const secrets = [...(plan.first ? [plan.first] : []), plan.staging, plan.production].map((target) => ({
    environment: target.name,
    variables: target.secrets.variables,
  }));
  const notes = [
    ...plan.notes,
    ...(options.github && plan.githubAudience === undefined
      ? [
          'server.oidc trusts no GitHub Actions issuer: the server refuses the jobs’ OIDC tokens until it does',
        ]
      : []),
    ...(options.gitlab && plan.gitlabAudience === undefined
      ? ['server.oidc trusts no GitLab issuer: the server refuses the jobs’ OIDC tokens until it does']
      : []),
  ];
  const upToDate = results.every((result) => result.action === 'unchanged');
  ctx.output.report({
    data: {
      dryRun: Boolean(options.dryRun),
      upToDate,
      files: results.map(({ path, action, content }) => ({
        path,
        action,
        ...(options.dryRun ? { content } : {}),
      })),
      secrets,
      notes,
    },
    text: (s) =>
      [
        ...(options.dryRun
          ? results.flatMap((result) => [
              s.bold(`--- ${result.path} (would be ${result.action})`),
              result.content,
            ])
          : []),
        textTable(
          results.map((result) => [
            result.path,
            options.dryRun ? `would be ${result.action}` : WORDS[result.action],
          ]),
        ),
        ...(upToDate && !options.dryRun ? ['', 'Up to date: nothing to write.'] : []),
        ...secrets
          .filter((entry) => entry.variables.length > 0)
          .map(
            (entry) =>
              `${entry.environment}'s config needs these CI secret variables: ${entry.variables.join(', ')}`,
          ),
        ...notes.map((note) => s.yellow(`note: ${note}`)),
      ].join('\n'),
    markdown: () =>
      [
        markdownTable(
          ['File', 'Result'],
          results.map((result) => [result.path, WORDS[result.action]]),
        ),
        ...notes.map((note) => `- ${note}`),
      ].join('\n'),
  });
  return ExitCode.Clean;
}

const ACTIONS: Record<OnDisk, Action> = {
  absent: 'created',
  same: 'unchanged',
  generated: 'updated',
  edited: 'replaced',
};
