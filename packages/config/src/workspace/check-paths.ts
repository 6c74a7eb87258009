/** Declared paths that do not exist yet: warnings, since a fresh workspace may not have rendered them. */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Problem } from '../errors.ts';
import { WorkspaceCodes } from './errors.ts';
import type { Workspace } from './model.ts';

export function checkDeclaredPaths(workspace: Workspace): Problem[] {
  const problems: Problem[] = [];
  const check = (path: string | undefined, keyPath: (string | number)[], what: string) => {
    if (path === undefined || existsSync(path)) return;
    problems.push({
      code: WorkspaceCodes.WORKSPACE_PATH_MISSING,
      severity: 'warning',
      message: `${what} ${relative(workspace.root, path)} does not exist`,
      path: keyPath.join('.'),
      location: workspace.locate(keyPath),
      hint: 'create it, or correct the path (it is relative to stagecraft.yaml)',
    });
  };
  for (const env of workspace.environments) {
    const at = ['environments', env.name];
    check(env.manifests, [...at, 'manifests'], `manifests folder of "${env.name}"`);
    check(env.facts, [...at, 'facts'], `facts file of "${env.name}"`);
    check(env.terraform.plan, [...at, 'terraform', 'plan'], `Terraform plan of "${env.name}"`);
    check(env.terraform.state, [...at, 'terraform', 'state'], `Terraform state of "${env.name}"`);
  }
  workspace.server.oidc.forEach((issuer, index) => {
    if (issuer.jwks.kind !== 'file') return;
    check(issuer.jwks.path, ['server', 'oidc', index, 'jwks'], `JWKS file of ${issuer.issuer}`);
  });
  // `config check`, `config show` and `run` all import it; without it they can only say it is missing. A
  // workspace with no config section may not use typed config at all, so only a declared one is checked.
  if (workspace.config.declared && !existsSync(workspace.config.module)) {
    problems.push({
      code: WorkspaceCodes.WORKSPACE_PATH_MISSING,
      severity: 'warning',
      message: `config module ${relative(workspace.root, workspace.config.module)} does not exist`,
      path: 'config.module',
      location: workspace.locate(['config', 'module']),
      hint: "create it with `export default defineConfig({ ... })` from '@stagecraft/config' (`stagecraft init` writes a starter), or set config.module to the module that does",
    });
  }
  for (const service of workspace.services) {
    check(
      service.manifests,
      ['services', service.name, 'manifests'],
      `manifests folder of service "${service.name}"`,
    );
  }
  return problems;
}
