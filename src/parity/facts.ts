/**
 * Environment facts (`facts.json` beside the manifests): the cluster's version as `kubectl version -o json`
 * prints `serverVersion`, the databases' versions as they print them, and the nodes. Versions are reduced to
 * what their makers call a major version before comparing: Kubernetes major.minor (`"31+"` and
 * `v1.31.4-eks-…` are 1.31), PostgreSQL ≥ 10 its first number (9.6 before that), MySQL/MariaDB major.minor.
 */
import { StagecraftError } from '../errors.ts';
import { readJsonFile } from '../input/json.ts';
import { INPUT_LIMITS, isPresent } from '../input/read-file.ts';

export interface DatabaseFact {
  name: string;
  engine: string;
  serverVersion: string;
}

export interface Facts {
  file: string;
  kubernetes: string | undefined;
  /** The version as printed, for reports. */
  kubernetesRaw: string | undefined;
  databases: DatabaseFact[];
  nodes: { count?: number; instanceTypes?: string[] } | undefined;
}

export function readFacts(file: string): Facts | undefined {
  if (!isPresent(file)) return undefined;
  const data = readJsonFile(file, {
    what: 'facts file',
    maxBytes: INPUT_LIMITS.authored,
    code: 'FACTS_INVALID',
    hint: 'regenerate it with stagecraft facts collect, or fix it by hand',
  }) as Record<string, unknown>;
  const server = (data['kubernetes'] as { serverVersion?: Record<string, string> } | undefined)
    ?.serverVersion;
  const databases = Array.isArray(data['databases']) ? (data['databases'] as Record<string, unknown>[]) : [];
  return {
    file,
    kubernetes: server ? kubernetesVersion(server) : undefined,
    kubernetesRaw: server?.['gitVersion'] ?? (server ? `${server['major']}.${server['minor']}` : undefined),
    databases: databases.map((db, index) => {
      if (
        typeof db['name'] !== 'string' ||
        typeof db['engine'] !== 'string' ||
        typeof db['server_version'] !== 'string'
      ) {
        throw new StagecraftError(
          'FACTS_INVALID',
          `${file}: databases[${index}] needs name, engine and server_version`,
          {
            location: { file },
            hint: 'server_version is what the database prints (PostgreSQL: SHOW server_version; MySQL: SELECT VERSION())',
          },
        );
      }
      return { name: db['name'], engine: db['engine'].toLowerCase(), serverVersion: db['server_version'] };
    }),
    nodes: data['nodes'] as Facts['nodes'],
  };
}

/** major.minor from kubectl's serverVersion; managed clusters append `+` to the minor and vendor suffixes. */
export function kubernetesVersion(server: Record<string, string>): string | undefined {
  const major = /\d+/.exec(server['major'] ?? '')?.[0];
  const minor = /\d+/.exec(server['minor'] ?? '')?.[0];
  if (major && minor) return `${major}.${minor}`;
  const git = /v?(\d+)\.(\d+)/.exec(server['gitVersion'] ?? '');
  return git ? `${git[1]}.${git[2]}` : undefined;
}

/** The major version as the engine defines it, from the text the server prints. */
export function databaseMajor(engine: string, version: string): string {
  const match = /(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return version;
  const [, major = '', minor] = match;
  if (engine === 'postgresql' || engine === 'postgres') {
    return Number(major) >= 10 || minor === undefined ? major : `${major}.${minor}`;
  }
  if (engine === 'mysql' || engine === 'mariadb' || engine === 'aurora-mysql') {
    return minor === undefined ? major : `${major}.${minor}`;
  }
  return major;
}
