/** Terraform's `show -json` output for tests: a plan that changes nothing, as complete or errored as asked. */
export function emptyPlan(state: { complete: boolean; errored: boolean }): string {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    configuration: { root_module: {} },
    applyable: false,
    ...state,
  });
}
