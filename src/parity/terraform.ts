/**
 * Terraform resources from `terraform show -json` output — a plan's `planned_values` or a state's `values` —
 * flattened over child modules. Attributes Terraform marks sensitive are dropped on reading: they are never
 * compared or shown. Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, isJsonObject, jsonKind, mismatch, readJsonFile } from '@stagecraft/config/input';
import { ParityCodes } from './errors.ts';

export interface TerraformResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
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

const HINT =
  'write it with terraform show -json plan.out > plan.json (or terraform show -json for the state)';

export function readTerraform(file: string): TerraformResource[] {
  const data = readJsonFile(file, {
    what: 'Terraform JSON',
    maxBytes: INPUT_LIMITS.generated,
    code: ParityCodes.TERRAFORM_INVALID,
    hint: HINT,
  });
  const invalid = (path: string, expected: string, found: unknown) =>
    new StagecraftError(
      ParityCodes.TERRAFORM_INVALID,
      `Terraform JSON ${path} ${mismatch(expected, found)}`,
      {
        location: { file },
        hint: HINT,
      },
    );
  if (!isJsonObject(data)) {
    throw new StagecraftError(
      ParityCodes.TERRAFORM_INVALID,
      `Terraform JSON is not a JSON object (found ${jsonKind(data)})`,
      {
        location: { file },
        hint: HINT,
      },
    );
  }
  // A plan's planned_values, else a state's values.
  const sections = (['planned_values', 'values'] as const).filter((key) => data[key] !== undefined);
  for (const key of sections) if (!isJsonObject(data[key])) throw invalid(key, 'an object', data[key]);
  const section = sections.find((key) => (data[key] as Record<string, unknown>)['root_module'] !== undefined);
  if (!section) {
    throw new StagecraftError(
      ParityCodes.TERRAFORM_INVALID,
      `${file} has neither planned_values nor values`,
      {
        location: { file },
        hint: 'give the JSON of a plan (terraform show -json plan.out) or of the state (terraform show -json)',
      },
    );
  }
  const resources: TerraformResource[] = [];
  // Modules in document order (each one's resources, then its children), without recursion.
  const pending: [unknown, string][] = [
    [(data[section] as Record<string, unknown>)['root_module'], `${section}.root_module`],
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [module, at] = next;
    if (!isJsonObject(module)) throw invalid(at, 'an object (a module)', module);
    const list = (key: string) => {
      const value = module[key];
      if (value === undefined) return [];
      if (!Array.isArray(value)) throw invalid(`${at}.${key}`, 'a list', value);
      return value as unknown[];
    };
    list('resources').forEach((resource, index) => {
      const where = `${at}.resources[${index}]`;
      if (!isJsonObject(resource)) throw invalid(where, 'an object (a resource)', resource);
      const { address, type, mode, values } = resource;
      if (typeof address !== 'string') throw invalid(`${where}.address`, 'a string', address);
      if (typeof type !== 'string') throw invalid(`${where}.type`, 'a string', type);
      if (mode !== undefined && typeof mode !== 'string') throw invalid(`${where}.mode`, 'a string', mode);
      if (values !== undefined && !isJsonObject(values))
        throw invalid(`${where}.values`, 'an object', values);
      if (mode === 'data') return;
      resources.push({ address, type, values: withoutSensitive(values ?? {}, resource['sensitive_values']) });
    });
    const children = list('child_modules');
    for (let index = children.length - 1; index >= 0; index--)
      pending.push([children[index], `${at}.child_modules[${index}]`]);
  }
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
