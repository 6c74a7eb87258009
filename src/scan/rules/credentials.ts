import type { RuleSpec } from './types.ts';

export const credentialsRules: RuleSpec[] = [];
