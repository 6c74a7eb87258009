/**
 * `GET /v1/events`: server-sent events telling a dashboard that the ledger changed, so it fetches again
 * without a reload. The server keeps no state for it: each stream polls the audit log's length (one row of
 * `audit_head`, which every ledger write updates) about once a second and sends an event when it moved — so a
 * write through any server on the same PostgreSQL reaches every stream. A comment line every 15 s keeps
 * proxies from closing an idle stream. A stream ends when its client goes or the server stops.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers } from '../route.ts';

export interface EventOptions {
  /** How often each stream reads the ledger's change count. */
  pollMs?: number | undefined;
  /** How long a stream may stay silent before a comment line is sent. */
  pingMs?: number | undefined;
  /** Aborted when the server stops: every stream ends, so closing does not wait for them. */
  stopping?: AbortSignal | undefined;
  /** Where a failed poll is logged. */
  log?: ((line: string) => void) | undefined;
}

const EVENT_STREAM_DESCRIPTION = [
  'A text/event-stream. The first event, `ledger`, carries `{"count": N}`: the audit log’s length.',
  'Each later `ledger` event says the ledger changed (N moved): fetch what you show again.',
  'Comment lines (`: ping`) keep the stream alive; EventSource cannot send a bearer token, so read it with fetch.',
].join(' ');

export function eventRoutes(
  app: OpenAPIHono<AuthenticatedEnv>,
  ledger: Ledger,
  options: EventOptions = {},
): void {
  const pollMs = options.pollMs ?? 1000;
  const pingMs = options.pingMs ?? 15_000;
  const log = options.log ?? (() => {});
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/events',
      tags: ['views'],
      security: bearer,
      summary: 'Server-sent events: one each time the ledger changes',
      responses: {
        200: {
          description: EVENT_STREAM_DESCRIPTION,
          content: { 'text/event-stream': { schema: z.string() } },
        },
        ...errorAnswers,
      },
    }),
    (c) =>
      streamSSE(c, async (stream) => {
        const stopping = options.stopping;
        // One wake-up for every way a stream ends: its client went, or the server stops.
        let wake = () => {};
        const ended = () => stream.aborted || stopping?.aborted === true;
        stream.onAbort(() => wake());
        const onStop = () => wake();
        stopping?.addEventListener('abort', onStop, { once: true });
        try {
          await follow();
        } catch (error) {
          // The stream ends; EventSource-style clients reconnect after `retry`. No detail goes to the client.
          log(`GET /v1/events: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          stopping?.removeEventListener('abort', onStop);
        }

        async function follow(): Promise<void> {
          let count = await ledger.changeCount();
          let lastSent = Date.now();
          let failing = false;
          await stream.writeSSE({ event: 'ledger', data: JSON.stringify({ count }), retry: 3000 });
          while (!ended()) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, pollMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            if (ended()) break;
            let now: number;
            try {
              now = await ledger.changeCount();
              failing = false;
            } catch (error) {
              // The database may be back at the next poll; the client keeps its stream meanwhile, and the log
              // gets one line per outage, not one a second.
              if (!failing) log(`GET /v1/events: ${error instanceof Error ? error.message : String(error)}`);
              failing = true;
              now = count;
            }
            if (now !== count) {
              count = now;
              await stream.writeSSE({ event: 'ledger', data: JSON.stringify({ count }) });
              lastSent = Date.now();
            } else if (Date.now() - lastSent >= pingMs) {
              await stream.write(': ping\n\n');
              lastSent = Date.now();
            }
          }
        }
      }),
  );
}
