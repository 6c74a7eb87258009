import type { RuleSpec } from './types.ts';

export const infraRules: RuleSpec[] = [];
