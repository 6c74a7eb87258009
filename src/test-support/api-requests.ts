/**
 * Requests to a server's API as a client would send them — any Authorization header, any body, streamed or
 * not — with every answer kept, so a test can search all that the server said (for a token, say).
 */

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered.
  body: any;
  text: string;
  headers: Headers;
}

export interface Sent {
  /** The token, sent as Authorization: Bearer. */
  token?: string | undefined;
  /** Or the whole Authorization header. */
  authorization?: string;
  /** An object is sent as JSON; a string or a stream as it is. */
  body?: unknown;
  contentType?: string;
}

export interface RecordingClient {
  send(method: string, path: string, sent?: Sent): Promise<Answer>;
  /** Every answer so far, with the request it answered. */
  answers: { request: string; answer: Answer }[];
}

export function recordingClient(url: string): RecordingClient {
  const answers: RecordingClient['answers'] = [];
  const send = async (method: string, path: string, sent: Sent = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    const authorization = sent.authorization ?? (sent.token ? `Bearer ${sent.token}` : undefined);
    if (authorization !== undefined) headers['authorization'] = authorization;
    let body: RequestInit['body'];
    if (sent.body !== undefined) {
      const raw = typeof sent.body === 'string' || sent.body instanceof ReadableStream;
      body = raw ? (sent.body as RequestInit['body']) : JSON.stringify(sent.body);
      headers['content-type'] = sent.contentType ?? 'application/json';
    }
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      // A stream is sent in chunks, without Content-Length.
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    const answer = { status: response.status, body: parsed, text, headers: response.headers };
    answers.push({ request: `${method} ${path}`, answer });
    return answer;
  };
  return { send, answers };
}

/** A body of `bytes` bytes, streamed in 64 KiB chunks (Transfer-Encoding: chunked, no Content-Length). */
export function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const size = Math.min(left, 64 * 1024);
      if (size === 0) return controller.close();
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
}
