import type { RuleSpec } from './types.ts';

export const chatRules: RuleSpec[] = [];
