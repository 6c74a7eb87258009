import type { SourceLocation } from '../errors.ts';
import type { KeyPath } from '../yaml/document.ts';

/** A gate an artifact must pass before it is deployed to an environment. */
export interface Gate {
  kind: string;
  /** The gate's own settings (everything but `kind`); their meaning belongs to the promotion rules. */
  options: Readonly<Record<string, unknown>>;
}

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
  /** Milliseconds without a heartbeat after which a running deploy step's pending entry may be taken over. */
  staleAfterMs: number;
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
  secrets: Readonly<Record<string, unknown>>;
  /**
   * Absolute folders `ref+file://` may read under: the workspace root, then `secrets.file.roots` (or its
   * defaults) resolved against it.
   */
  secretFileRoots: readonly string[];
  scan: Readonly<Record<string, unknown>>;
  parity: Readonly<Record<string, unknown>>;
  drift: Readonly<Record<string, unknown>>;
  /** Where a key of stagecraft.yaml is written, for problems later checks report against it. */
  locate(path: KeyPath): SourceLocation;
}
