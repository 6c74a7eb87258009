/**
 * The dashboard: a static page at `/` and its assets at `/assets/NAME`, plain files from the `dashboard/`
 * folder beside the server's modules (copied into dist/ by the build), read once and served from memory — a
 * name outside that folder's listing is simply not found, so no path from a request reaches the file system.
 * The page holds no data: it asks for a token and reads the /v1 API with it, like any other client.
 *
 * Every answer carries a Content-Security-Policy that allows scripts, styles and connections from this
 * origin only (no inline script, no framing), so a value the page renders from the ledger cannot run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Context } from 'hono';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { ServerCodes } from '../errors.ts';
import { bodyOf } from '../problem.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers of every dashboard answer. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // The page is small and changes with the installed version: always revalidated, by its ETag.
  'Cache-Control': 'no-cache',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

/**
 * Where the dashboard's files are: beside this module's folder in the sources and in tsc's output
 * (src/server/dashboard, dist/server/dashboard), or two folders up from the CLI's bundled chunks
 * (dist/cli/chunks → dist/server/dashboard).
 */
export function dashboardFolder(from: string = import.meta.url): string | undefined {
  const here = fileURLToPath(new URL('.', from));
  const candidates = ['../dashboard', '../../server/dashboard', '../server/dashboard'].map((relative) =>
    join(here, relative),
  );
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** The folder's files by name, read once. */
export function readDashboard(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (!entry.isFile() || type === undefined) continue;
    const body = new Uint8Array(readFileSync(join(dir, entry.name)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(entry.name, { body, type, etag });
  }
  return assets;
}

export function dashboardRoutes(
  app: OpenAPIHono<AuthenticatedEnv>,
  dir: string | undefined = dashboardFolder(),
): void {
  let assets: Map<string, Asset> | undefined;
  const serve = (c: Context, name: string) => {
    assets ??= dir === undefined ? new Map() : readDashboard(dir);
    const asset = assets.get(name);
    if (!asset) {
      const error =
        name === 'index.html'
          ? new StagecraftError(ServerCodes.SERVER_NOT_FOUND, 'this installation has no dashboard files', {
              hint: 'reinstall stagecraft; the API under /v1 works without them',
            })
          : new StagecraftError(ServerCodes.SERVER_NOT_FOUND, `the dashboard has no file ${name}`, {
              hint: 'open / for the dashboard',
            });
      return c.json(bodyOf(error), 404);
    }
    for (const [header, value] of Object.entries(DASHBOARD_HEADERS)) c.header(header, value);
    c.header('ETag', asset.etag);
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(asset.body, 200);
  };
  app.get('/', (c) => serve(c, 'index.html'));
  app.get('/assets/:name', (c) => serve(c, c.req.param('name')));
}
