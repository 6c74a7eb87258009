/** Every built-in rule. Each module holds one family of formats; ids are unique across all of them. */
import { aiRules } from './ai.ts';
import { alertingRules } from './alerting.ts';
import { azureRules } from './azure.ts';
import { chatRules } from './chat.ts';
import { ciRules } from './ci.ts';
import { cloudRules } from './cloud.ts';
import { credentialsRules } from './credentials.ts';
import { developerApisRules } from './developer-apis.ts';
import { emailRules } from './email.ts';
import { genericRules } from './generic.ts';
import { hostingRules } from './hosting.ts';
import { infraRules } from './infra.ts';
import { observabilityRules } from './observability.ts';
import { paymentRules } from './payment.ts';
import { privateKeysRules } from './private-keys.ts';
import { registriesRules } from './registries.ts';
import { saasRules } from './saas.ts';
import { secretManagersRules } from './secret-managers.ts';
import type { RuleSpec } from './types.ts';
import { vcsRules } from './vcs.ts';

export const builtinRules: readonly RuleSpec[] = [
  ...cloudRules,
  ...azureRules,
  ...hostingRules,
  ...vcsRules,
  ...registriesRules,
  ...secretManagersRules,
  ...ciRules,
  ...infraRules,
  ...chatRules,
  ...paymentRules,
  ...emailRules,
  ...aiRules,
  ...observabilityRules,
  ...alertingRules,
  ...saasRules,
  ...developerApisRules,
  ...privateKeysRules,
  ...credentialsRules,
  ...genericRules,
];
