import type { SourceLocation } from '../errors.ts';
import type { KeyPath } from '../yaml/document.ts';

/** The gate kinds the promotion rules know. */
export type GateKind = 'tests' | 'soak' | 'approvals' | 'window';

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Each gate kind's options, checked and given their defaults when stagecraft.yaml loads (gate-options.ts). */
export interface GateOptions {
  /** A passing test report for the artifact's commit; no options. */
  tests: Record<string, never>;
  soak: {
    /** How long, as written (e.g. "1h"), for messages; default 1h. */
    duration: string;
    /** The same in milliseconds. */
    durationMs: number;
  };
  approvals: {
    /** Approvers other than the commit's author; default 1. */
    count: number;
  };
  window: {
    /** Default: every day. */
    days: readonly Weekday[];
    /** "HH:MM" on a 24-hour clock, the first minute inside; default 00:00. */
    opens: string;
    /** "HH:MM", or "24:00", the first minute outside; later than `opens`; default 24:00. */
    closes: string;
    /** An IANA time zone; default UTC. */
    timezone: string;
  };
}

/** A gate of one kind: its typed options, and its options as written, to show the gate as declared. */
export interface GateOf<K extends GateKind> {
  kind: K;
  options: Readonly<GateOptions[K]>;
  declared: Readonly<Record<string, unknown>>;
}

/** A gate an artifact must pass before it is deployed to an environment. */
export type Gate = { [K in GateKind]: GateOf<K> }[GateKind];

export interface DeployStep {
  command?: string | readonly string[];
  [key: string]: unknown;
}

export interface Environment {
  name: string;
  /** The environment whose artifact is promoted here; undefined for the start of the chain. */
  from: string | undefined;
  deployers: readonly string[];
  gates: readonly Gate[];
  /** Whether `.env` files may be read in this environment. */
  dotenv: boolean;
  /** Absolute path of the rendered manifests folder, when declared. */
  manifests: string | undefined;
  facts: string | undefined;
  terraform: { plan?: string; state?: string };
  deploy: DeployStep | undefined;
}

export interface Service {
  name: string;
  image: string;
  manifests: string | undefined;
}

export interface ConfigSection {
  /** Absolute path of the module whose default export defines the app's config. */
  module: string;
  /** Whether stagecraft.yaml has a `config` section (the paths are defaults otherwise). */
  declared: boolean;
  base: string;
  /** Absolute pattern with `{env}` in it. */
  files: string;
}

/** The ledger's own rules, defaults applied. */
export interface LedgerSettings {
  /** Roles that may report test results for the tests gate. */
  reporters: readonly string[];
  /** Roles that may record verifications, which soaks read. */
  verifiers: readonly string[];
  /** Roles that may reject an artifact everywhere. */
  rejecters: readonly string[];
  /** Roles that may approve a promotion (never the commit's author); CI is not among the defaults. */
  approvers: readonly string[];
  /** Milliseconds without a heartbeat after which a running deploy step's pending entry may be taken over. */
  staleAfterMs: number;
}

/** Where an OpenID Connect issuer's signing keys (its JWKS) are read from. */
export type JwksSource =
  /** The issuer's discovery document, whose `jwks_uri` names the keys: the URL of that document. */
  | { kind: 'discovery'; url: string }
  | { kind: 'url'; url: string }
  /** A JWKS file, as an absolute path; read again when it changes. */
  | { kind: 'file'; path: string };

/** One rule mapping a verified token's claims to an identity: the first rule whose claims all match wins. */
export interface OidcRule {
  /** Claim name → the values accepted, any of them; each value is compared exactly. Never empty. */
  claims: Readonly<Record<string, readonly string[]>>;
  role: string;
  /** The environments an identity this rule makes acts in; undefined = every environment its role allows. */
  environments: readonly string[] | undefined;
}

/** An OpenID Connect issuer whose tokens the server accepts as bearer tokens, e.g. GitHub Actions'. */
export interface OidcIssuer {
  /** Exactly as its tokens' `iss` claim reads. */
  issuer: string;
  /** The `aud` values accepted; a token must carry one of them. */
  audiences: readonly string[];
  jwks: JwksSource;
  /** The signature algorithms accepted, all asymmetric; default every one of OIDC_ALGORITHMS. */
  algorithms: readonly string[];
  rules: readonly OidcRule[];
}

/** The `stagecraft serve` settings, defaults applied. */
export interface ServerSettings {
  /** Issuers whose tokens are accepted, in declared order; default none. */
  oidc: readonly OidcIssuer[];
}

export interface Workspace {
  /** Absolute path of stagecraft.yaml. */
  file: string;
  /** The folder holding stagecraft.yaml; relative paths in it are resolved against this. */
  root: string;
  name: string;
  /** In declared order, which is promotion order. */
  environments: readonly Environment[];
  services: readonly Service[];
  config: ConfigSection;
  ledger: LedgerSettings;
  server: ServerSettings;
  secrets: Readonly<Record<string, unknown>>;
  /**
   * Absolute folders `ref+file://` may read under: the workspace root, then `secrets.file.roots` (or its
   * defaults) resolved against it.
   */
  secretFileRoots: readonly string[];
  scan: Readonly<Record<string, unknown>>;
  parity: Readonly<Record<string, unknown>>;
  drift: Readonly<Record<string, unknown>>;
  /** The `lint` section as written (validated by the schema when the file loads). */
  lint: Readonly<{
    environmentVariables?: readonly string[];
    environmentFields?: readonly string[];
    allow?: readonly Readonly<{ path: string; reason: string }>[];
  }>;
  /** Where a key of stagecraft.yaml is written, for problems later checks report against it. */
  locate(path: KeyPath): SourceLocation;
}
