import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareKubernetes } from '../drift/kubernetes.ts';
import { compareEnvironments } from '../parity/compare.ts';
import { defaultPolicy } from '../parity/policy.ts';
import type { KubeObject } from './manifests.ts';
import { SERVER_ANNOTATIONS, SERVER_METADATA } from './server-fields.ts';

const configMap = (metadata: Record<string, unknown>, value = 'on'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop', ...metadata },
  data: { FEATURE: value },
});

/** What the server might have written for each field: any value, as long as the two sides differ. */
const serverValue = (field: string): unknown =>
  field === 'finalizers' || field === 'ownerReferences' || field === 'managedFields'
    ? [{ name: 'x', kind: 'Deployment', manager: 'kube-controller-manager', operation: 'Update' }]
    : `written-for-${field}`;

function parityOf(left: KubeObject, right: KubeObject) {
  const side = (name: string, object: KubeObject) => ({
    name,
    manifests: { dir: name, objects: [{ object, file: 'settings.yaml' }], files: 1, bytes: 0 },
    facts: undefined,
    terraform: undefined,
  });
  return compareEnvironments(side('staging', left), side('production', right), defaultPolicy());
}

const driftOf = (desired: KubeObject, live: KubeObject) =>
  compareKubernetes([desired], [live], { ignore: [], iacOnly: false });

test('parity and drift both leave out every field of the one list of server-written metadata', () => {
  for (const field of SERVER_METADATA) {
    const plain = configMap({});
    const written = configMap({ [field]: serverValue(field) });
    assert.equal(parityOf(plain, written).verdict, 'parity', `parity compared metadata.${field}`);
    assert.equal(driftOf(plain, written).verdict, 'no-drift', `drift compared metadata.${field}`);
  }
  for (const annotation of SERVER_ANNOTATIONS) {
    const plain = configMap({ annotations: { team: 'shop' } });
    const written = configMap({ annotations: { team: 'shop', [annotation]: '7' } });
    assert.equal(parityOf(plain, written).verdict, 'parity', `parity compared annotation ${annotation}`);
    assert.equal(driftOf(plain, written).verdict, 'no-drift', `drift compared annotation ${annotation}`);
  }
});

test('what the server does not write is still compared by both', () => {
  const staging = configMap({ labels: { tier: 'web' } });
  const production = configMap({ labels: { tier: 'api' } });
  const parity = parityOf(staging, production);
  assert.equal(parity.verdict, 'violations');
  assert.deepEqual(
    parity.violations.map((v) => [v.path, v.resource]),
    [['metadata.labels.tier', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }]],
  );
  const drift = driftOf(staging, configMap({ labels: { tier: 'web' } }, 'off'));
  assert.deepEqual(
    drift.items.map((item) => [item.type, item.path, item.desired, item.live]),
    [['modified', 'data.FEATURE', 'on', 'off']],
  );
  // The object given was not changed by either comparison.
  assert.deepEqual(staging.metadata, { name: 'settings', namespace: 'shop', labels: { tier: 'web' } });
});
