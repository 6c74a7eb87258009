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
import {
  isStagecraftError,
  outcomeOfProblems,
  type Problem,
  StagecraftError,
} from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputStream } from '@stagecraft/config/input';
import { mayHoldReference, type SecretLease, SecretResolver } from '@stagecraft/config/secret-references';
import { counted } from '@stagecraft/config/text';
import { parseEditableYaml } from '@stagecraft/config/yaml';
import type { Document, Scalar } from 'yaml';
import type { CommandContext } from '../context.ts';
import { CliCodes } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { noteLeasesLeftRunning, secretsEnvironment } from '../secrets-support.ts';

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
  try {
    // References that do not resolve are findings about the file (exit 2), or, when a backend could not be
    // reached, a render that could not be done (1); a file that cannot be read or parsed could not be either.
    const rendered = /\.json$/i.test(file)
      ? await renderJson(text, shown, resolver)
      : await renderYaml(text, shown, resolver);
    if (options.out === undefined) ctx.output.write(rendered);
    else {
      const target = resolve(ctx.cwd, options.out);
      const shownOut = relative(ctx.root, target) || target;
      // A refusal is a finding about the destination (exit 2); a write that failed could not be done (1).
      writePrivately(target, rendered, shownOut);
      ctx.output.note(`wrote ${shownOut} (mode 0600)`);
    }
  } catch (error) {
    // Nothing was written, so no one will use the dynamic credentials read for it: they end now.
    await revokeUnused(ctx, resolver.leases);
    throw error;
  }
  // The rendered file is read after render exits (helm install -f …): revoking its credentials at exit, as
  // `run` does when its command ends, would hand over a file whose credentials no longer work. They end
  // with their lease, or when whoever deployed the file revokes it.
  noteLeasesLeftRunning(ctx, resolver.leases, 'the rendered credential');
  return ExitCode.Clean;
}

/** Revokes leases taken for a render that wrote nothing; a failure is noted (by lease id), not thrown. */
async function revokeUnused(ctx: CommandContext, leases: readonly SecretLease[]): Promise<void> {
  await Promise.all(
    leases.map(async (lease) => {
      try {
        await lease.revoke();
      } catch (error) {
        ctx.output.note(
          `lease ${lease.id} could not be revoked and runs until its TTL ends: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
      }
    }),
  );
}

/**
 * One error for every reference that did not resolve. When every failure is a backend that could not be
 * reached or failed, nothing was judged (exit 1, as `secrets get`, `secrets check` and `run` do); when any
 * reference was answered not there or refused, the file has findings (exit 2).
 */
function unresolvedError(problems: readonly Problem[], shown: string): StagecraftError {
  const headline = `${counted(problems.length, 'reference')} in ${shown} cannot be resolved; nothing was written`;
  if (outcomeOfProblems(problems) === 'unavailable') {
    return new StagecraftError(CliCodes.RENDER_UNAVAILABLE, headline, {
      problems,
      hint: 'try again once the backend can be reached; fix any other reference listed',
    });
  }
  return new StagecraftError(CliCodes.RENDER_UNRESOLVED, headline, {
    problems,
    hint: 'fix each reference listed; `stagecraft secrets check` lists the config’s own',
  });
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
  // Every reference is resolved, all of them, before anything is reported: so each problem is listed, and
  // every lease taken is known (to revoke) before render gives up.
  const unresolved: Problem[] = [];
  const walk = async (node: unknown, path: readonly string[]): Promise<unknown> => {
    if (typeof node === 'string') {
      if (!mayHoldReference(node)) return node;
      try {
        return await resolver.resolveString(node);
      } catch (error) {
        if (!isStagecraftError(error)) throw error;
        const source = `${shown} #/${path.map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
        unresolved.push({
          code: error.code,
          severity: 'error',
          message: error.message,
          source,
          hint: error.hint,
        });
        return undefined;
      }
    }
    if (Array.isArray(node))
      return Promise.all(node.map((item, index) => walk(item, [...path, String(index)])));
    if (node !== null && typeof node === 'object') {
      const entries = await Promise.all(
        Object.entries(node).map(async ([key, item]) => [key, await walk(item, [...path, key])] as const),
      );
      return Object.fromEntries(entries);
    }
    return node;
  };
  const rendered = await walk(value, []);
  if (unresolved.length) throw unresolvedError(unresolved, shown);
  return `${JSON.stringify(rendered, null, 2)}\n`;
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
  const unresolved: Problem[] = [];
  const values = await Promise.all(
    pending.map(async ({ node, result }) => {
      try {
        return await result;
      } catch (error) {
        if (!isStagecraftError(error)) throw error;
        unresolved.push({
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
  if (unresolved.length) throw unresolvedError(unresolved, shown);
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
