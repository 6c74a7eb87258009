// The API as the page reads it: JSON calls with the bearer token, and the event stream read with fetch().
import { createSseParser } from './sse.js';

/** An answer other than 2xx, with the API's error body (code, message, hint) when it sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && typeof body === 'object' ? body.error : undefined;
    super(error?.message ?? `the server answered ${status}`);
    this.status = status;
    this.code = error?.code;
    this.hint = error?.hint;
  }
}

function headers(token, extra = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** One API call; the parsed JSON answer, or an ApiError. */
export async function call(token, method, path, body) {
  const response = await fetch(path, {
    method,
    headers: headers(token, {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    }),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/**
 * Reads /v1/events until the stream ends (resolves) or fails (rejects; an ApiError for a refusal). Each
 * `ledger` event's data is passed to `onChange`.
 */
export async function followEvents(token, { onOpen, onChange, signal }) {
  const response = await fetch('/v1/events', {
    headers: headers(token, { accept: 'text/event-stream' }),
    cache: 'no-store',
    credentials: 'omit',
    signal,
  });
  if (!response.ok) {
    let body;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw new ApiError(response.status, body);
  }
  onOpen();
  const parser = createSseParser((event) => {
    if (event.type !== 'ledger') return;
    try {
      onChange(JSON.parse(event.data));
    } catch {
      onChange({});
    }
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.push(value);
  }
}
