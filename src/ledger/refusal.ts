import { StagecraftError } from '@stagecraft/config/errors';
// Declares the ledger's codes wherever a refusal can be thrown: its throw sites still pass them as strings,
// and an error takes its outcome from its code's declaration.
import './errors.ts';

/** An action the ledger's rules do not allow: exit 2, with the rule that refused it, and an audit entry. */
export class Refusal extends StagecraftError {}
