/**
 * Environment facts (`facts.json` beside the manifests): the cluster's version as `kubectl version -o json`
 * prints `serverVersion`, the databases' versions as they print them, and the nodes. Versions are reduced to
 * what their makers call a major version before comparing: Kubernetes major.minor (`"31+"` and
 * `v1.31.4-eks-…` are 1.31), PostgreSQL ≥ 10 its first number (9.6 before that), MySQL/MariaDB major.minor.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import {
  INPUT_LIMITS,
  isJsonObject,
  isPresent,
  jsonKind,
  mismatch,
  readJsonFile,
} from '@stagecraft/config/input';
import { FactsCodes } from '../facts/errors.ts';

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

const HINT = 'regenerate it with stagecraft facts collect, or fix it by hand';

export function readFacts(file: string): Facts | undefined {
  if (!isPresent(file)) return undefined;
  const data = readJsonFile(file, {
    what: 'facts file',
    maxBytes: INPUT_LIMITS.authored,
    code: FactsCodes.FACTS_INVALID,
    hint: HINT,
  });
  const invalid = (path: string, expected: string, found: unknown) =>
    new StagecraftError(FactsCodes.FACTS_INVALID, `facts file ${path} ${mismatch(expected, found)}`, {
      location: { file },
      hint: HINT,
    });
  if (!isJsonObject(data)) {
    throw new StagecraftError(
      FactsCodes.FACTS_INVALID,
      `facts file is not a JSON object (found ${jsonKind(data)})`,
      {
        location: { file },
        hint: HINT,
      },
    );
  }
  const kubernetes = data['kubernetes'];
  if (kubernetes !== undefined && !isJsonObject(kubernetes))
    throw invalid('kubernetes', 'an object', kubernetes);
  const server = kubernetes?.['serverVersion'];
  if (server !== undefined && !isJsonObject(server))
    throw invalid('kubernetes.serverVersion', 'an object (kubectl version -o json)', server);
  for (const key of ['major', 'minor', 'gitVersion']) {
    if (server?.[key] !== undefined && typeof server[key] !== 'string')
      throw invalid(`kubernetes.serverVersion.${key}`, 'a string', server[key]);
  }
  const databases = data['databases'] ?? [];
  if (!Array.isArray(databases)) throw invalid('databases', 'a list', databases);
  const nodes = data['nodes'];
  if (nodes !== undefined && !isJsonObject(nodes)) throw invalid('nodes', 'an object', nodes);
  if (nodes?.['count'] !== undefined && typeof nodes['count'] !== 'number')
    throw invalid('nodes.count', 'a number', nodes['count']);
  const types = nodes?.['instanceTypes'];
  if (types !== undefined && !(Array.isArray(types) && types.every((type) => typeof type === 'string')))
    throw invalid('nodes.instanceTypes', 'a list of strings', types);
  const version = server as Record<string, string> | undefined;
  return {
    file,
    kubernetes: version ? kubernetesVersion(version) : undefined,
    kubernetesRaw:
      version?.['gitVersion'] ?? (version ? `${version['major']}.${version['minor']}` : undefined),
    databases: databases.map((db: unknown, index) => {
      if (!isJsonObject(db)) throw invalid(`databases[${index}]`, 'an object', db);
      if (
        typeof db['name'] !== 'string' ||
        typeof db['engine'] !== 'string' ||
        typeof db['server_version'] !== 'string'
      ) {
        throw new StagecraftError(
          FactsCodes.FACTS_INVALID,
          `${file}: databases[${index}] needs name, engine and server_version`,
          {
            location: { file },
            hint: 'server_version is what the database prints (PostgreSQL: SHOW server_version; MySQL: SELECT VERSION())',
          },
        );
      }
      return { name: db['name'], engine: db['engine'].toLowerCase(), serverVersion: db['server_version'] };
    }),
    nodes: nodes as Facts['nodes'],
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
