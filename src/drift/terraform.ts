/**
 * `terraform show -json` of a plan, summarised as `terraform plan -detailed-exitcode` would decide: any
 * planned change (create, update, delete, replace, a move) or any drift Terraform detected outside itself
 * (`resource_drift`) is drift; nothing is none. An errored plan or an unknown major format version is an
 * error, never "no drift". Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { StagecraftError } from '../errors.ts';
import { isJsonObject, jsonKind, mismatch, readJsonFile } from '../input/json.ts';
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
  action_reason?: string;
  actions: string[];
}

interface Plan {
  formatVersion: string;
  terraformVersion: string | undefined;
  errored: boolean;
  resourceChanges: ResourceChange[] | undefined;
  resourceDrift: ResourceChange[];
  hasPlannedValues: boolean;
}

const HINT = 'write it with terraform plan -out=plan.out && terraform show -json plan.out > plan.json';

export function readTerraformPlan(file: string): TerraformDrift {
  const plan = planShape(
    readJsonFile(file, {
      what: 'Terraform plan',
      maxBytes: INPUT_LIMITS.generated,
      code: 'TERRAFORM_INVALID',
      hint: HINT,
    }),
    file,
  );
  if (plan.errored) {
    throw new StagecraftError(
      'TERRAFORM_PLAN_ERRORED',
      `${file} is a plan that errored: it cannot say whether anything drifted`,
      {
        location: { file },
        hint: 'fix the error terraform plan reported and plan again',
      },
    );
  }
  if (plan.resourceChanges === undefined && !plan.hasPlannedValues) {
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
  for (const resource of plan.resourceChanges ?? []) {
    const change = toChange(resource);
    counts[change.action]++;
    if (change.action !== 'no-op') changes.push(change);
  }
  const drift = plan.resourceDrift.map(toChange);
  const planned = changes.some((change) => change.action !== 'read');
  const refreshOnly = drift.length > 0 && (plan.resourceChanges ?? []).length === 0;
  return {
    verdict: planned || drift.length ? 'drift' : 'no-drift',
    formatVersion: plan.formatVersion,
    terraformVersion: plan.terraformVersion,
    counts,
    changes,
    drift,
    refreshOnly,
  };
}

/**
 * The parts of the plan the verdict depends on, checked against the documented format: anything else is an
 * error saying what is wrong, since a plan read wrongly could come out as "no drift".
 */
function planShape(value: unknown, file: string): Plan {
  const invalid = (path: string, expected: string, found: unknown) =>
    new StagecraftError('TERRAFORM_INVALID', `Terraform plan ${path} ${mismatch(expected, found)}`, {
      location: { file },
      hint: HINT,
    });
  if (!isJsonObject(value)) {
    throw new StagecraftError(
      'TERRAFORM_INVALID',
      `Terraform plan is not a JSON object (found ${jsonKind(value)})`,
      {
        location: { file },
        hint: HINT,
      },
    );
  }
  const version = value['format_version'];
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version)) {
    throw new StagecraftError(
      'TERRAFORM_FORMAT_UNSUPPORTED',
      `${file} has format_version ${typeof version === 'string' ? `"${version}"` : jsonKind(version)}; stagecraft reads 1.x`,
      {
        location: { file },
        hint: 'a new major format may mean something else: upgrade stagecraft before trusting a "no drift" answer',
      },
    );
  }
  const errored = value['errored'];
  if (errored !== undefined && typeof errored !== 'boolean')
    throw invalid('errored', 'true or false', errored);
  const terraformVersion = value['terraform_version'];
  if (terraformVersion !== undefined && typeof terraformVersion !== 'string')
    throw invalid('terraform_version', 'a string', terraformVersion);
  const planned = value['planned_values'];
  if (planned !== undefined && !isJsonObject(planned)) throw invalid('planned_values', 'an object', planned);
  const changes = (key: string): ResourceChange[] | undefined => {
    const list = value[key];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) throw invalid(key, 'a list of resource changes', list);
    return list.map((entry: unknown, index) => {
      const at = `${key}[${index}]`;
      if (!isJsonObject(entry)) throw invalid(at, 'an object (a resource change)', entry);
      const { address, previous_address, action_reason, change } = entry;
      if (typeof address !== 'string') throw invalid(`${at}.address`, 'a string', address);
      if (previous_address !== undefined && typeof previous_address !== 'string')
        throw invalid(`${at}.previous_address`, 'a string', previous_address);
      if (action_reason !== undefined && typeof action_reason !== 'string')
        throw invalid(`${at}.action_reason`, 'a string', action_reason);
      if (!isJsonObject(change)) throw invalid(`${at}.change`, 'an object with the planned actions', change);
      const actions = change['actions'];
      if (
        !Array.isArray(actions) ||
        actions.length === 0 ||
        !actions.every((action) => typeof action === 'string')
      ) {
        throw invalid(`${at}.change.actions`, 'a list of actions such as ["update"]', actions);
      }
      return {
        address,
        actions: actions as string[],
        ...(previous_address !== undefined ? { previous_address } : {}),
        ...(action_reason !== undefined ? { action_reason } : {}),
      };
    });
  };
  return {
    formatVersion: version,
    terraformVersion,
    errored: errored === true,
    resourceChanges: changes('resource_changes'),
    resourceDrift: changes('resource_drift') ?? [],
    hasPlannedValues: planned !== undefined,
  };
}

function toChange(resource: ResourceChange): TerraformChange {
  const { actions } = resource;
  let action: Action;
  if (actions.includes('delete') && actions.includes('create')) action = 'replace';
  else if (actions.length === 1 && ['create', 'update', 'delete', 'read', 'no-op'].includes(actions[0] ?? ''))
    action = actions[0] as Action;
  // An action this version does not know is a change to look at, never nothing to do.
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
