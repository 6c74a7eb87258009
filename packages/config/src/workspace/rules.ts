/**
 * Rules the schema alone cannot express: names, the promotion chain, image references and file patterns.
 */
import type { Problem } from '../errors.ts';
import type { YamlSource } from '../yaml/document.ts';
import { environmentReferences, unknownEnvironmentHint } from './environment-names.ts';
import { WorkspaceCodes } from './errors.ts';
import { describeValue } from './issues.ts';
import { NAME_PATTERN, NAME_RULE } from './schema.ts';

type Loose = Record<string, unknown>;
const asMap = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;

/** Runs on the raw document, beside the schema, so one pass reports both kinds of problem. */
export function checkWorkspaceRules(input: Loose, source: YamlSource): Problem[] {
  return [
    ...checkEnvironments(input, source),
    ...checkServices(input, source),
    ...checkConfig(input, source),
  ];
}

function checkEnvironments(input: Loose, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const environments = asMap(input['environments']);
  if (environments === undefined) return problems;
  const names = Object.keys(environments);
  const references = environmentReferences(input);
  if (names.length === 0) {
    problems.push({
      code: WorkspaceCodes.WORKSPACE_NO_ENVIRONMENTS,
      severity: 'error',
      message: 'environments is empty',
      location: source.locate(['environments']),
      hint: 'declare at least one environment, or remove the key to use dev, staging and production',
    });
  }
  names.forEach((name, index) => {
    if (!NAME_PATTERN.test(name)) {
      problems.push({
        code: WorkspaceCodes.WORKSPACE_INVALID_NAME,
        severity: 'error',
        message: `environment name "${name}" is not allowed`,
        path: `environments.${name}`,
        location: source.locate(['environments', name], { key: true }),
        expected: NAME_RULE,
        hint: 'names appear in paths, URLs and labels, so they are kept simple',
      });
    }
    const from = asMap(environments[name])?.['from'];
    if (typeof from !== 'string') return;
    const location = source.locate(['environments', name, 'from']);
    const path = `environments.${name}.from`;
    if (from === name) {
      problems.push({
        code: WorkspaceCodes.WORKSPACE_CHAIN_CYCLE,
        severity: 'error',
        message: `environment "${name}" is promoted from itself`,
        path,
        location,
        hint: 'name the environment before it in the chain, or remove `from` if it is the start',
      });
    } else if (!names.includes(from)) {
      problems.push({
        code: WorkspaceCodes.WORKSPACE_UNKNOWN_ENVIRONMENT,
        severity: 'error',
        message: `environment "${name}" is promoted from "${from}", which is not declared`,
        path,
        location,
        expected: `one of ${names.filter((other) => other !== name).join(', ')}`,
        hint: unknownEnvironmentHint(from, names, references),
      });
    } else if (names.indexOf(from) > index) {
      problems.push({
        code: WorkspaceCodes.WORKSPACE_CHAIN_ORDER,
        severity: 'error',
        message: `environment "${name}" is promoted from "${from}", which is declared after it`,
        path,
        location,
        hint: 'declare environments in promotion order (the map order is the chain), which also rules out cycles',
      });
    }
  });
  return problems;
}

/** `registry/repo` without a tag or digest: the digest is chosen per deployment, never pinned here. */
const REPOSITORY_PATTERN =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

function checkServices(input: Loose, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(asMap(input['services']) ?? {})) {
    if (!NAME_PATTERN.test(name)) {
      problems.push({
        code: WorkspaceCodes.WORKSPACE_INVALID_NAME,
        severity: 'error',
        message: `service name "${name}" is not allowed`,
        path: `services.${name}`,
        location: source.locate(['services', name], { key: true }),
        expected: NAME_RULE,
      });
    }
    const image = asMap(service)?.['image'];
    if (typeof image !== 'string' || image === '' || REPOSITORY_PATTERN.test(image)) continue;
    // A tag is a ':' in the last path segment (a registry's :port aside). Found by position, not by a regex
    // such as /:[^/]*$/, which scans to the next '/' once per ':' and takes minutes on a long value.
    const path = image.replace(/^[^/]*:[0-9]+\//, '');
    const pinned = image.includes('@') || path.slice(path.lastIndexOf('/') + 1).includes(':');
    problems.push({
      code: WorkspaceCodes.WORKSPACE_INVALID_IMAGE,
      severity: 'error',
      message: pinned
        ? `service "${name}" pins a tag or digest in its image repository`
        : `service "${name}" has an image repository that is not a valid reference`,
      path: `services.${name}.image`,
      location: source.locate(['services', name, 'image']),
      expected: 'a repository such as registry.example.com/team/app, without :tag or @sha256:',
      found: describeValue(image),
      hint: pinned
        ? `write "${image.split('@')[0]?.replace(/:[^/:]*$/, '')}"; the digest is recorded per deployment`
        : 'use lowercase path components separated by "/", with an optional registry host first',
    });
  }
  return problems;
}

function checkConfig(input: Loose, source: YamlSource): Problem[] {
  const files = asMap(input['config'])?.['files'];
  if (typeof files !== 'string' || files === '' || files.includes('{env}')) return [];
  return [
    {
      code: WorkspaceCodes.WORKSPACE_INVALID_VALUE,
      severity: 'error',
      message: 'config.files must contain {env}, the place of the environment name',
      path: 'config.files',
      location: source.locate(['config', 'files']),
      expected: 'a pattern such as config/{env}.yaml',
      found: describeValue(files),
    },
  ];
}
