/** Every built-in rule. Each module holds one family of formats; ids are unique across all of them. */
import { aiRules } from './ai.ts';
import { chatRules } from './chat.ts';
import { cloudRules } from './cloud.ts';
import { credentialsRules } from './credentials.ts';
import { emailRules } from './email.ts';
import { genericRules } from './generic.ts';
import { infraRules } from './infra.ts';
import { observabilityRules } from './observability.ts';
import { paymentRules } from './payment.ts';
import { privateKeysRules } from './private-keys.ts';
import { registriesRules } from './registries.ts';
import { saasRules } from './saas.ts';
import type { RuleSpec } from './types.ts';
import { vcsRules } from './vcs.ts';

export const builtinRules: readonly RuleSpec[] = [
  ...cloudRules,
  ...vcsRules,
  ...registriesRules,
  ...infraRules,
  ...chatRules,
  ...paymentRules,
  ...emailRules,
  ...aiRules,
  ...observabilityRules,
  ...saasRules,
  ...privateKeysRules,
  ...credentialsRules,
  ...genericRules,
];
