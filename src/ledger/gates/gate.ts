/** What every gate module is given and answers: the artifact at one moment, and why it does not pass yet. */

import type { GateKind, GateOptions } from '@stagecraft/config/workspace';
import type { Transaction } from 'kysely';
import type { ArtifactRow, Database } from '../schema.ts';

export interface GateContext {
  trx: Transaction<Database>;
  artifact: ArtifactRow;
  service: string;
  environment: string;
  from: string | undefined;
  now: Date;
  /** The highest rehearsal mark that counts: rehearsed reports, verifications and approvals only in rehearsal. */
  visible: number;
}

export interface GateFailure {
  gate: GateKind;
  message: string;
  /** What would make it pass. */
  hint: string;
  /**
   * Set when the gate can never pass for this artifact, whatever time or evidence brings: what would start
   * over (a new artifact, …). A promotion it blocks is not worth waiting for.
   */
  blocked?: { reset: string } | undefined;
}

/** A gate kind's check over its typed options (validated when stagecraft.yaml loaded): undefined when it passes. */
export type EvaluateGate<K extends GateKind> = (
  options: Readonly<GateOptions[K]>,
  context: GateContext,
) => Promise<GateFailure | undefined> | GateFailure | undefined;
