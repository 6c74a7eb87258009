/** Workspace texts that must be invalid, for tests: their problems, or the one problem. */
import assert from 'node:assert/strict';
import { type Problem, StagecraftError } from '../errors.ts';
import { parseWorkspace } from '../workspace/load.ts';

/** Where the tests' stagecraft.yaml is said to be. */
export const WORKSPACE_FILE = '/repo/stagecraft.yaml';

/** Parses text that must be invalid and returns its problems. */
export function problemsOf(text: string): Problem[] {
  try {
    parseWorkspace(text, WORKSPACE_FILE);
  } catch (error) {
    assert.ok(error instanceof StagecraftError);
    assert.equal(error.code, 'WORKSPACE_INVALID');
    return [...error.problems];
  }
  assert.fail('expected the workspace to be invalid');
}

export function onlyProblem(text: string): Problem {
  const problems = problemsOf(text);
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 2));
  return problems[0] as Problem;
}
