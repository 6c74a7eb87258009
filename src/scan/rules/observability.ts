import type { RuleSpec } from './types.ts';

export const observabilityRules: RuleSpec[] = [];
