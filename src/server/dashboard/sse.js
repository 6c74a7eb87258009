// A reader of server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html), for a stream
// fetched with an Authorization header: EventSource cannot send one. Chunks may split a line anywhere, even
// between the \r and \n of one line ending.

/**
 * A parser: give it the stream's text as it arrives; it calls `onEvent({ type, data, id })` for each event.
 * Comment lines (": ping") and events without data are not events.
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let type = '';
  let data = [];
  let lastId;
  let skipNewline = false;

  const line = (text) => {
    if (text === '') {
      if (data.length > 0) onEvent({ type: type || 'message', data: data.join('\n'), id: lastId });
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  return {
    push(chunk) {
      let text = chunk;
      if (skipNewline && text.startsWith('\n')) text = text.slice(1);
      skipNewline = false;
      buffer += text;
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        if (end === -1) break;
        const crAtEnd = buffer[end] === '\r' && end === buffer.length - 1;
        const width = buffer.startsWith('\r\n', end) ? 2 : 1;
        line(buffer.slice(0, end));
        buffer = buffer.slice(end + width);
        // A lone \r at the end of a chunk may be the first half of \r\n: the next chunk's \n is not a line.
        if (crAtEnd) skipNewline = true;
      }
    },
  };
}
