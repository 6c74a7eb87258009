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
}

/** A gate kind's check over its typed options (validated when stagecraft.yaml loaded): undefined when it passes. */
export type EvaluateGate<K extends GateKind> = (
  options: Readonly<GateOptions[K]>,
  context: GateContext,
) => Promise<GateFailure | undefined> | GateFailure | undefined;
