/** `tests`: a passing check reported for the artifact's commit (`stagecraft gate report tests pass`); the latest report decides. */
import type { EvaluateGate } from './gate.ts';

export const testsGate: EvaluateGate<'tests'> = async (_options, { trx, artifact, visible }) => {
  const report = await trx
    .selectFrom('gate_reports')
    .select(['result', 'actor', 'at'])
    .where('kind', '=', 'tests')
    .where('commit_sha', '=', artifact.commit_sha)
    .where('rehearsal', '<=', visible)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (report?.result === 'pass') return undefined;
  return {
    gate: 'tests',
    message: report
      ? `the tests of commit ${artifact.commit_sha.slice(0, 12)} failed (reported by ${report.actor} at ${report.at})`
      : `no test result is reported for commit ${artifact.commit_sha.slice(0, 12)}`,
    hint: `CI reports it: stagecraft gate report tests pass --commit ${artifact.commit_sha}`,
  };
};
