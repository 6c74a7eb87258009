/**
 * The live side of a drift check, asked of the cluster with the user's kubectl: for each namespace the
 * desired objects live in, every object of their kinds (and of the kinds people most often create by hand),
 * plus the desired Namespaces themselves.
 */

import { type KubectlOptions, kubectlJson } from '../kubernetes/kubectl.ts';
import type { KubeObject } from '../kubernetes/manifests.ts';
import { apiGroup, resourceOf } from '../kubernetes/resource.ts';

/** Kinds listed in every managed namespace, so an object created by hand shows up as extra. */
const ALWAYS = ['configmap', 'secret', 'serviceaccount', 'service', 'deployment.apps'];

export function gatherLive(desired: readonly KubeObject[], options: KubectlOptions): KubeObject[] {
  const namespaces = new Set<string>();
  const types = new Set(ALWAYS);
  const namespaceObjects: string[] = [];
  for (const object of desired) {
    const resource = resourceOf(object);
    if (object.kind === 'Namespace') {
      namespaceObjects.push(resource.name);
      continue;
    }
    if (resource.namespace) namespaces.add(resource.namespace);
    const group = apiGroup(resource.apiVersion);
    types.add(`${object.kind.toLowerCase()}${group ? `.${group}` : ''}`);
  }
  const live: KubeObject[] = [];
  for (const namespace of [...namespaces].sort()) {
    const list = kubectlJson(
      options,
      ['get', [...types].sort().join(','), '--namespace', namespace, '-o', 'json', '--show-managed-fields'],
      'items',
    );
    live.push(...(list['items'] as KubeObject[]));
  }
  if (namespaceObjects.length) {
    // One list, filtered here: a missing Namespace is then simply absent (and reported missing).
    const list = kubectlJson(options, ['get', 'namespaces', '-o', 'json'], 'items');
    live.push(
      ...(list['items'] as KubeObject[]).filter((object) =>
        namespaceObjects.includes(object.metadata.name ?? ''),
      ),
    );
  }
  return live;
}
