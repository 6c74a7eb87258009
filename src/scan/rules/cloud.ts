import type { RuleSpec } from './types.ts';

export const cloudRules: RuleSpec[] = [];
