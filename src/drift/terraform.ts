/**
 * `terraform show -json` of a plan, summarised with the exit code `terraform plan -detailed-exitcode` gives
 * it. The rules, and where they come from:
 *
 * - Format: the JSON Output Format (https://developer.hashicorp.com/terraform/internals/json-format): the
 *   plan representation (`resource_changes`, `resource_drift`, `relevant_attributes`, `output_changes`,
 *   `checks`, `applyable`, `errored`) and the change representation (`actions`, `importing`,
 *   `previous_address`, `before`/`after`, `after_unknown`, `before_sensitive`/`after_sensitive`,
 *   `replace_paths`). A major `format_version` other than 1 is refused, as the page asks of consumers.
 * - Exit code: `-detailed-exitcode` is 0 for no changes, 1 for an error, 2 for changes
 *   (https://developer.hashicorp.com/terraform/cli/commands/plan). In hashicorp/terraform the command exits 2
 *   when the plan is applyable (internal/command/plan.go, internal/backend/local/backend_plan.go). A plan is
 *   applyable when its changes are not empty — a resource action other than no-op (`read` and `forget`
 *   included), a move, an import, a root output change, an action invocation (internal/plans/changes_src.go,
 *   `ChangesSrc.Empty`) — or, for a refresh-only plan, when the refresh changed the state
 *   (internal/terraform/context_plan.go). Terraform 1.8 and later write that verdict as `applyable`;
 *   stagecraft honours it and derives it for older plans, and either saying "changes" is exit 2.
 * - Drift: in a normal plan Terraform shows only the `resource_drift` whose changed attributes are among
 *   `relevant_attributes` (internal/command/jsonformat/diff.go); drift elsewhere, such as an autoscaler
 *   resizing a node group under `ignore_changes`, cannot affect the plan. stagecraft lists it as
 *   informational. A refresh-only plan has no relevant attributes and all of its drift is what it would
 *   apply; format 1.0 predates `relevant_attributes`, so there all drift counts.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, isJsonObject, jsonKind, mismatch, readJsonFile } from '@stagecraft/config/input';
import { ParityCodes } from '../parity/errors.ts';
import { NOT_SHOWN, reportable } from '../parity/secret-values.ts';
import { DriftCodes } from './errors.ts';

export type Action =
  | 'create'
  | 'update'
  | 'delete'
  | 'replace'
  | 'forget'
  | 'create,forget'
  | 'read'
  | 'no-op'
  | 'move'
  | 'import';

/** What a sensitive value is shown as, in every format. */
export const SENSITIVE = '(sensitive)';
/** What a value Terraform will only know after the apply is shown as. */
export const UNKNOWN = '(known after apply)';

/** One attribute that changes; `before` absent for an added element, `after` absent for a removed one. */
export interface AttributeChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** Among the change's `replace_paths`. */
  forcesReplacement?: true;
}

export interface TerraformChange {
  address: string;
  action: Action;
  /** Terraform's own list, e.g. `["delete", "create"]`. */
  actions: string[];
  previousAddress?: string;
  reason?: string;
  importing?: { id?: string };
  attributes?: AttributeChange[];
}

export interface TerraformOutputChange {
  name: string;
  action: Action;
  before?: unknown;
  after?: unknown;
}

export interface TerraformCheck {
  address: string;
  status: 'fail' | 'error';
  problems: string[];
}

export type TerraformCounts = Record<Exclude<Action, 'move' | 'import'>, number> & {
  /** Resources at a new address, whatever else happens to them. */
  move: number;
  /** Resources imported, whatever else happens to them. */
  import: number;
  /** Root outputs that change. */
  output: number;
};

export interface TerraformDrift {
  /** `drift` exactly when the exit code is 2. */
  verdict: 'no-drift' | 'drift';
  formatVersion: string;
  terraformVersion: string | undefined;
  /** Whether applying the plan would do anything: `terraform plan -detailed-exitcode` would exit 2. */
  applyable: boolean;
  /** A refresh-only plan: it only records what changed outside Terraform. */
  refreshOnly: boolean;
  counts: TerraformCounts;
  /** Planned resource changes, no-ops left out. */
  changes: TerraformChange[];
  /** Root outputs that change. */
  outputs: TerraformOutputChange[];
  /** Changes made outside Terraform that the plan depends on (or all of them, refresh-only). */
  drift: TerraformChange[];
  /** Changes made outside Terraform that do not affect this plan: listed, not counted. */
  informationalDrift: TerraformChange[];
  /** Checks that failed or could not be evaluated. */
  failedChecks: TerraformCheck[];
}

type Step = string | number;

interface ChangeEntry {
  address: string;
  mode: string | undefined;
  previousAddress?: string;
  actionReason?: string;
  actions: string[];
  before: unknown;
  after: unknown;
  afterUnknown: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
  importing?: { id?: string };
  replacePaths: Step[][];
}

interface Plan {
  formatVersion: string;
  terraformVersion: string | undefined;
  errored: boolean;
  applyable: boolean | undefined;
  resourceChanges: ChangeEntry[];
  resourceDrift: ChangeEntry[];
  outputChanges: [string, ChangeEntry][];
  relevantAttributes: { resource: string; attribute: Step[] }[];
  actionInvocations: number;
  checks: TerraformCheck[];
  priorManagedResources: boolean;
}

const HINT = 'write it with terraform plan -out=plan.out && terraform show -json plan.out > plan.json';

export function readTerraformPlan(file: string): TerraformDrift {
  const plan = planShape(
    readJsonFile(file, {
      what: 'Terraform plan',
      maxBytes: INPUT_LIMITS.generated,
      code: ParityCodes.TERRAFORM_INVALID,
      hint: HINT,
    }),
    file,
  );
  if (plan.errored) {
    throw new StagecraftError(
      DriftCodes.TERRAFORM_PLAN_ERRORED,
      `${file} is a plan that errored: it cannot say whether anything drifted`,
      {
        location: { file },
        hint: 'fix the error terraform plan reported and plan again',
      },
    );
  }

  const counts: TerraformCounts = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    forget: 0,
    'create,forget': 0,
    read: 0,
    'no-op': 0,
    move: 0,
    import: 0,
    output: 0,
  };
  const changes: TerraformChange[] = [];
  for (const entry of plan.resourceChanges) {
    const change = toChange(entry);
    if (change.action === 'move') counts.move++;
    else if (change.action === 'import') counts.import++;
    else {
      counts[change.action]++;
      if (change.previousAddress) counts.move++;
      if (change.importing) counts.import++;
    }
    if (change.action !== 'no-op') changes.push(change);
  }
  const outputs: TerraformOutputChange[] = [];
  for (const [name, entry] of plan.outputChanges) {
    const action = actionOf(entry.actions);
    if (action === 'no-op') continue;
    counts.output++;
    const [before, after] = notSecret(
      [name],
      present(entry.before, entry.beforeSensitive),
      present(entry.after, entry.afterSensitive, entry.afterUnknown),
    );
    outputs.push({
      name,
      action,
      ...(entry.before !== null && entry.before !== undefined ? { before } : {}),
      ...(entry.after !== null || entry.afterUnknown !== false ? { after } : {}),
    });
  }

  // A normal plan has a resource change, no-op at least, for every managed resource in state or
  // configuration; a refresh-only plan never has any (internal/terraform/context_plan.go, refreshOnlyPlan).
  const refreshOnly =
    plan.resourceChanges.length === 0 && (plan.resourceDrift.length > 0 || plan.priorManagedResources);
  const relevanceKnown = plan.formatVersion !== '1.0';
  const drift: TerraformChange[] = [];
  const informationalDrift: TerraformChange[] = [];
  for (const entry of plan.resourceDrift) {
    const change = toChange(entry, { drift: true });
    // Nothing changed outside Terraform: Terraform leaves such entries out of a normal plan's drift.
    if (change.action === 'no-op') continue;
    if (refreshOnly || !relevanceKnown || isRelevant(entry, plan.relevantAttributes)) drift.push(change);
    else informationalDrift.push(change);
  }

  const derived = refreshOnly
    ? plan.resourceDrift.length > 0 || outputs.length > 0 || plan.actionInvocations > 0
    : changes.length > 0 || outputs.length > 0 || plan.actionInvocations > 0;
  // Drift the plan depends on always comes with a change in plans Terraform writes; were it ever alone, it
  // is still reported rather than called "no drift".
  const applyable = plan.applyable === true || derived || drift.length > 0;
  return {
    verdict: applyable ? 'drift' : 'no-drift',
    formatVersion: plan.formatVersion,
    terraformVersion: plan.terraformVersion,
    applyable,
    refreshOnly,
    counts,
    changes,
    outputs,
    drift,
    informationalDrift,
    failedChecks: plan.checks,
  };
}

function actionOf(actions: string[]): Action {
  const has = (action: string) => actions.includes(action);
  if (actions.length === 2 && has('create') && has('delete')) return 'replace';
  if (actions.length === 2 && actions[0] === 'create' && actions[1] === 'forget') return 'create,forget';
  if (actions.length === 1) {
    const [action] = actions;
    if (
      action === 'create' ||
      action === 'update' ||
      action === 'delete' ||
      action === 'forget' ||
      action === 'read' ||
      action === 'no-op'
    )
      return action;
  }
  // An action list this version does not know is a change to look at, never nothing to do.
  return 'update';
}

function toChange(entry: ChangeEntry, options: { drift?: boolean } = {}): TerraformChange {
  let action = actionOf(entry.actions);
  const moved = entry.previousAddress !== undefined && entry.previousAddress !== entry.address;
  if (action === 'no-op' && moved) action = 'move';
  else if (action === 'no-op' && entry.importing) action = 'import';
  const listed = options.drift
    ? action !== 'create' && action !== 'delete' && action !== 'forget'
    : action === 'update' || action === 'replace' || action === 'create,forget';
  const attributes = listed ? attributeChanges(entry) : [];
  return {
    address: entry.address,
    action,
    actions: entry.actions,
    ...(moved ? { previousAddress: entry.previousAddress } : {}),
    ...(entry.actionReason ? { reason: entry.actionReason } : {}),
    ...(entry.importing ? { importing: entry.importing } : {}),
    ...(attributes.length ? { attributes } : {}),
  };
}

// --- Attribute differences, as terraform plan shows them ---------------------------------------------

interface Side {
  value: unknown;
  sensitive: unknown;
  unknown?: unknown;
}

interface StepChange {
  steps: Step[];
  before?: unknown;
  after?: unknown;
}

function attributeChanges(entry: ChangeEntry): AttributeChange[] {
  const found: StepChange[] = [];
  diff(
    [],
    { value: entry.before, sensitive: entry.beforeSensitive },
    { value: entry.after, sensitive: entry.afterSensitive, unknown: entry.afterUnknown },
    found,
  );
  return found.map((change) => {
    const [before, after] = notSecret(change.steps, change.before, change.after);
    return {
      path: pathText(change.steps),
      ...('before' in change ? { before } : {}),
      ...('after' in change ? { after } : {}),
      ...(entry.replacePaths.some((path) => overlaps(path, change.steps))
        ? { forcesReplacement: true as const }
        : {}),
    };
  });
}

/**
 * Values the provider did not mark sensitive but that name or look like a secret (a Lambda's
 * `variables.DB_PASSWORD`, a connection string in `user_data`) are `(not shown)`, as parity shows them.
 */
function notSecret(steps: readonly Step[], before: unknown, after: unknown): [unknown, unknown] {
  const marker = (value: unknown) => value === SENSITIVE || value === UNKNOWN;
  const { notShown } = reportable(
    steps,
    marker(before) ? undefined : before,
    marker(after) ? undefined : after,
  );
  const hide = (value: unknown) =>
    notShown && !marker(value) && value !== null && value !== undefined ? NOT_SHOWN : value;
  return [hide(before), hide(after)];
}

/** The part of a sensitivity or unknown mask under one key or index; `true` covers everything below it. */
function child(mask: unknown, step: Step): unknown {
  if (mask === true) return true;
  if (typeof step === 'number') return Array.isArray(mask) ? mask[step] : undefined;
  return isJsonObject(mask) ? mask[step] : undefined;
}

function at(side: Side, step: Step): Side {
  const value = side.value;
  const next =
    typeof step === 'number'
      ? Array.isArray(value)
        ? value[step]
        : undefined
      : isJsonObject(value)
        ? value[step]
        : undefined;
  return {
    value: next ?? null,
    sensitive: child(side.sensitive, step),
    ...(side.unknown !== undefined ? { unknown: child(side.unknown, step) } : {}),
  };
}

function diff(steps: Step[], before: Side, after: Side, found: StepChange[]): void {
  if (after.unknown === true) {
    found.push({ steps, before: present(before.value, before.sensitive), after: UNKNOWN });
    return;
  }
  const a = before.value;
  const b = after.value;
  // A value sensitive as a whole is compared as a whole, as terraform plan shows it: not even the keys of a
  // sensitive map are listed. The top level is a resource's schema, whose attribute names are not secret.
  const whole = steps.length > 0 && (before.sensitive === true || after.sensitive === true);
  if (!whole && isJsonObject(a) && isJsonObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diff([...steps, key], at(before, key), at(after, key), found);
    return;
  }
  if (!whole && Array.isArray(a) && Array.isArray(b)) {
    diffList(steps, before, after, found);
    return;
  }
  const sensitivityChanged = (before.sensitive === true) !== (after.sensitive === true);
  if (equal(a, b) && !hasUnknown(after.unknown) && !sensitivityChanged) return;
  found.push({
    steps,
    before: present(a, before.sensitive),
    after: present(b, after.sensitive, after.unknown),
  });
}

/**
 * Lists and sets alike: elements found on both sides are unchanged, wherever they sit (a set's order is
 * Terraform's, not the user's). When what remains pairs up index by index, each pair is compared attribute by
 * attribute; otherwise each element is shown whole, removed or added.
 */
function diffList(steps: Step[], before: Side, after: Side, found: StepChange[]): void {
  const a = before.value as unknown[];
  const b = after.value as unknown[];
  const matched = new Set<number>();
  const added: number[] = [];
  b.forEach((element, j) => {
    const i = hasUnknown(child(after.unknown, j))
      ? -1
      : a.findIndex(
          (candidate, index) =>
            !matched.has(index) &&
            equal(candidate, element) &&
            equal(child(before.sensitive, index) === true, child(after.sensitive, j) === true),
        );
    if (i === -1) added.push(j);
    else matched.add(i);
  });
  const removed = a.map((_, i) => i).filter((i) => !matched.has(i));
  if (removed.length === added.length && removed.every((i, n) => added[n] === i)) {
    for (const i of removed) diff([...steps, i], at(before, i), at(after, i), found);
    return;
  }
  for (const i of removed)
    found.push({ steps: [...steps, i], before: present(a[i], child(before.sensitive, i)) });
  for (const j of added)
    found.push({
      steps: [...steps, j],
      after: present(b[j], child(after.sensitive, j), child(after.unknown, j)),
    });
}

/** A value as it may be shown: sensitive parts replaced by `(sensitive)`, unknown ones by `(known after apply)`. */
function present(value: unknown, sensitive: unknown, unknown?: unknown): unknown {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value))
    return value.map((element, i) => present(element, child(sensitive, i), child(unknown, i)));
  if (isJsonObject(value)) {
    const shown: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(value))
      shown[key] = present(element, child(sensitive, key), child(unknown, key));
    if (isJsonObject(unknown))
      for (const [key, mark] of Object.entries(unknown))
        if (mark === true && !(key in shown)) shown[key] = UNKNOWN;
    return shown;
  }
  return value;
}

function hasUnknown(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(hasUnknown);
  if (isJsonObject(mask)) return Object.values(mask).some(hasUnknown);
  return false;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === b || (a ?? null) === (b ?? null);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((element, i) => equal(element, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!equal(a[key] ?? null, b[key] ?? null)) return false;
    return true;
  }
  return false;
}

/** `ingress[0].from_port`, `tags["kubernetes.io/role"]`: attribute paths as terraform plan writes them. */
function pathText(steps: Step[]): string {
  let text = '';
  for (const step of steps) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) text += text ? `.${step}` : step;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

/** One path leads into the other: the way Terraform matches attribute paths (jsonformat attribute_path). */
function overlaps(a: Step[], b: Step[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Drift is relevant when an attribute that changed outside Terraform is one `relevant_attributes` names for
 * that resource (an empty resource names every resource), as Terraform decides what drift to show.
 */
function isRelevant(entry: ChangeEntry, relevant: Plan['relevantAttributes']): boolean {
  const paths = relevant
    .filter((attr) => attr.resource === '' || attr.resource === entry.address)
    .map((attr) => attr.attribute);
  if (paths.length === 0) return false;
  // A resource deleted (or created) outside Terraform has no values to compare: the resource itself counts.
  if (!isJsonObject(entry.before) || !isJsonObject(entry.after)) return true;
  const changed: StepChange[] = [];
  diff(
    [],
    { value: entry.before, sensitive: false },
    { value: entry.after, sensitive: false, unknown: entry.afterUnknown },
    changed,
  );
  return changed.some((change) => paths.some((path) => overlaps(path, change.steps)));
}

// --- Reading the plan ------------------------------------------------------------------------------------

/**
 * The parts of the plan the verdict depends on, checked against the documented format: anything else is an
 * error saying what is wrong, since a plan read wrongly could come out as "no drift".
 */
function planShape(value: unknown, file: string): Plan {
  const invalid = (path: string, expected: string, found: unknown) =>
    new StagecraftError(
      ParityCodes.TERRAFORM_INVALID,
      `Terraform plan ${path} ${mismatch(expected, found)}`,
      {
        location: { file },
        hint: HINT,
      },
    );
  if (!isJsonObject(value)) {
    throw new StagecraftError(
      ParityCodes.TERRAFORM_INVALID,
      `Terraform plan is not a JSON object (found ${jsonKind(value)})`,
      {
        location: { file },
        hint: HINT,
      },
    );
  }
  const version = value['format_version'];
  // A state file (terraform.tfstate) has `version`, `serial` and `lineage`, and no `format_version`.
  if (version === undefined && ('lineage' in value || 'serial' in value)) {
    throw new StagecraftError(
      DriftCodes.TERRAFORM_NOT_A_PLAN,
      'the file is a Terraform state file, not a plan',
      {
        location: { file },
        hint: HINT,
      },
    );
  }
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version)) {
    throw new StagecraftError(
      DriftCodes.TERRAFORM_FORMAT_UNSUPPORTED,
      `${file} has format_version ${typeof version === 'string' ? `"${version}"` : jsonKind(version)}; stagecraft reads 1.x`,
      {
        location: { file },
        hint: 'a new major format may mean something else: upgrade stagecraft before trusting a "no drift" answer',
      },
    );
  }
  const planned = value['planned_values'];
  if (planned !== undefined && !isJsonObject(planned)) throw invalid('planned_values', 'an object', planned);
  if (planned === undefined && value['resource_changes'] === undefined) {
    // `terraform show -json` of a state prints `values`; of a plan, `planned_values`.
    throw new StagecraftError(
      DriftCodes.TERRAFORM_NOT_A_PLAN,
      'values' in value
        ? 'the file is the JSON of a Terraform state, not of a plan (it has values, no planned_values)'
        : 'the file is not a plan (it has no resource_changes or planned_values)',
      { location: { file }, hint: HINT },
    );
  }
  const flag = (key: string) => {
    const flagValue = value[key];
    if (flagValue !== undefined && typeof flagValue !== 'boolean')
      throw invalid(key, 'true or false', flagValue);
    return flagValue;
  };
  const errored = flag('errored');
  const applyable = flag('applyable');
  flag('complete');
  const terraformVersion = value['terraform_version'];
  if (terraformVersion !== undefined && typeof terraformVersion !== 'string')
    throw invalid('terraform_version', 'a string', terraformVersion);

  const change = (at: string, raw: unknown): Omit<ChangeEntry, 'address' | 'mode'> => {
    if (!isJsonObject(raw)) throw invalid(at, 'an object with the planned actions', raw);
    const actions = raw['actions'];
    if (
      !Array.isArray(actions) ||
      actions.length === 0 ||
      !actions.every((action) => typeof action === 'string')
    ) {
      throw invalid(`${at}.actions`, 'a list of actions such as ["update"]', actions);
    }
    const importing = raw['importing'];
    if (importing !== undefined && importing !== null && !isJsonObject(importing))
      throw invalid(`${at}.importing`, 'an object', importing);
    const replacePaths = raw['replace_paths'];
    return {
      actions: actions as string[],
      before: raw['before'] ?? null,
      after: raw['after'] ?? null,
      afterUnknown: raw['after_unknown'] ?? false,
      beforeSensitive: raw['before_sensitive'] ?? false,
      afterSensitive: raw['after_sensitive'] ?? false,
      ...(isJsonObject(importing)
        ? { importing: typeof importing['id'] === 'string' ? { id: importing['id'] } : {} }
        : {}),
      replacePaths: Array.isArray(replacePaths) ? replacePaths.filter(isPath) : [],
    };
  };
  const changes = (key: string): ChangeEntry[] => {
    const list = value[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw invalid(key, 'a list of resource changes', list);
    return list.map((entry: unknown, index) => {
      const at = `${key}[${index}]`;
      if (!isJsonObject(entry)) throw invalid(at, 'an object (a resource change)', entry);
      const { address, previous_address, action_reason, mode } = entry;
      if (typeof address !== 'string') throw invalid(`${at}.address`, 'a string', address);
      if (previous_address !== undefined && typeof previous_address !== 'string')
        throw invalid(`${at}.previous_address`, 'a string', previous_address);
      if (action_reason !== undefined && typeof action_reason !== 'string')
        throw invalid(`${at}.action_reason`, 'a string', action_reason);
      return {
        address,
        mode: typeof mode === 'string' ? mode : undefined,
        ...change(`${at}.change`, entry['change']),
        ...(previous_address !== undefined ? { previousAddress: previous_address } : {}),
        ...(action_reason !== undefined ? { actionReason: action_reason } : {}),
      };
    });
  };

  const outputs = value['output_changes'];
  if (outputs !== undefined && !isJsonObject(outputs))
    throw invalid('output_changes', 'an object of output changes', outputs);
  const outputChanges = Object.entries(outputs ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, raw]): [string, ChangeEntry] => [
      name,
      { address: `output.${name}`, mode: undefined, ...change(`output_changes.${name}`, raw) },
    ]);

  const relevant = value['relevant_attributes'];
  if (relevant !== undefined && !Array.isArray(relevant))
    throw invalid('relevant_attributes', 'a list of {resource, attribute}', relevant);
  const relevantAttributes = (relevant ?? []).map((entry: unknown, index: number) => {
    const at = `relevant_attributes[${index}]`;
    if (!isJsonObject(entry)) throw invalid(at, 'an object with resource and attribute', entry);
    const { resource, attribute } = entry;
    if (typeof resource !== 'string') throw invalid(`${at}.resource`, 'a string', resource);
    if (!isPath(attribute)) throw invalid(`${at}.attribute`, 'a list of keys and indexes', attribute);
    return { resource, attribute };
  });

  const invocations = value['action_invocations'];
  if (invocations !== undefined && !Array.isArray(invocations))
    throw invalid('action_invocations', 'a list', invocations);

  return {
    formatVersion: version,
    terraformVersion,
    errored: errored === true,
    applyable: applyable as boolean | undefined,
    resourceChanges: changes('resource_changes'),
    resourceDrift: changes('resource_drift'),
    outputChanges,
    relevantAttributes,
    actionInvocations: Array.isArray(invocations) ? invocations.length : 0,
    checks: failedChecks(value['checks'], invalid),
    priorManagedResources: hasManagedResources(value['prior_state']),
  };
}

function isPath(value: unknown): value is Step[] {
  return (
    Array.isArray(value) &&
    value.every((step) => typeof step === 'string' || (typeof step === 'number' && Number.isInteger(step)))
  );
}

/** `checks`: one entry per checkable object, its status and, per instance, the failure messages. */
function failedChecks(
  value: unknown,
  invalid: (path: string, expected: string, found: unknown) => StagecraftError,
): TerraformCheck[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('checks', 'a list of check results', value);
  const failed: TerraformCheck[] = [];
  value.forEach((entry: unknown, index) => {
    if (!isJsonObject(entry)) throw invalid(`checks[${index}]`, 'an object (a check result)', entry);
    const status = entry['status'];
    if (status !== 'fail' && status !== 'error') return;
    const display = (address: unknown, fallback: string) =>
      isJsonObject(address) && typeof address['to_display'] === 'string' ? address['to_display'] : fallback;
    const address = display(entry['address'], `checks[${index}]`);
    const instances = Array.isArray(entry['instances']) ? entry['instances'] : [];
    const problems = instances
      .filter(isJsonObject)
      .filter((instance) => instance['status'] === 'fail' || instance['status'] === 'error');
    if (problems.length === 0) {
      failed.push({ address, status, problems: [] });
      return;
    }
    for (const instance of problems) {
      const messages = Array.isArray(instance['problems']) ? instance['problems'] : [];
      failed.push({
        address: display(instance['address'], address),
        status: instance['status'] as 'fail' | 'error',
        problems: messages
          .filter(isJsonObject)
          .map((problem) => problem['message'])
          .filter((message): message is string => typeof message === 'string'),
      });
    }
  });
  return failed;
}

/** Whether a plan's `prior_state` holds a managed resource, in the root module or a child module. */
function hasManagedResources(priorState: unknown): boolean {
  if (!isJsonObject(priorState) || !isJsonObject(priorState['values'])) return false;
  const visit = (module: unknown): boolean => {
    if (!isJsonObject(module)) return false;
    const resources = Array.isArray(module['resources']) ? module['resources'] : [];
    if (resources.some((resource) => isJsonObject(resource) && resource['mode'] === 'managed')) return true;
    return Array.isArray(module['child_modules']) && module['child_modules'].some(visit);
  };
  return visit(priorState['values']['root_module']);
}
