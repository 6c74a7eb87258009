// Types of sse.js, for the tests that run it in Node; the browser loads sse.js as it is.
export interface ServerSentEvent {
  type: string;
  data: string;
  id: string | undefined;
}

export function createSseParser(onEvent: (event: ServerSentEvent) => void): { push(chunk: string): void };
