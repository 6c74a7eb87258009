/**
 * The `server:` section beyond its shape: the URLs it accepts, the rules that need the rest of the file (an
 * environment a rule names must be declared; a rule for GitHub's shared issuer must name a repository), and
 * its conversion to the settings the server reads. A rule that could never match, or that would admit every
 * repository on GitHub, is a problem at its line when stagecraft.yaml loads, not a surprise at the first
 * deployment.
 */
import { resolve } from 'node:path';
import type { Problem } from '../errors.ts';
import type { KeyPath, YamlSource } from '../yaml/document.ts';
import { environmentReferences, unknownEnvironmentHint } from './environment-names.ts';
import { WorkspaceCodes } from './errors.ts';
import type { JwksSource, OidcIssuer, ServerSettings } from './model.ts';

/**
 * The signature algorithms a token may use: asymmetric ones only. `none` is no signature at all, and an HS*
 * token would be verified with a key everyone can fetch from the issuer's JWKS.
 */
export const OIDC_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** One rule of `server.oidc[].rules` as written. */
export interface OidcRuleInput {
  claims: Record<string, string | string[]>;
  role: string;
  environments?: string[];
}

/** One entry of `server.oidc` as written. */
export interface OidcIssuerInput {
  issuer: string;
  audience: string | string[];
  jwks?: string;
  algorithms?: string[];
  rules: OidcRuleInput[];
}

export interface ServerInput {
  oidc?: OidcIssuerInput[];
}

/** Hosts plain http is accepted for: this machine, where tests serve a JWKS. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A value written as a URL (a scheme and ://) rather than as a file path. */
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Undefined for an https URL (or http on this machine), else what to write instead. Keys and discovery
 * documents fetched over plain http could be replaced on the way, and with them every identity.
 */
export function httpsUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'write a full URL, e.g. https://token.actions.githubusercontent.com';
  }
  if (url.username !== '' || url.password !== '') return 'leave credentials out of the URL';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK.has(url.hostname)
      ? undefined
      : 'use https: keys fetched over plain http can be replaced on the way (http is accepted for localhost and 127.0.0.1 only, for tests)';
  }
  return `use an https:// URL, not ${url.protocol}//`;
}

/** An issuer is an https URL without query or fragment (OpenID Connect Discovery 1.0, section 2). */
export function issuerProblem(text: string): string | undefined {
  const problem = httpsUrlProblem(text);
  if (problem !== undefined) return problem;
  const url = new URL(text);
  return url.search !== '' || url.hash !== ''
    ? 'an issuer has no ?query or #fragment: write it exactly as its tokens\u2019 "iss" claim does'
    : undefined;
}

/** `jwks:` is a URL or a file path; a URL is held to the issuer's rules. */
export function jwksProblem(text: string): string | undefined {
  return URL_LIKE.test(text) ? httpsUrlProblem(text) : undefined;
}

/** GitHub Actions' issuer, shared by every repository on GitHub: any of them can mint a token for any audience. */
const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com';

/** Claims that tie a GitHub token to one repository or owner (`sub` starts with `repo:OWNER/NAME`). */
const GITHUB_PINNING_CLAIMS = [
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'sub',
];

type Loose = Record<string, unknown>;
const asMap = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The rules of `server:` that need more than its shape, on the raw document (the shape reports wrong types);
 * `environments` are the names the workspace declares, or its defaults.
 */
export function checkServerSettings(
  input: Loose,
  source: YamlSource,
  environments: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const references = environmentReferences(input);
  const issuers = new Map<string, number>();
  asList(asMap(input['server'])?.['oidc']).forEach((entry, index) => {
    const at: KeyPath = ['server', 'oidc', index];
    const issuer = asMap(entry)?.['issuer'];
    if (typeof issuer === 'string') {
      const first = issuers.get(issuer);
      if (first === undefined) issuers.set(issuer, index);
      else {
        problems.push({
          code: WorkspaceCodes.WORKSPACE_OIDC_DUPLICATE_ISSUER,
          severity: 'error',
          message: `issuer ${issuer} is declared twice, in server.oidc[${first}] and server.oidc[${index}]`,
          path: `server.oidc[${index}].issuer`,
          location: source.locate([...at, 'issuer']),
          hint: 'declare each issuer once: list its audiences under one entry and put all its rules there, in the order they are tried',
        });
      }
    }
    const github = typeof issuer === 'string' && hostOf(issuer) === GITHUB_ISSUER_HOST;
    asList(asMap(entry)?.['rules']).forEach((rule, ruleIndex) => {
      const ruleAt: KeyPath = [...at, 'rules', ruleIndex];
      const claims = asMap(asMap(rule)?.['claims']);
      if (github && claims !== undefined && Object.keys(claims).length > 0) {
        if (!GITHUB_PINNING_CLAIMS.some((claim) => claim in claims)) {
          problems.push({
            code: WorkspaceCodes.WORKSPACE_OIDC_RULE_UNPINNED,
            severity: 'error',
            message: `rule ${ruleIndex + 1} of ${issuer} names no repository, so a workflow of any repository on GitHub would match it`,
            path: `server.oidc[${index}].rules[${ruleIndex}].claims`,
            location: source.locate([...ruleAt, 'claims']),
            expected: `one of the claims ${GITHUB_PINNING_CLAIMS.join(', ')}`,
            hint: 'add the repository, e.g. claims: { repository: acme/shop, ref: refs/heads/main }',
          });
        }
      }
      if (environments.length === 0) return;
      asList(asMap(rule)?.['environments']).forEach((name, nameIndex) => {
        if (typeof name !== 'string' || environments.includes(name)) return;
        problems.push({
          code: WorkspaceCodes.WORKSPACE_UNKNOWN_ENVIRONMENT,
          severity: 'error',
          message: `rule ${ruleIndex + 1} of ${String(issuer)} names environment "${name}", which is not declared`,
          path: `server.oidc[${index}].rules[${ruleIndex}].environments[${nameIndex}]`,
          location: source.locate([...ruleAt, 'environments', nameIndex]),
          expected: `one of ${environments.join(', ')}`,
          hint: unknownEnvironmentHint(name, environments, references),
        });
      });
    });
  });
  return problems;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The settings of a `server:` section the shape and rules have accepted; `root` resolves a JWKS file. */
export function toServerSettings(input: ServerInput | undefined, root: string): ServerSettings {
  return { oidc: (input?.oidc ?? []).map((issuer) => toOidcIssuer(issuer, root)) };
}

function toOidcIssuer(input: OidcIssuerInput, root: string): OidcIssuer {
  return {
    issuer: input.issuer,
    audiences: typeof input.audience === 'string' ? [input.audience] : input.audience,
    jwks: jwksSource(input, root),
    algorithms: input.algorithms ?? OIDC_ALGORITHMS,
    rules: input.rules.map((rule) => ({
      claims: Object.fromEntries(
        Object.entries(rule.claims).map(([claim, value]) => [
          claim,
          typeof value === 'string' ? [value] : value,
        ]),
      ),
      role: rule.role,
      environments: rule.environments,
    })),
  };
}

function jwksSource(input: OidcIssuerInput, root: string): JwksSource {
  if (input.jwks === undefined) {
    // OpenID Connect Discovery 1.0, section 4: a trailing "/" of the issuer is removed before the suffix.
    return {
      kind: 'discovery',
      url: `${input.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    };
  }
  return URL_LIKE.test(input.jwks)
    ? { kind: 'url', url: input.jwks }
    : { kind: 'file', path: resolve(root, input.jwks) };
}
