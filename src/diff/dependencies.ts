/** Dependency versions that differ between the commits the two environments run (src/drift/deps/). */
import { isStagecraftError } from '@stagecraft/config/errors';
import {
  compareEnvironmentDependencies,
  type DepsReport,
  type UnreadableLockfile,
} from '../drift/deps/index.ts';
import { DriftCodes } from '../drift/errors.ts';
import type { Running } from './artifacts.ts';
import type { DiffInputs, Section, SectionError } from './section.ts';
import { failed, skipped } from './section.ts';

export type DependenciesData = DepsReport;

const commitsOf = (name: string, sides: Running['left']) => ({
  name,
  services: new Map([...sides].map(([service, side]) => [service, side.commit])),
});

export async function dependenciesSection(
  inputs: DiffInputs,
  running: Running | Error,
): Promise<Section<DependenciesData>> {
  if (running instanceof Error) return failed(running, 'dependencies');
  const left = commitsOf(inputs.left, running.left);
  const right = commitsOf(inputs.right, running.right);
  const shared = [...left.services].filter(([service]) => right.services.has(service));
  if (shared.length === 0)
    return skipped(`no service has a successful deployment in both ${inputs.left} and ${inputs.right}`);
  if (shared.every(([service, commit]) => right.services.get(service) === commit)) {
    return {
      status: 'same',
      summary: 'every service runs the same commit on both sides: the same lockfiles',
      data: null,
      error: null,
    };
  }
  if (inputs.repository instanceof Error) return failed(inputs.repository, 'dependencies');
  let report: DepsReport;
  try {
    report = await compareEnvironmentDependencies(inputs.repository, left, right, {
      ...(inputs.gitEnv ? { gitEnv: inputs.gitEnv } : {}),
    });
  } catch (error) {
    if (isStagecraftError(error, DriftCodes.DRIFT_NO_DEPLOYMENT)) return skipped(error.message);
    throw error;
  }
  const c = report.counts;
  if (report.verdict === 'unreadable') {
    return {
      status: 'error',
      summary: `${c.unreadable} ${c.unreadable === 1 ? 'lockfile' : 'lockfiles'} could not be read`,
      data: report,
      error: unreadableError(report),
    };
  }
  return {
    status: report.verdict === 'skew' ? 'differs' : 'same',
    summary:
      report.verdict === 'skew'
        ? `${c.changed} changed, ${c.added} added, ${c.removed} removed ${c.changed + c.added + c.removed === 1 ? 'package' : 'packages'}${c.lockfilesAddedOrRemoved ? `, ${c.lockfilesAddedOrRemoved} lockfiles on one side only` : ''}`
        : 'the lockfiles at the deployed commits agree',
    data: report,
    error: null,
  };
}

/** The first lockfile that could not be read stands for the section's error; data lists them all. */
function unreadableError(report: DepsReport): SectionError {
  const first = report.comparisons.flatMap((comparison) => comparison.unreadable)[0] as UnreadableLockfile;
  return {
    code: first.code,
    message: `${first.path} at ${first.commit.slice(0, 7)}: ${first.message}`,
    hint: first.hint ?? null,
  };
}
