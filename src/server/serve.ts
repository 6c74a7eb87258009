/**
 * Listening: the app on Node's HTTP server, and a shutdown that lets requests in flight finish (a promotion
 * half-sent is not cut) while new connections are refused. Nothing is kept in the process that another
 * server on the same database would need.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Hono } from 'hono';
import { ServerCodes } from './errors.ts';

export interface Listening {
  url: string;
  /** Stops accepting, waits up to `graceMs` for requests in flight, then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its environment's types.
export function listen(app: Hono<any, any, any>, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server.off('error', fail);
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: (graceMs = 5000) => closeServer(server, graceMs),
      });
    });
    const fail = (error: NodeJS.ErrnoException) => {
      reject(
        new StagecraftError(
          ServerCodes.SERVER_CANNOT_LISTEN,
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}`,
          {
            hint:
              error.code === 'EADDRINUSE'
                ? 'another process listens there: choose another --port'
                : 'check --host and --port',
          },
        ),
      );
    };
    server.once('error', fail);
  });
}

function closeServer(server: ReturnType<typeof serve>, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const http = server as import('node:http').Server;
    const timer = setTimeout(() => http.closeAllConnections?.(), graceMs);
    timer.unref();
    // A request that finishes during the grace leaves its keep-alive connection idle, and Node closes idle
    // connections only when asked: without asking again, closing would wait for the client to hang up (an
    // event stream's client keeps its connection, undici for 4 s).
    const idle = setInterval(() => http.closeIdleConnections?.(), 50);
    idle.unref();
    http.close(() => {
      clearTimeout(timer);
      clearInterval(idle);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}
