/**
 * The lint rule as an ESLint plugin, so teams see environment branches in their editor:
 *
 *   // eslint.config.js
 *   import stagecraft from 'stagecraft/eslint-plugin';
 *   export default [stagecraft.configs.recommended];
 *
 * The rule is `stagecraft/no-environment-branch`, decided by the same module as `stagecraft lint`
 * (src/lint/rule.ts). Without options it reads the stagecraft.yaml found upwards from each file (its
 * environments, `lint.environmentVariables`, `lint.environmentFields` and `lint.allow`); options replace the
 * first three. ESLint is not imported here: the plugin is plain objects ESLint calls.
 */
import { dirname, relative, sep } from 'node:path';
import { isStagecraftError } from '@stagecraft/config/errors';
import { loadWorkspace, WorkspaceCodes } from '@stagecraft/config/workspace';
import { InlineAllows, NO_REASON_NOTE } from '../lint/inline-allow.ts';
import { ProjectModules } from '../lint/project-modules.ts';
import {
  defaultRuleOptions,
  findEnvironmentBranches,
  RULE_ID,
  type RuleOptions,
  SUGGESTION,
} from '../lint/rule.ts';
import { allowEntryFor, type LintSettings, lintSettings } from '../lint/settings.ts';
import { packageVersion } from '../package-info.ts';

/** The rule's options; each replaces what stagecraft.yaml would give. */
export interface NoEnvironmentBranchOptions {
  /** Environment names a comparison may not use; default the usual ones and stagecraft.yaml's. */
  environments?: string[];
  /** Variables holding the environment's name; default NODE_ENV, ENVIRONMENT and `lint.environmentVariables`. */
  variables?: string[];
  /** Config fields holding it; default environment and `lint.environmentFields`. */
  fields?: string[];
}

/** What ESLint hands a rule, as far as this rule reads it. */
export interface RuleContext {
  filename: string;
  options: unknown[];
  sourceCode: {
    // biome-ignore lint/suspicious/noExplicitAny: an ESTree program.
    ast: any;
    // biome-ignore lint/suspicious/noExplicitAny: eslint-scope's or typescript-eslint's scope manager.
    scopeManager: any;
    getAllComments(): { value: string; loc: { start: { line: number }; end: { line: number } } }[];
  };
  // biome-ignore lint/suspicious/noExplicitAny: ESLint's report descriptor.
  report(descriptor: any): void;
}

export interface RuleModule {
  meta: Record<string, unknown>;
  create(context: RuleContext): Record<string, (node: unknown) => void>;
}

export interface FlatConfig {
  name: string;
  plugins: Record<string, StagecraftPlugin>;
  rules: Record<string, 'error' | 'warn' | 'off'>;
}

export interface StagecraftPlugin {
  meta: { name: string; version: string };
  rules: Record<string, RuleModule>;
  configs: { recommended: FlatConfig };
}

interface Resolved {
  settings: LintSettings;
  /** The workspace's folder, for `lint.allow` paths; undefined without stagecraft.yaml. */
  root: string | undefined;
  /** Why stagecraft.yaml could not be used, reported once per file. */
  problem: string | undefined;
}

const byFolder = new Map<string, Resolved>();
const modulesByOptions = new Map<string, ProjectModules>();

function resolveSettings(filename: string): Resolved {
  const folder = dirname(filename);
  const cached = byFolder.get(folder);
  if (cached) return cached;
  let resolved: Resolved;
  try {
    const workspace = loadWorkspace({ cwd: folder });
    resolved = { settings: lintSettings(workspace), root: workspace.root, problem: undefined };
  } catch (error) {
    const missing = isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND);
    resolved = {
      settings: lintSettings(undefined),
      root: undefined,
      problem: missing ? undefined : `stagecraft.yaml could not be read: ${(error as Error).message}`,
    };
  }
  byFolder.set(folder, resolved);
  return resolved;
}

function ruleOptions(given: NoEnvironmentBranchOptions | undefined, fromWorkspace: RuleOptions): RuleOptions {
  const defaults = defaultRuleOptions();
  if (given === undefined) return fromWorkspace;
  return {
    environments: (given.environments ?? defaults.environments).map((name) => name.toLowerCase()),
    variables: given.variables ?? defaults.variables,
    fields: given.fields ?? defaults.fields,
  };
}

const list = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };

const noEnvironmentBranch: RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow branching on the environment’s name (process.env.NODE_ENV === "production"); read a typed config flag instead',
    },
    schema: [
      {
        type: 'object',
        properties: { environments: list, variables: list, fields: list },
        additionalProperties: false,
      },
    ],
    messages: {
      branch: '{{message}}. Instead, {{suggestion}}.',
      workspace: '{{problem}}',
    },
  },
  create(context) {
    return {
      'Program:exit': (program) => {
        const resolved = resolveSettings(context.filename);
        if (resolved.problem !== undefined) {
          context.report({ node: program, messageId: 'workspace', data: { problem: resolved.problem } });
          return;
        }
        const given = context.options[0] as NoEnvironmentBranchOptions | undefined;
        const options = ruleOptions(given, resolved.settings.rule);
        const key = JSON.stringify(options);
        const modules = modulesByOptions.get(key) ?? new ProjectModules(options);
        modulesByOptions.set(key, modules);
        const { sourceCode } = context;
        const branches = findEnvironmentBranches(
          sourceCode.ast,
          sourceCode.scopeManager,
          options,
          (specifier) => modules.exportsFrom(context.filename, specifier),
        );
        if (branches.length === 0) return;
        const file =
          resolved.root === undefined ? '..' : relative(resolved.root, context.filename).split(sep).join('/');
        const allowedFile = !file.startsWith('..') && allowEntryFor(resolved.settings, file) !== undefined;
        const inline = new InlineAllows(
          sourceCode.getAllComments().map((comment) => ({
            value: comment.value,
            startLine: comment.loc.start.line,
            endLine: comment.loc.end.line,
          })),
        );
        for (const branch of branches) {
          const verdict = inline.verdict(branch.node.loc.start.line);
          // As `stagecraft lint` decides: an inline allow with a reason, or lint.allow unless an inline allow
          // without a reason asks for one.
          if (verdict.kind === 'allowed' || (verdict.kind === 'none' && allowedFile)) continue;
          const message =
            verdict.kind === 'no-reason' ? `${branch.message}; ${NO_REASON_NOTE}` : branch.message;
          context.report({
            node: branch.node,
            messageId: 'branch',
            data: { message, suggestion: SUGGESTION },
          });
        }
      },
    };
  },
};

const plugin: StagecraftPlugin = {
  meta: { name: 'stagecraft', version: packageVersion() },
  rules: { [RULE_ID]: noEnvironmentBranch },
  configs: {} as StagecraftPlugin['configs'],
};
plugin.configs.recommended = {
  name: 'stagecraft/recommended',
  plugins: { stagecraft: plugin },
  rules: { [`stagecraft/${RULE_ID}`]: 'error' },
};

export default plugin;
export { noEnvironmentBranch, plugin };
