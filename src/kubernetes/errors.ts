/** Codes of reading Kubernetes objects: rendered manifests from a folder, live objects through kubectl. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  MANIFESTS_NOT_FOUND: {
    outcome: 'unavailable',
    meaning: 'The folder of rendered manifests does not exist.',
    hint: 'Render the manifests first (kustomize build, helm template), or correct the path in stagecraft.yaml.',
  },
  MANIFEST_INVALID: {
    outcome: 'failed',
    meaning:
      'A manifest file is not valid YAML or JSON, or holds a document that is not a Kubernetes object (apiVersion, kind and metadata.name).',
    hint: 'Render the manifests again, or remove or complete the document named.',
  },
  KUBECTL_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning: 'kubectl could not be started.',
    hint: 'Install kubectl and make sure it is on PATH.',
  },
  KUBECTL_FAILED: {
    outcome: 'unavailable',
    meaning: 'kubectl ran but failed: the cluster is unreachable, the context unknown, or access denied.',
    hint: 'Check the context (kubectl config get-contexts), your credentials and permissions.',
  },
} as const;

export const KubernetesCodes: Catalog<keyof typeof codes> = defineErrors('kubernetes', codes);
