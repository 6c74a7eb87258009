/** Dependency skew between two commits or two environments: lockfiles of every kind, compared. */
export type { ChangeKind, PackageChange, TransitiveGroup } from './compare.ts';
export type { LockfileFormat } from './lock-graph.ts';
export {
  type CommitComparison,
  type CompareOptions,
  compareCommitDependencies,
  compareEnvironmentDependencies,
  type DepsCounts,
  type DepsReport,
  depsFindings,
  type EnvironmentCommits,
  environmentCommits,
  type LockfileDifference,
  type NotCompared,
  type UnreadableLockfile,
} from './report.ts';
