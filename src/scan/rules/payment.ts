import type { RuleSpec } from './types.ts';

export const paymentRules: RuleSpec[] = [];
