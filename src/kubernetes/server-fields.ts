/**
 * What the API server and tooling write into every object's metadata, which says nothing about how an
 * environment is configured: parity (two environments) and drift (manifests against the cluster) both
 * compare objects without it. Fields the server writes for particular kinds (a Service's cluster IPs,
 * defaults, allocated node ports) are drift's business and live in defaults.ts and drift/kubernetes.ts.
 */

/**
 * ObjectMeta fields the server sets (the API reference, ObjectMeta: "Populated by the system. Read-only."),
 * and the lifecycle bookkeeping that controllers and deletions add: `finalizers` (pvc-protection,
 * foregroundDeletion), `deletionTimestamp` and `deletionGracePeriodSeconds` (set while an object is being
 * deleted).
 */
export const SERVER_METADATA: readonly string[] = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** Annotations kubectl and the Deployment controller write. */
export const SERVER_ANNOTATIONS: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

/**
 * Removes, in place, what the server and tooling write from an object's metadata (annotations included).
 * The caller owns `metadata` and its `annotations` map: pass copies of an object it must not change.
 */
export function removeServerMetadata(metadata: Record<string, unknown>): void {
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = metadata['annotations'];
  if (annotations !== null && typeof annotations === 'object') {
    for (const annotation of SERVER_ANNOTATIONS) delete (annotations as Record<string, unknown>)[annotation];
  }
}
