/**
 * `stagecraft facts collect`: what parity needs to know about a running environment, asked of the running
 * environment — the cluster's version and nodes through kubectl (with the user's own kubeconfig and
 * context), each database's version from the database itself (PostgreSQL: `SHOW server_version`). Written as
 * facts.json, in the shape `stagecraft parity` reads.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { kubectlJson } from '../kubernetes/kubectl.ts';
import { FactsCodes } from './errors.ts';

export interface CollectOptions {
  context?: string | undefined;
  kubeconfig?: string | undefined;
  /** name → connection URL */
  databases: Record<string, string>;
  env: Readonly<Record<string, string | undefined>>;
}

export interface CollectedFacts {
  kubernetes: { serverVersion: Record<string, string> };
  databases: { name: string; engine: string; server_version: string }[];
  nodes: { count: number; instanceTypes: string[] };
}

export async function collectFacts(options: CollectOptions): Promise<CollectedFacts> {
  const serverVersion = kubectlJson(options, ['version', '-o', 'json'], 'serverVersion')[
    'serverVersion'
  ] as Record<string, string>;
  const nodeList = kubectlJson(options, ['get', 'nodes', '-o', 'json'], 'items') as unknown as {
    items: { metadata?: { labels?: Record<string, string> } }[];
  };
  const instanceTypes = [
    ...new Set(
      nodeList.items
        .map(
          (node) =>
            node.metadata?.labels?.['node.kubernetes.io/instance-type'] ??
            node.metadata?.labels?.['beta.kubernetes.io/instance-type'],
        )
        .filter((type): type is string => typeof type === 'string'),
    ),
  ].sort();
  const databases = [];
  for (const [name, url] of Object.entries(options.databases))
    databases.push(await databaseVersion(name, url));
  return { kubernetes: { serverVersion }, databases, nodes: { count: nodeList.items.length, instanceTypes } };
}

async function databaseVersion(
  name: string,
  url: string,
): Promise<{ name: string; engine: string; server_version: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StagecraftError(FactsCodes.FACTS_DATABASE_URL, `the URL for database ${name} is not a URL`, {
      hint: 'give --database NAME=postgres://user@host:5432/db (the password may come from PGPASSWORD)',
    });
  }
  // Shown without credentials: a URL often carries a password.
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StagecraftError(
      FactsCodes.FACTS_DATABASE_ENGINE,
      `cannot collect from ${shown}: only PostgreSQL URLs are supported`,
      {
        hint: 'for MySQL, write databases[].server_version into facts.json from SELECT VERSION()',
      },
    );
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return { name, engine: 'postgresql', server_version: result.rows[0]?.server_version ?? '' };
  } catch (error) {
    throw new StagecraftError(
      FactsCodes.FACTS_DATABASE_UNREACHABLE,
      `cannot ask ${shown} for its version: ${(error as Error).message}`,
      {
        hint: 'check that the database is reachable from here and the credentials are right',
      },
    );
  } finally {
    await client.end().catch(() => {});
  }
}
