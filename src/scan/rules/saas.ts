import type { RuleSpec } from './types.ts';

export const saasRules: RuleSpec[] = [];
