import { StagecraftError } from '@stagecraft/config/errors';

/** An action the ledger's rules do not allow: exit 2, with the rule that refused it, and an audit entry. */
export class Refusal extends StagecraftError {}
