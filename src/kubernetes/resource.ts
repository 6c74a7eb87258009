/**
 * How an object is named across environments and against the cluster: apiVersion (its group), kind,
 * namespace and name. Parity and drift report differences by it.
 */
import type { KubeObject } from './manifests.ts';

export interface Resource {
  apiVersion: string;
  kind: string;
  /** '' for a cluster-scoped object, or one written without a namespace. */
  namespace: string;
  name: string;
}

export function resourceOf(object: KubeObject): Resource {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '',
    name: object.metadata.name ?? '',
  };
}

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `Deployment shop/api`, `Namespace shop`: a resource as messages name it. */
export function describeResource(resource: Resource): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
}
