import type { RuleSpec } from './types.ts';

export const emailRules: RuleSpec[] = [];
