/**
 * What one lockfile says, reduced to what a comparison needs: each package's resolved versions, which
 * packages are direct dependencies (of the root project or of a workspace), and which packages each one
 * pulls in. Every format's reader builds one through LockGraphBuilder, which bounds the work: a lockfile of
 * aliases that name the same map over and over costs little to parse but could cost a walk without end.
 */
import { type SourceLocation, StagecraftError } from '@stagecraft/config/errors';
import { DriftCodes } from '../errors.ts';

export type LockfileFormat = 'npm' | 'pnpm' | 'yarn-v1' | 'yarn-berry' | 'bun' | 'terraform';

export interface LockGraph {
  format: LockfileFormat;
  /** Package name → every version the lockfile resolves it to (several when nested copies differ). */
  versions: Map<string, Set<string>>;
  /** Names of direct dependencies: the root importer's and each workspace's. */
  direct: Set<string>;
  /** Package name → the names it depends on, over all its versions. */
  edges: Map<string, Set<string>>;
}

/** Packages and dependency edges one lockfile may add: far above the largest real monorepo's. */
export const MAX_LOCK_ENTRIES = 2_000_000;

export class LockGraphBuilder {
  private readonly graph: LockGraph;
  private readonly file: string;
  private entries = 0;

  constructor(format: LockfileFormat, file: string) {
    this.graph = { format, versions: new Map(), direct: new Set(), edges: new Map() };
    this.file = file;
  }

  /** One resolved package. Names and versions that are not strings are the reader's to refuse. */
  add(name: string, version: string): void {
    this.count();
    let versions = this.graph.versions.get(name);
    if (!versions) {
      versions = new Set();
      this.graph.versions.set(name, versions);
    }
    versions.add(version);
  }

  direct(name: string): void {
    this.count();
    this.graph.direct.add(name);
  }

  depend(from: string, to: string): void {
    this.count();
    let targets = this.graph.edges.get(from);
    if (!targets) {
      targets = new Set();
      this.graph.edges.set(from, targets);
    }
    targets.add(to);
  }

  build(): LockGraph {
    return this.graph;
  }

  private count(): void {
    if (++this.entries > MAX_LOCK_ENTRIES) {
      throw new StagecraftError(
        DriftCodes.DEPS_LOCKFILE_TOO_LARGE,
        `lockfile has more than ${MAX_LOCK_ENTRIES} packages and dependencies`,
        {
          location: { file: this.file },
          hint: 'no real lockfile has this many; check that it is not built from aliases that repeat one map',
        },
      );
    }
  }
}

/** A lockfile that is not what its format says, at the line the parser found when it found one. */
export function invalidLockfile(
  file: string,
  message: string,
  line?: number,
  cause?: unknown,
): StagecraftError {
  const location: SourceLocation = line === undefined ? { file } : { file, line };
  return new StagecraftError(DriftCodes.DEPS_LOCKFILE_INVALID, message, {
    location,
    hint: 'regenerate it with its package manager, or resolve the merge conflict in it',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The value as a plain object, or undefined: lockfile sections are objects of strings or objects. */
export function objectAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The keys of an object section (dependencies, devDependencies, …), or none. */
export function keysOf(value: unknown): string[] {
  const object = objectAt(value);
  return object ? Object.keys(object) : [];
}

/** The line of an offset in a text, counted without copying it. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The dependency sections a package.json and most lockfile entries carry. */
export const DEPENDENCY_SECTIONS: readonly string[] = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
];
