/**
 * The width tables are fitted to: 100 columns, in a terminal and in a log alike, so that what a user sees
 * is what CI printed.
 */
export const TABLE_COLUMNS = 100;

const ESCAPES = /\u001b\[[0-9;]*m/g;

export function stripStyle(text: string): string {
  return text.replace(ESCAPES, '');
}

/** How many columns a styled string takes on a terminal: its length without the colour escape codes. */
export function visibleWidth(text: string): number {
  return [...text.replace(ESCAPES, '')].length;
}

/**
 * Breaks text into lines of at most `width` columns: at spaces, else after a `/`, `.`, `-`, `_`, `,` or `@`
 * of a long word, else anywhere — every character stays visible, only moved to the next line. A cell styled
 * as a whole keeps its style on every line.
 */
export function wrapText(text: string, width: number): string[] {
  if (visibleWidth(text) <= width) return [text];
  const styled = /^((?:\u001b\[[0-9;]*m)+)([^\u001b]*)((?:\u001b\[[0-9;]*m)+)$/.exec(text);
  const [open, plain, close] = styled
    ? [styled[1], styled[2], styled[3]]
    : ['', text.replace(ESCAPES, ''), ''];
  return wrapPlain(plain ?? '', width).map((line) => `${open}${line}${close}`);
}

function wrapPlain(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = [...text];
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    let skip = 1;
    if (cut <= 0) {
      skip = 0;
      cut = -1;
      for (let i = width - 1; i > 0; i--) {
        if ('/.-_,@'.includes(rest[i] as string)) {
          cut = i + 1;
          break;
        }
      }
      if (cut <= 0) cut = width;
    }
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut + skip);
  }
  lines.push(rest.join(''));
  return lines;
}
