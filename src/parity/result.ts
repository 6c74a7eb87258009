/**
 * What a parity check reports, and the shapes its steps share: the comparison (compare.ts) builds these, and
 * the grouping of one cause into one violation (causes.ts) rewrites them.
 */
import type { KubeObject, ManifestSet } from '../kubernetes/manifests.ts';
import type { Resource } from '../kubernetes/resource.ts';
import type { Substitute } from '../kubernetes/tree.ts';
import type { Facts } from './facts.ts';
import type { TerraformResource } from './terraform.ts';

export type ViolationType =
  | 'image-mismatch'
  | 'database-version-mismatch'
  | 'kubernetes-version-mismatch'
  | 'config-value-mismatch'
  | 'env-var-set-mismatch'
  | 'container-set-mismatch'
  | 'secret-keys-mismatch'
  | 'object-missing'
  | 'infrastructure-mismatch'
  | 'field-mismatch'
  | 'name-mismatch';

export interface Difference {
  resource: Resource | undefined;
  path: string;
  left: unknown;
  right: unknown;
  message: string;
  /** Set when the values name or look like a secret: left and right then say only whether each is set. */
  redacted?: true;
}

export interface Violation extends Difference {
  type: ViolationType;
  /** A name-mismatch: every place the one difference was found (objects and paths). */
  places?: Place[];
}

export interface Place {
  resource: Resource | undefined;
  path: string;
}

export interface AllowedDifference extends Difference {
  /** What allowed it: `default` or the policy entry's file:line. */
  rule: string;
}

export interface ParitySide {
  name: string;
  manifests: ManifestSet | undefined;
  facts: Facts | undefined;
  terraform: TerraformResource[] | undefined;
}

export interface ParityResult {
  verdict: 'parity' | 'violations';
  left: string;
  right: string;
  violations: Violation[];
  allowed: AllowedDifference[];
  warnings: string[];
  compared: { objects: number; terraformResources: number; databases: number };
}

/** How equivalent values are made equal, and how a placeholder reads again on either side. */
export interface Equivalence {
  substitute: Substitute;
  /** A compared string as one side would write it: each placeholder as that side's name for its class. */
  show(text: string, side: 0 | 1): string;
}

export interface IndexedObject {
  resource: Resource;
  object: KubeObject;
  /** apiGroup/kind, and namespace and name as compared (equivalents substituted). */
  type: string;
  namespace: string;
  name: string;
}
