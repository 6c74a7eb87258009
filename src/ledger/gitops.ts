/**
 * The GitOps deploy step: instead of running a command, rewrite the service's image reference in the
 * environment's manifests to the artifact's digest and commit that, with a message naming the ledger entry.
 * The deployment stays pending until someone (or a drift check) confirms the cluster runs it. Plain manifests
 * (`image: repo:tag` or `repo@sha256:…`), kustomization `images:` entries and Helm values (`repository` with
 * a `digest`) are rewritten; comments and layout are kept.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { parseEditableYaml, YamlCodes } from '@stagecraft/config/yaml';
import type { Document } from 'yaml';
import { type GitEnvironment, repositoryRoot, runGit } from '../git/run.ts';
import { LedgerCodes } from './errors.ts';
import { Refusal } from './refusal.ts';

export interface GitopsResult {
  files: string[];
  commit: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The file's text with every reference to `repository` pointing at `digest`, or undefined if it has none. */
export function rewriteReferences(
  text: string,
  file: string,
  repository: string,
  digest: string,
): string | undefined {
  if (/kustomization\.ya?ml$/.test(file)) {
    const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const doc = editableDocument(text, file);
    const images = doc.get('images');
    let changed = false;
    if (yaml.isSeq(images)) {
      for (const item of images.items) {
        if (!yaml.isMap(item)) continue;
        const target = item.get('newName') ?? item.get('name');
        if (target !== repository) continue;
        item.delete('newTag');
        item.set('digest', digest);
        changed = true;
      }
    }
    return changed ? doc.toString() : undefined;
  }
  if (/(^|\/)values[^/]*\.ya?ml$/.test(file)) return rewriteHelmValues(text, file, repository, digest);
  const reference = new RegExp(
    `(image:\\s*["']?)${escapeRegExp(repository)}(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?(?=["']?\\s*(?:#.*)?$)`,
    'gm',
  );
  const next = text.replace(reference, `$1${repository}@${digest}`);
  return next === text ? undefined : next;
}

/** Every manifest under `dir` whose image reference would change, with its new text; none is refused. */
function rewrittenManifests(
  dir: string,
  repository: string,
  digest: string,
): { file: string; next: string }[] {
  const changed: { file: string; next: string }[] = [];
  for (const file of yamlFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const next = rewriteReferences(text, file, repository, digest);
    if (next !== undefined && next !== text) changed.push({ file, next });
  }
  if (changed.length === 0) {
    throw new Refusal(
      LedgerCodes.LEDGER_GITOPS_NO_REFERENCE,
      `no image reference of ${repository} was found in ${dir}`,
      {
        hint: 'the manifests must name the image (image: repository:tag, or a kustomization images: entry)',
      },
    );
  }
  return changed;
}

export function gitopsDeploy(input: {
  dir: string;
  repository: string;
  digest: string;
  message: string;
  /** git's environment: the committer's identity comes from it. */
  env?: GitEnvironment;
}): GitopsResult {
  const changed = rewrittenManifests(input.dir, input.repository, input.digest);
  for (const { file, next } of changed) {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, next);
    renameSync(temporary, file);
  }
  const root = repositoryRoot(input.dir, input.env);
  const files = changed.map(({ file }) => relative(root, file));
  const git = { ...(input.env ? { env: input.env } : {}) };
  runGit(root, ['add', '--', ...files], git);
  runGit(root, ['commit', '--quiet', '-m', input.message, '--', ...files], git);
  const commit = runGit(root, ['rev-parse', 'HEAD'], git).toString('utf8').trim();
  return { files, commit };
}

/**
 * Rehearsal: the manifests `gitopsDeploy` would rewrite, relative to `root`, with nothing written or
 * committed. Manifests naming no such image are refused here as they would be for real.
 */
export function gitopsRehearse(input: {
  dir: string;
  root: string;
  repository: string;
  digest: string;
}): string[] {
  return rewrittenManifests(input.dir, input.repository, input.digest).map(({ file }) =>
    relative(input.root, file),
  );
}

/**
 * Helm values: every map naming the image (`repository`, with `registry` when the chart splits it, as the
 * common chart convention does) gets `digest:` set, which such charts use in place of the tag.
 */
function rewriteHelmValues(
  text: string,
  file: string,
  repository: string,
  digest: string,
): string | undefined {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const doc = editableDocument(text, file);
  let changed = false;
  yaml.visit(doc, {
    Map(_key, map) {
      const repo = map.get('repository');
      if (typeof repo !== 'string') return;
      const registry = map.get('registry');
      const full = typeof registry === 'string' && registry ? `${registry}/${repo}` : repo;
      if (full !== repository) return;
      map.set('digest', digest);
      changed = true;
    },
  });
  return changed ? doc.toString() : undefined;
}

/** The file as one YAML document to edit, read as all YAML is (limits included); broken YAML is an error. */
function editableDocument(text: string, file: string): Document.Parsed {
  const { documents, problems } = parseEditableYaml(text, file);
  const [problem] = problems;
  const [doc] = documents;
  if (problem || !doc) {
    throw new StagecraftError(
      problem?.code ?? YamlCodes.YAML_SYNTAX,
      problem?.message ?? `${file} holds no YAML document`,
      {
        location: problem?.location ?? { file },
        hint: 'fix the file so that its image reference can be rewritten, then deploy again',
      },
    );
  }
  return doc;
}
