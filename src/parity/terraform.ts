/**
 * Terraform resources from `terraform show -json` output — a plan's `planned_values` or a state's `values` —
 * flattened over child modules. Attributes Terraform marks sensitive are dropped on reading: they are never
 * compared or shown. Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { StagecraftError } from '../errors.ts';
import { readJsonFile } from '../input/json.ts';
import { INPUT_LIMITS } from '../input/read-file.ts';

export interface TerraformResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

interface Module {
  resources?: {
    address: string;
    type: string;
    mode?: string;
    values?: Record<string, unknown>;
    sensitive_values?: unknown;
  }[];
  child_modules?: Module[];
}

/** Size-only attributes, allowed to differ by default: instance sizes, storage, node group sizes. */
export const SIZE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'instance_type',
  'instance_class',
  'allocated_storage',
  'max_allocated_storage',
  'iops',
  'storage_throughput',
  'node_type',
  'num_cache_nodes',
  'machine_type',
  'disk_size',
  'disk_size_gb',
  'node_count',
  'min_node_count',
  'max_node_count',
  'desired_size',
  'min_size',
  'max_size',
  'desired_capacity',
  'scaling_config',
  'instance_types',
  'instance_count',
  'replicas',
  'tier',
]);

/** Attributes a provider assigns, which differ between any two real resources. */
const ASSIGNED = new Set([
  'id',
  'arn',
  'unique_id',
  'owner_id',
  'tags_all',
  'self_link',
  'creation_date',
  'create_date',
]);

export function readTerraform(file: string): TerraformResource[] {
  const data = readJsonFile(file, {
    what: 'Terraform JSON',
    maxBytes: INPUT_LIMITS.generated,
    code: 'TERRAFORM_INVALID',
    hint: 'write it with terraform show -json plan.out > plan.json (or terraform show -json for the state)',
  }) as {
    format_version?: string;
    planned_values?: { root_module?: Module };
    values?: { root_module?: Module };
  };
  const root = data.planned_values?.root_module ?? data.values?.root_module;
  if (!root) {
    throw new StagecraftError('TERRAFORM_INVALID', `${file} has neither planned_values nor values`, {
      location: { file },
      hint: 'give the JSON of a plan (terraform show -json plan.out) or of the state (terraform show -json)',
    });
  }
  const resources: TerraformResource[] = [];
  const walk = (module: Module) => {
    for (const resource of module.resources ?? []) {
      if (resource.mode === 'data') continue;
      resources.push({
        address: resource.address,
        type: resource.type,
        values: withoutSensitive(resource.values ?? {}, resource.sensitive_values),
      });
    }
    for (const child of module.child_modules ?? []) walk(child);
  };
  walk(root);
  return resources;
}

function withoutSensitive(values: Record<string, unknown>, sensitive: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (ASSIGNED.has(key)) continue;
    const mark = (sensitive as Record<string, unknown> | undefined)?.[key];
    if (mark === true) continue;
    out[key] =
      mark && typeof mark === 'object' && value && typeof value === 'object' && !Array.isArray(value)
        ? withoutSensitive(value as Record<string, unknown>, mark)
        : value;
  }
  return out;
}
