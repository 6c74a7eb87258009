import type { RuleSpec } from './types.ts';

export const aiRules: RuleSpec[] = [];
