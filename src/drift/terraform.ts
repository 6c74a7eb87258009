/**
 * `terraform show -json` of a plan, summarised as `terraform plan -detailed-exitcode` would decide: any
 * planned change (create, update, delete, replace, a move) or any drift Terraform detected outside itself
 * (`resource_drift`) is drift; nothing is none. An errored plan or an unknown major format version is an
 * error, never "no drift". Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { StagecraftError } from '../errors.ts';
import { readJsonFile } from '../input/json.ts';
import { INPUT_LIMITS } from '../input/read-file.ts';

type Action = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op' | 'move';

export interface TerraformChange {
  address: string;
  action: Action;
  previousAddress?: string;
  reason?: string;
}

export interface TerraformDrift {
  verdict: 'no-drift' | 'drift';
  formatVersion: string;
  terraformVersion: string | undefined;
  counts: Record<Action, number>;
  changes: TerraformChange[];
  /** Changes made outside Terraform, found while refreshing. */
  drift: TerraformChange[];
  /** A refresh-only plan: it only records what changed outside Terraform. */
  refreshOnly: boolean;
}

interface ResourceChange {
  address: string;
  previous_address?: string;
  mode?: string;
  action_reason?: string;
  change?: { actions?: string[] };
}

export function readTerraformPlan(file: string): TerraformDrift {
  const plan = readJsonFile(file, {
    what: 'Terraform plan',
    maxBytes: INPUT_LIMITS.generated,
    code: 'TERRAFORM_INVALID',
    hint: 'write it with terraform plan -out=plan.out && terraform show -json plan.out > plan.json',
  }) as {
    format_version?: string;
    terraform_version?: string;
    errored?: boolean;
    resource_changes?: ResourceChange[];
    resource_drift?: ResourceChange[];
    planned_values?: unknown;
    values?: unknown;
  };
  const version = plan.format_version ?? '';
  if (!/^1\.\d+$/.test(version)) {
    throw new StagecraftError(
      'TERRAFORM_FORMAT_UNSUPPORTED',
      `${file} has format_version "${version}"; stagecraft reads 1.x`,
      {
        location: { file },
        hint: 'a new major format may mean something else: upgrade stagecraft before trusting a "no drift" answer',
      },
    );
  }
  if (plan.errored === true) {
    throw new StagecraftError(
      'TERRAFORM_PLAN_ERRORED',
      `${file} is a plan that errored: it cannot say whether anything drifted`,
      {
        location: { file },
        hint: 'fix the error terraform plan reported and plan again',
      },
    );
  }
  if (plan.resource_changes === undefined && plan.planned_values === undefined) {
    throw new StagecraftError(
      'TERRAFORM_NOT_A_PLAN',
      `${file} is not a plan (it has no resource_changes or planned_values)`,
      {
        location: { file },
        hint: 'give the JSON of a plan file, not of the state',
      },
    );
  }
  const counts: Record<Action, number> = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    read: 0,
    'no-op': 0,
    move: 0,
  };
  const changes: TerraformChange[] = [];
  for (const resource of plan.resource_changes ?? []) {
    const change = toChange(resource);
    counts[change.action]++;
    if (change.action !== 'no-op') changes.push(change);
  }
  const drift = (plan.resource_drift ?? []).map(toChange);
  const planned = changes.some((change) => change.action !== 'read');
  const refreshOnly = drift.length > 0 && (plan.resource_changes ?? []).length === 0;
  return {
    verdict: planned || drift.length ? 'drift' : 'no-drift',
    formatVersion: version,
    terraformVersion: plan.terraform_version,
    counts,
    changes,
    drift,
    refreshOnly,
  };
}

function toChange(resource: ResourceChange): TerraformChange {
  const actions = resource.change?.actions ?? ['no-op'];
  let action: Action;
  if (actions.includes('delete') && actions.includes('create')) action = 'replace';
  else if (actions.length === 1 && ['create', 'update', 'delete', 'read', 'no-op'].includes(actions[0] ?? ''))
    action = actions[0] as Action;
  else action = 'update';
  // A resource moved to a new address with nothing else to do is still a change to apply.
  if (action === 'no-op' && resource.previous_address && resource.previous_address !== resource.address)
    action = 'move';
  return {
    address: resource.address,
    action,
    ...(resource.previous_address ? { previousAddress: resource.previous_address } : {}),
    ...(resource.action_reason ? { reason: resource.action_reason } : {}),
  };
}
