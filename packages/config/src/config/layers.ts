/**
 * Reading the file-based sources once per loader: YAML config files, `.env` files and secret directories.
 * A missing file is simply an absent layer; a broken one is a problem with its location.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Problem } from '../errors.ts';
import { INPUT_LIMITS, isPresent, readInputFile } from '../input/read-file.ts';
import { parseYamlSource, type YamlSource } from '../yaml/document.ts';
import { type DotenvEntry, dotenvRecord, parseDotenv } from './dotenv-parse.ts';
import { ConfigCodes } from './errors.ts';
import { toScreamingSnake } from './naming.ts';

export interface YamlLayer {
  file: string;
  source: YamlSource | undefined;
  problems: Problem[];
}

/**
 * A missing file is an absent layer; one that is there but cannot be read (a folder, a FIFO, a link that
 * loops, a file over the cap) throws: the config cannot be evaluated without it.
 */
export function readYamlLayer(file: string): YamlLayer {
  if (!isPresent(file)) return { file, source: undefined, problems: [] };
  const text = readInputFile(file, { what: 'config file', maxBytes: INPUT_LIMITS.authored });
  const source = parseYamlSource(text, file, ConfigCodes.CONFIG_YAML_SYNTAX);
  if (source.syntaxProblems.length > 0) return { file, source: undefined, problems: source.syntaxProblems };
  const value = source.value;
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    return {
      file,
      source: undefined,
      problems: [
        {
          code: ConfigCodes.CONFIG_YAML_NOT_A_MAP,
          severity: 'error',
          message: 'a config file must be a map of keys to values',
          location: source.locate([]),
          hint: 'write one `key: value` per line, e.g. `db_host: "${DB_HOST}"`',
        },
      ],
    };
  }
  return { file, source, problems: [] };
}

export interface DotenvLayer {
  file: string;
  entries: Map<string, DotenvEntry> | undefined;
}

export function readDotenvLayer(file: string): DotenvLayer {
  if (!isPresent(file)) return { file, entries: undefined };
  const text = readInputFile(file, { what: '.env file', maxBytes: INPUT_LIMITS.authored });
  return { file, entries: dotenvRecord(parseDotenv(text)) };
}

/** Secret files larger than this are refused: a mounted secret is a value, not a payload. */
export const MAX_SECRET_FILE_BYTES: number = 64 * 1024;

export interface SecretDirectory {
  dir: string;
  /** Variable name (file name normalised to SCREAMING_SNAKE) → file path. */
  files: Map<string, string>;
  problems: Problem[];
}

/**
 * Lists a directory with one file per key, as Kubernetes and Docker mount secrets. Kubernetes mounts each
 * key as a symlink into `..data`, which it swaps atomically on update, so entries starting with `.` are
 * skipped and symlinks are followed, but only while they stay inside the directory.
 */
export function listSecretDirectory(dir: string): SecretDirectory {
  const result: SecretDirectory = { dir, files: new Map(), problems: [] };
  if (!existsSync(dir)) {
    result.problems.push({
      code: ConfigCodes.CONFIG_SECRETS_DIR_MISSING,
      severity: 'error',
      message: `secrets directory ${dir} does not exist`,
      location: { file: dir },
      hint: 'mount the secret volume there, or correct secretsDir / STAGECRAFT_SECRETS_DIR',
    });
    return result;
  }
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const variable = toScreamingSnake(name);
    const path = join(dir, name);
    if (result.files.has(variable)) {
      result.problems.push({
        code: ConfigCodes.CONFIG_SECRET_FILE_CONFLICT,
        severity: 'error',
        message: `secret files ${result.files.get(variable)} and ${path} both provide ${variable}`,
        location: { file: path },
        hint: 'keep one file per key',
      });
      continue;
    }
    result.files.set(variable, path);
  }
  return result;
}

export type SecretFileRead = { ok: true; value: string } | { ok: false; message: string; hint: string };

/** Reads one secret file; `within` confines symlinks to a mounted directory. One trailing newline is dropped. */
export function readSecretFile(path: string, within?: string): SecretFileRead {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return {
      ok: false,
      message: `secret file ${path} cannot be read (missing or a broken link)`,
      hint: 'check the mount or the _FILE path',
    };
  }
  if (within !== undefined) {
    const base = realpathSync(within);
    if (real !== base && !real.startsWith(base + sep)) {
      return {
        ok: false,
        message: `secret file ${path} is a link leading out of ${within}`,
        hint: 'a mounted secret must stay inside its directory; this may be an attempt to read another file',
      };
    }
  }
  const stat = statSync(real);
  if (!stat.isFile())
    return { ok: false, message: `secret file ${path} is not a regular file`, hint: 'point it at a file' };
  if (stat.size > MAX_SECRET_FILE_BYTES) {
    return {
      ok: false,
      message: `secret file ${path} is ${stat.size} bytes, over the ${MAX_SECRET_FILE_BYTES}-byte limit`,
      hint: 'a secret file holds one value; check that the right file is mounted',
    };
  }
  const text = readFileSync(real, 'utf8');
  return {
    ok: true,
    value: text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text,
  };
}
