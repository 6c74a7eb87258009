/**
 * `stagecraft secrets render FILE`: a YAML or JSON file (Helm values, a manifest) with every reference in it
 * resolved, like `vals eval`. Comments and layout of YAML survive. Every reference is resolved before
 * anything is written, so a failure leaves no half-rendered file; `--out` writes with mode 0600.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Document, LineCounter, Scalar } from 'yaml';
import { isStagecraftError, type Problem, StagecraftError } from '../../errors.ts';
import { mayHoldReference } from '../../secret-references/reference.ts';
import { SecretResolver } from '../../secret-references/resolver.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { secretsEnvironment } from '../secrets-support.ts';

interface Options {
  env?: string;
  out?: string;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [file = '-'] = args;
  const shown = file === '-' ? '<stdin>' : relative(ctx.cwd, resolve(ctx.cwd, file)) || file;
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    throw new StagecraftError(
      'RENDER_UNREADABLE',
      `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code}`,
      {
        hint: 'give a YAML or JSON file, or - for standard input',
      },
    );
  }
  const resolver = new SecretResolver(secretsEnvironment(ctx, options.env).backend);
  let rendered: string;
  try {
    rendered = /\.json$/i.test(file)
      ? await renderJson(text, shown, resolver)
      : await renderYaml(text, shown, resolver);
  } catch (error) {
    // References that do not resolve are findings about the file (exit 2); an unreadable file is an error (1).
    const unresolved =
      isStagecraftError(error) && (error.code.startsWith('SECRET_') || error.code === 'RENDER_UNRESOLVED');
    if (!unresolved) throw error;
    ctx.output.error(error);
    return ExitCode.Problems;
  }
  if (options.out === undefined) {
    ctx.output.write(rendered);
  } else {
    const target = resolve(ctx.cwd, options.out);
    // Written whole and private, then moved into place: no reader ever sees a partial or world-readable file.
    const temporary = resolve(dirname(target), `.${process.pid}.stagecraft-render.tmp`);
    writeFileSync(temporary, rendered, { mode: 0o600 });
    renameSync(temporary, target);
    ctx.output.note(`wrote ${relative(ctx.cwd, target) || target} (mode 0600)`);
  }
  return ExitCode.Clean;
}

async function renderJson(text: string, shown: string, resolver: SecretResolver): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StagecraftError('RENDER_INVALID', `${shown} is not valid JSON: ${(error as Error).message}`, {
      hint: 'fix the JSON, or give a .yaml file',
    });
  }
  try {
    return `${JSON.stringify(await resolver.resolveDeep(value), null, 2)}\n`;
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    throw new StagecraftError(error.code, `${shown}: ${error.message}`, { hint: error.hint });
  }
}

async function renderYaml(text: string, shown: string, resolver: SecretResolver): Promise<string> {
  const { LineCounter, isScalar, parseAllDocuments, visit } = await import('yaml');
  const lineCounter: LineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter }) as Document[];
  const syntax = documents.flatMap((doc) => doc.errors);
  if (syntax.length) {
    const first = syntax[0];
    const at = first ? lineCounter.linePos(first.pos[0]) : undefined;
    throw new StagecraftError(
      'RENDER_INVALID',
      `${shown} is not valid YAML: ${first?.message.split('\n')[0]}`,
      {
        location: at ? { file: shown, line: at.line, column: at.col } : { file: shown },
        hint: 'fix the YAML syntax',
      },
    );
  }
  // Every reference is resolved (concurrently, each backend path once) before any node changes.
  const pending: { node: Scalar; doc: Document; result: Promise<unknown> }[] = [];
  for (const doc of documents) {
    visit(doc, {
      Scalar(key, node) {
        if (key !== 'key' && mayHoldReference(node.value)) {
          const result = resolver.resolveString(node.value);
          result.catch(() => {});
          pending.push({ node, doc, result });
        }
      },
    });
  }
  const problems: Problem[] = [];
  const values = await Promise.all(
    pending.map(async ({ node, result }) => {
      try {
        return await result;
      } catch (error) {
        if (!isStagecraftError(error)) throw error;
        const at = node.range ? lineCounter.linePos(node.range[0]) : undefined;
        problems.push({
          code: error.code,
          severity: 'error',
          message: error.message,
          location: at ? { file: shown, line: at.line, column: at.col } : { file: shown },
          hint: error.hint,
        });
        return undefined;
      }
    }),
  );
  if (problems.length) {
    throw new StagecraftError(
      'RENDER_UNRESOLVED',
      `${problems.length} reference(s) in ${shown} cannot be resolved; nothing was written`,
      { problems, hint: 'fix each reference listed; `stagecraft secrets check` lists the config’s own' },
    );
  }
  const replacements = new Map(pending.map(({ node }, index) => [node, values[index]]));
  for (const doc of documents) {
    visit(doc, {
      Scalar(key, node) {
        if (key === 'key' || !replacements.has(node)) return undefined;
        const value = replacements.get(node);
        if (typeof value === 'string') {
          node.value = value;
          return undefined;
        }
        return isScalar(value) ? value : doc.createNode(value);
      },
    });
  }
  return documents.map((doc) => doc.toString()).join('');
}
