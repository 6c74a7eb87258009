/**
 * `stagecraft secrets render FILE`: a YAML or JSON file (Helm values, a manifest) with every reference in it
 * resolved, like `vals eval`. Comments and layout of YAML survive. Every reference is resolved before
 * anything is written, so a failure leaves no half-rendered file; `--out` writes with mode 0600.
 */
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isStagecraftError, type Problem, StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputStream } from '@stagecraft/config/input';
import { mayHoldReference, SecretResolver } from '@stagecraft/config/secret-references';
import { counted } from '@stagecraft/config/text';
import { parseEditableYaml } from '@stagecraft/config/yaml';
import type { Document, Scalar } from 'yaml';
import type { CommandContext } from '../context.ts';
import { CliCodes } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { secretsEnvironment } from '../secrets-support.ts';

interface Options {
  env?: string;
  out?: string;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [file = '-'] = args;
  const shown = file === '-' ? '<stdin>' : relative(ctx.root, resolve(ctx.cwd, file)) || file;
  let text: string;
  try {
    text =
      file === '-'
        ? (
            await readInputStream(ctx.stdin, {
              what: 'standard input',
              maxBytes: INPUT_LIMITS.rendered,
              hint: 'render it as a file instead',
            })
          ).toString('utf8')
        : readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    if (isStagecraftError(error)) throw error;
    throw new StagecraftError(
      CliCodes.RENDER_UNREADABLE,
      `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code}`,
      {
        hint: 'give a YAML or JSON file, or - for standard input',
      },
    );
  }
  const resolver = new SecretResolver(secretsEnvironment(ctx, options.env).backend);
  // References that do not resolve are findings about the file (their outcome exits 2); a file that cannot be
  // read or parsed could not be rendered at all (1).
  const rendered = /\.json$/i.test(file)
    ? await renderJson(text, shown, resolver)
    : await renderYaml(text, shown, resolver);
  if (options.out === undefined) {
    ctx.output.write(rendered);
    return ExitCode.Clean;
  }
  const target = resolve(ctx.cwd, options.out);
  const shownOut = relative(ctx.root, target) || target;
  // A refusal is a finding about the destination (exit 2); a write that failed could not be done (1).
  writePrivately(target, rendered, shownOut);
  ctx.output.note(`wrote ${shownOut} (mode 0600)`);
  return ExitCode.Clean;
}

/**
 * Writes `text` to `target` so that no one but the owner can ever read it and no reader sees it half
 * written: into a new file in a new folder of its own (mode 0700, made next to the target so the final
 * rename stays on one filesystem and is atomic), created exclusively with mode 0600 and never through a
 * link, flushed to disk, then renamed over the target. The folder goes on every path; on failure the
 * target is as it was.
 */
function writePrivately(target: string, text: string, shown: string): void {
  let existing: Stats | undefined;
  try {
    existing = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(shown, error);
  }
  // A rename would replace a link rather than follow it, so this is not what keeps the secret where it
  // belongs; it is refused because whoever planted the link expected the rendered file to land elsewhere.
  if (existing?.isSymbolicLink()) {
    throw new StagecraftError(
      CliCodes.RENDER_OUT_REFUSED,
      `${shown} is a symbolic link; nothing was written`,
      {
        hint: 'remove the link, or give --out the path it points to if that is where the secrets belong',
      },
    );
  }
  if (existing?.isDirectory()) {
    throw new StagecraftError(CliCodes.RENDER_OUT_REFUSED, `${shown} is a folder; nothing was written`, {
      hint: 'give a file path with --out',
    });
  }
  let folder: string | undefined;
  try {
    folder = mkdtempSync(join(dirname(target), '.stagecraft-render-')); // mkdtemp(3) makes it 0700
    // Nothing else can have been planted in a folder this new, and O_EXCL|O_NOFOLLOW would refuse it anyway.
    const temporary = join(folder, 'rendered');
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    throw writeFailed(shown, error);
  } finally {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  }
}

function writeFailed(shown: string, error: unknown): StagecraftError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new StagecraftError(CliCodes.RENDER_WRITE_FAILED, `cannot write ${shown}: ${code}`, {
    hint: `${shown} is unchanged; check that its folder exists, is writable and has space`,
    cause: error,
  });
}

async function renderJson(text: string, shown: string, resolver: SecretResolver): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StagecraftError(
      CliCodes.RENDER_INVALID,
      `${shown} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'fix the JSON, or give a .yaml file',
      },
    );
  }
  try {
    return `${JSON.stringify(await resolver.resolveDeep(value), null, 2)}\n`;
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    throw new StagecraftError(error.code, `${shown}: ${error.message}`, { hint: error.hint });
  }
}

async function renderYaml(text: string, shown: string, resolver: SecretResolver): Promise<string> {
  const { isScalar, visit } = await import('yaml');
  const {
    documents,
    problems: syntax,
    locate,
  } = parseEditableYaml(text, shown, {
    stream: true,
    problemCode: CliCodes.RENDER_INVALID,
  });
  const [first] = syntax;
  if (first) {
    throw new StagecraftError(first.code, first.message, {
      location: first.location,
      hint: first.hint,
    });
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
        problems.push({
          code: error.code,
          severity: 'error',
          message: error.message,
          location: locate(node.range?.[0]),
          hint: error.hint,
        });
        return undefined;
      }
    }),
  );
  if (problems.length) {
    throw new StagecraftError(
      CliCodes.RENDER_UNRESOLVED,
      `${counted(problems.length, 'reference')} in ${shown} cannot be resolved; nothing was written`,
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
