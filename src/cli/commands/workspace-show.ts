import { relative } from 'node:path';
import { describeGate, promotionPaths } from '@stagecraft/config/workspace';
import { driftSettingsOf } from '../../drift/settings.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable, textTable } from '../output.ts';

export async function run(ctx: CommandContext): Promise<number> {
  const workspace = ctx.workspace();
  const rel = (path: string | undefined) => (path === undefined ? undefined : relative(workspace.root, path));
  const drift = driftSettingsOf(workspace);
  const data = {
    name: workspace.name,
    file: ctx.output.path(workspace.file),
    chains: promotionPaths(workspace),
    environments: workspace.environments.map((env) => ({
      name: env.name,
      from: env.from ?? null,
      deployers: env.deployers,
      gates: env.gates.map((gate) => ({ kind: gate.kind, ...gate.declared })),
      dotenv: env.dotenv,
      manifests: rel(env.manifests) ?? null,
      deploy: env.deploy ?? null,
    })),
    services: workspace.services.map((service) => ({
      name: service.name,
      image: service.image,
      manifests: rel(service.manifests) ?? null,
    })),
    ledger: workspace.ledger,
    // What `stagecraft drift` runs, and how.
    drift: {
      main: drift.main,
      iacOnly: drift.iacOnly,
      ignoreRules: drift.ignore.length,
      kubernetes: Object.entries(drift.kubernetes).map(([environment, reach]) => ({
        environment,
        context: 'context' in reach ? reach.context : null,
        kubeconfig: 'context' in reach ? (rel(reach.kubeconfig) ?? null) : null,
        live: 'live' in reach ? rel(reach.live) : null,
      })),
      terraform: workspace.environments.flatMap((env) =>
        env.terraform.plan ? [{ environment: env.name, plan: rel(env.terraform.plan) }] : [],
      ),
      hotfix: drift.hotfix,
      deps: drift.deps,
      freshness: Object.entries(drift.freshness).map(([environment, limits]) => ({
        environment,
        maxBehind: limits.maxBehind ?? null,
        maxAge: limits.maxAge?.text ?? null,
      })),
    },
    server: {
      oidc: workspace.server.oidc.map((issuer) => ({
        issuer: issuer.issuer,
        audiences: issuer.audiences,
        rules: issuer.rules.map((rule) => ({
          claims: rule.claims,
          role: rule.role,
          environments: rule.environments ?? null,
        })),
      })),
    },
  };
  // Which CI jobs the server believes, and as whom: one row per rule.
  const trusted = data.server.oidc.flatMap((issuer) =>
    issuer.rules.map((rule) => [
      issuer.issuer,
      Object.entries(rule.claims)
        .map(([claim, values]) => `${claim}=${values.join('|')}`)
        .join(' '),
      `${rule.role}${rule.environments ? ` in ${rule.environments.join(', ')}` : ''}`,
    ]),
  );
  // Who feeds the gates besides the deployers: the other half of "who may do what".
  const roles: [string, readonly string[]][] = [
    ['report tests', workspace.ledger.reporters],
    ['verify', workspace.ledger.verifiers],
    ['reject', workspace.ledger.rejecters],
    ['approve', workspace.ledger.approvers],
  ];
  const gatesOf = (name: string) => {
    const env = workspace.environments.find((candidate) => candidate.name === name);
    return env?.gates.length ? env.gates.map(describeGate).join(', ') : 'none';
  };
  const driftRows: string[][] = [
    ...data.drift.kubernetes.map((k) => [
      `kubernetes ${k.environment}`,
      k.live
        ? `live objects from ${k.live}`
        : `kubectl context ${k.context}${k.kubeconfig ? ` (${k.kubeconfig})` : ''}`,
    ]),
    ...data.drift.terraform.map((tf) => [`terraform ${tf.environment}`, `plan ${tf.plan}`]),
    ...data.drift.hotfix.map((env) => [`hotfix ${env}`, `deployed commits merged into ${data.drift.main}`]),
    ...data.drift.deps.map(([left, right]) => [`deps ${left}↔${right}`, 'lockfiles of the deployed commits']),
    ...data.drift.freshness.map((f) => [
      `freshness ${f.environment}`,
      [
        ...(f.maxBehind !== null ? [`at most ${f.maxBehind} commits`] : []),
        ...(f.maxAge !== null ? [`at most ${f.maxAge}`] : []),
      ].join(' and ') || 'reported, no threshold',
    ]),
  ];
  const fromOf = (from: string | null) => (from === null ? 'built here' : `from ${from}`);

  ctx.output.report({
    data,
    text: (s) =>
      [
        `${s.bold(data.name)} ${s.dim(data.file)}`,
        '',
        s.bold('Promotion chain'),
        ...data.chains.map((chain) => `  ${chain.join(s.dim(' → '))}`),
        '',
        s.bold('Environments'),
        textTable([
          ['', 'promoted', 'deployers', '.env', 'gates'].map((h) => s.dim(h)),
          ...data.environments.map((env) => [
            s.cyan(env.name),
            fromOf(env.from),
            env.deployers.join(', '),
            env.dotenv ? 'read' : 'ignored',
            gatesOf(env.name),
          ]),
        ]),
        ...(data.services.length
          ? ['', s.bold('Services'), textTable(data.services.map((svc) => [s.cyan(svc.name), svc.image]))]
          : []),
        '',
        s.bold('Ledger roles'),
        textTable(roles.map(([action, who]) => [s.cyan(action), who.join(', ')])),
        ...(driftRows.length
          ? [
              '',
              s.bold(`Drift (stagecraft drift; main is ${data.drift.main})`),
              textTable(driftRows.map(([what, how]) => [s.cyan(what ?? ''), how ?? ''])),
            ]
          : []),
        ...(trusted.length
          ? [
              '',
              s.bold('CI identities (OIDC)'),
              textTable([['issuer', 'claims', 'acts as'].map((h) => s.dim(h)), ...trusted]),
            ]
          : []),
      ].join('\n'),
    markdown: () =>
      [
        `# ${data.name}`,
        '',
        '## Promotion chain',
        '',
        ...data.chains.map((chain) => `- ${chain.join(' → ')}`),
        '',
        '## Environments',
        '',
        markdownTable(
          ['Environment', 'Promoted', 'Deployers', '.env', 'Gates'],
          data.environments.map((env) => [
            env.name,
            fromOf(env.from),
            env.deployers.join(', '),
            env.dotenv ? 'read' : 'ignored',
            gatesOf(env.name),
          ]),
        ),
        ...(data.services.length
          ? [
              '',
              '## Services',
              '',
              markdownTable(
                ['Service', 'Image repository'],
                data.services.map((svc) => [svc.name, svc.image]),
              ),
            ]
          : []),
        '',
        '## Ledger roles',
        '',
        markdownTable(
          ['Action', 'Roles'],
          roles.map(([action, who]) => [action, who.join(', ')]),
        ),
        ...(driftRows.length
          ? ['', `## Drift (main is ${data.drift.main})`, '', markdownTable(['Source', 'How'], driftRows)]
          : []),
        ...(trusted.length
          ? ['', '## CI identities (OIDC)', '', markdownTable(['Issuer', 'Claims', 'Acts as'], trusted)]
          : []),
      ].join('\n'),
  });
  return ExitCode.Clean;
}
