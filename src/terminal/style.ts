import { isAbsolute, relative, sep } from 'node:path';

/**
 * How text is shown on one stream: colour, decided once per stream (off under NO_COLOR, off when not a TTY, on
 * under FORCE_COLOR), and paths, shown relative to the workspace.
 */
export interface Style {
  readonly enabled: boolean;
  /** A file as a report names it: relative to the workspace's folder (or the working directory without one). */
  path(file: string): string;
  /** A message with every absolute path inside the workspace shown relative to it. */
  paths(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (enabled: boolean, open: number, close: number) => (text: string) =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function createStyle(enabled: boolean, root?: string): Style {
  return {
    enabled,
    path: (file) => (root === undefined || !isAbsolute(file) ? file : inside(root, file)),
    paths: (text) => (root === undefined ? text : text.split(`${root}${sep}`).join('')),
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/**
 * An explicit --color/--no-color wins; then NO_COLOR (https://no-color.org: any non-empty value) and
 * FORCE_COLOR; otherwise colour only on a terminal.
 */
export function shouldColor(
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] !== undefined) return env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return isTTY === true;
}

/** A path inside the workspace relative to it; one outside (a mounted secret, /tmp) stays absolute. */
function inside(root: string, file: string): string {
  const shown = relative(root, file);
  if (shown === '') return '.';
  return shown === '..' || shown.startsWith(`..${sep}`) || isAbsolute(shown) ? file : shown;
}
