import type { RuleSpec } from './types.ts';

export const registriesRules: RuleSpec[] = [];
