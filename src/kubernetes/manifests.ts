/**
 * Rendered Kubernetes manifests: every YAML (multi-document) and JSON file in a folder, as objects, each
 * with the file it came from. A `List` (kubectl get -o json output) contributes its items. Files are read
 * under the input rules, and YAML by stagecraft's one parser, alias limit included.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { type Code, StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, parseJsonInput, readInputFile } from '@stagecraft/config/input';
import { parseYamlDocuments, YamlCodes } from '@stagecraft/config/yaml';
import { KubernetesCodes } from './errors.ts';
import { readPlainYamlStream } from './plain-yaml-stream.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface LoadedObject {
  object: KubeObject;
  /** The file, relative to the folder read. */
  file: string;
}

export interface ManifestSet {
  dir: string;
  objects: LoadedObject[];
  files: number;
  bytes: number;
}

const REPAIR_HINT = 'fix the file, or render the manifests again';

/** Files that live beside manifests without being manifests. */
const NOT_MANIFESTS = new Set([
  'facts.json',
  'kustomization.yaml',
  'kustomization.yml',
  'Chart.yaml',
  'values.yaml',
]);

export interface LoadManifestsOptions {
  /** What the files are, for messages. */
  what?: string;
  /**
   * The cap per JSON file: rendered manifests by default; live objects of a whole cluster are allowed more.
   * YAML files keep the rendered cap, since parsing YAML takes many times more memory than JSON.
   */
  maxJsonFileBytes?: number;
}

/** Live objects (`kubectl get -o json` of a namespace or a cluster) are one large generated file. */
export const LIVE_OBJECTS: LoadManifestsOptions = {
  what: 'live objects file',
  maxJsonFileBytes: INPUT_LIMITS.generated,
};

export function loadManifests(dir: string, options: LoadManifestsOptions = {}): ManifestSet {
  const what = options.what ?? 'manifest';
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    throw new StagecraftError(KubernetesCodes.MANIFESTS_NOT_FOUND, `manifest folder ${dir} does not exist`, {
      hint: 'render the manifests first (kustomize build, helm template) or correct the path in stagecraft.yaml',
    });
  }
  const set: ManifestSet = { dir, objects: [], files: 0, bytes: 0 };
  // A single file is fine too: `kubectl get -o json` output is one List.
  for (const path of stat.isDirectory() ? listFiles(dir) : [dir]) {
    const file = relative(dir, path) || basename(path);
    const json = path.endsWith('.json');
    const maxBytes = json ? (options.maxJsonFileBytes ?? INPUT_LIMITS.rendered) : INPUT_LIMITS.rendered;
    const text = readInputFile(path, { what, maxBytes });
    set.files++;
    set.bytes += Buffer.byteLength(text);
    const documents = json
      ? [parseJsonInput(text, path, { what, code: KubernetesCodes.MANIFEST_INVALID, hint: REPAIR_HINT })]
      : readManifestStream(text, path, KubernetesCodes.MANIFEST_INVALID);
    documents.forEach((document, index) => {
      for (const object of objectsIn(document)) {
        if (
          typeof object.kind !== 'string' ||
          typeof object.apiVersion !== 'string' ||
          typeof object.metadata?.name !== 'string'
        ) {
          throw new StagecraftError(
            KubernetesCodes.MANIFEST_INVALID,
            `${file}, document ${index + 1}: a Kubernetes object needs apiVersion, kind and metadata.name`,
            { location: { file: path }, hint: 'remove the document, or complete it' },
          );
        }
        set.objects.push({ object, file });
      }
    });
  }
  return set;
}

function objectsIn(document: unknown): KubeObject[] {
  if (document === null || document === undefined) return []; // an empty document between ---
  if (typeof document !== 'object' || Array.isArray(document)) return [document as KubeObject];
  const object = document as KubeObject;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object['items'])) {
    return (object['items'] as unknown[]).flatMap(objectsIn);
  }
  return [object];
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (/\.(ya?ml|json)$/i.test(entry.name) && !NOT_MANIFESTS.has(entry.name)) files.push(path);
  }
  return files;
}

/**
 * Every document of a YAML stream of manifests. Rendered manifests are megabytes of plain data, where the YAML
 * layer's parser takes eight times as long as js-yaml's: plain data takes the fast lane in
 * plain-yaml-stream.ts, which answers only where its values are the ones the layer would produce, and leaves
 * everything else (anchors, aliases, tags, any error) to the layer, with its limits and its wording.
 */
export function readManifestStream(
  text: string,
  file: string,
  syntaxCode: Code = YamlCodes.YAML_SYNTAX,
): unknown[] {
  return readPlainYamlStream(text) ?? parseYamlDocuments(text, file, syntaxCode);
}
