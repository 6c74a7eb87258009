import type { RuleSpec } from './types.ts';

export const privateKeysRules: RuleSpec[] = [];
