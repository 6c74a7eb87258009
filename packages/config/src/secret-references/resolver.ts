/**
 * Resolving references: each (backend, path, parameters) is read once per resolver, so a username and a
 * password taken from one secret come from the same read, and a reference used by three fields costs one
 * call. The pointer then selects inside what was read; a document stored as a string (a JSON secret, a YAML
 * file) is parsed for it.
 */

import { counted } from '../text/index.ts';
import { parseYaml } from '../yaml/document.ts';
import { type BackendContext, isLeased, SecretError, type SecretLease } from './backend.ts';
import { SecretCodes } from './errors.ts';
import { parseValue, type SecretReference } from './reference.ts';
import { loadBackend, POINTER_CHANGES_READ } from './registry.ts';

/** A read that came with a lease (a dynamic credential): what a later resolution may reuse while it lives. */
export interface LeasedRead {
  readonly value: unknown;
  readonly lease: SecretLease;
}

export class SecretResolver {
  private readonly reads = new Map<string, { promise: Promise<unknown>; by: string }>();
  /** Every reference resolved, for watching and for `run --redact`. */
  readonly resolved: SecretReference[] = [];
  /** The leases of what was read (dynamic credentials), for a LeaseKeeper to renew and revoke. */
  readonly leases: SecretLease[] = [];
  /** The leased reads, by what was read (backend, path, parameters): what a reload may pass as `reuse`. */
  readonly leasedReads: Map<string, LeasedRead> = new Map();

  /**
   * `reuse`: leased reads of an earlier resolution whose leases still run; a reference they answer is not
   * read again, so reloading a config does not take a new database credential for every reload.
   */
  constructor(
    readonly context: BackendContext,
    private readonly reuse: ReadonlyMap<string, LeasedRead> = new Map(),
  ) {}

  /** The value a reference names: a string, or a map or list when its pointer selects one. */
  async value(reference: SecretReference): Promise<unknown> {
    this.resolved.push(reference);
    return select(await this.read(reference), reference);
  }

  /**
   * What a reference's backend read, once per (backend, path, parameters). A failed read shared by several
   * references (`…#/username` and `…#/password`) is reported under each reference's own text, not under the
   * text of the one that happened to start the read.
   */
  private async read(reference: SecretReference): Promise<unknown> {
    const { promise, by } = this.startRead(reference);
    try {
      return await promise;
    } catch (error) {
      if (by === reference.text || !(error instanceof SecretError) || !error.message.startsWith(`${by}:`))
        throw error;
      throw new SecretError(error.code, reference.text + error.message.slice(by.length), {
        hint: error.hint,
        location: error.location,
        problems: error.problems,
        cause: error.cause,
      });
    }
  }

  /** A string with references in it, resolved: a whole reference may yield a map, embedded ones only text. */
  async resolveString(text: string): Promise<unknown> {
    const parsed = parseValue(text);
    switch (parsed.kind) {
      case 'plain':
        return text;
      case 'invalid':
        throw new SecretError(SecretCodes.SECRET_REFERENCE_INVALID, parsed.message, { hint: parsed.hint });
      case 'whole':
        return this.value(parsed.reference);
      case 'embedded': {
        const pieces = await Promise.all(
          parsed.parts.map(async (part) => {
            if (typeof part === 'string') return part;
            const value = await this.value(part);
            if (typeof value === 'string') return value;
            if (typeof value === 'number' || typeof value === 'boolean') return String(value);
            throw new SecretError(
              SecretCodes.SECRET_NOT_A_VALUE,
              `${part.text} names a ${Array.isArray(value) ? 'list' : 'map'}, which cannot be part of a longer string`,
              { hint: 'select one value with a pointer, e.g. #/password' },
            );
          }),
        );
        return pieces.join('');
      }
    }
  }

  /** Every string inside a value (lists and maps too), resolved. */
  async resolveDeep(raw: unknown): Promise<unknown> {
    if (typeof raw === 'string') return this.resolveString(raw);
    if (Array.isArray(raw)) return Promise.all(raw.map((item) => this.resolveDeep(item)));
    if (raw !== null && typeof raw === 'object') {
      const entries = await Promise.all(
        Object.entries(raw).map(async ([key, value]) => [key, await this.resolveDeep(value)] as const),
      );
      return Object.fromEntries(entries);
    }
    return raw;
  }

  private startRead(reference: SecretReference): { promise: Promise<unknown>; by: string } {
    const params = Object.entries(reference.params)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const shape = reference.pointer && POINTER_CHANGES_READ.has(reference.backend) ? '\0#' : '';
    const key = `${reference.backend}\0${reference.path}\0${params}${shape}`;
    let read = this.reads.get(key);
    const kept = read ? undefined : this.reuse.get(key);
    if (kept) {
      this.leases.push(kept.lease);
      this.leasedReads.set(key, kept);
      read = { promise: Promise.resolve(kept.value), by: reference.text };
      this.reads.set(key, read);
    } else if (!read) {
      const promise = loadBackend(reference)
        .then((backend) => backend.read(reference, this.context))
        .then((result) => {
          if (!isLeased(result)) return result;
          this.leases.push(result.lease);
          this.leasedReads.set(key, { value: result.value, lease: result.lease });
          return result.value;
        });
      promise.catch(() => {}); // reported by whoever awaits it
      read = { promise, by: reference.text };
      this.reads.set(key, read);
    }
    return read;
  }
}

/** Follows a reference's pointer into what its backend read. */
function select(document: unknown, reference: SecretReference): unknown {
  let node = document;
  const walked: string[] = [];
  for (const segment of reference.pointer ?? []) {
    if (typeof node === 'string') node = parseDocument(node, reference, walked);
    const at = walked.length
      ? `#/${walked.join('/')}`
      : reference.backend === 'env'
        ? 'the variable'
        : 'the value read';
    if (Array.isArray(node)) {
      const index = /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : Number.NaN;
      if (!(index < node.length)) {
        throw new SecretError(
          SecretCodes.SECRET_KEY_NOT_FOUND,
          `${reference.text}: ${at} is a list with no item ${segment}`,
          {
            hint: `it has ${counted(node.length, 'item')}, numbered from 0`,
          },
        );
      }
      node = node[index];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, segment)) {
        const keys = Object.keys(node);
        throw new SecretError(
          SecretCodes.SECRET_KEY_NOT_FOUND,
          `${reference.text}: ${at} has no key "${segment}"`,
          {
            hint: keys.length ? `its keys are ${keys.slice(0, 20).join(', ')}` : 'it has no keys',
          },
        );
      }
      node = (node as Record<string, unknown>)[segment];
    } else {
      throw new SecretError(
        SecretCodes.SECRET_NOT_JSON,
        `${reference.text}: ${at} is a single value, so #/${segment} cannot select from it`,
        {
          hint: 'remove the pointer to use the whole value',
        },
      );
    }
    walked.push(segment);
  }
  if (node === null || node === undefined) {
    throw new SecretError(SecretCodes.SECRET_NOT_FOUND, `${reference.text}: the value is empty (null)`, {
      hint: 'store a value there, or point at another key',
    });
  }
  return node;
}

/** A value stored as text that a pointer selects inside: JSON, or YAML for a .yaml/.yml file. */
function parseDocument(text: string, reference: SecretReference, walked: readonly string[]): unknown {
  const at = walked.length ? `#/${walked.join('/')}` : 'the value read';
  const yaml = reference.backend === 'file' && /\.ya?ml$/i.test(reference.path) && walked.length === 0;
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch {
    // The parser's message would quote the text, which is the secret.
    throw new SecretError(
      SecretCodes.SECRET_NOT_JSON,
      `${reference.text}: ${at} is not ${yaml ? 'YAML' : 'JSON'}, so a pointer cannot select inside it`,
      { hint: 'remove the pointer to use the whole value, or store the secret as a JSON object' },
    );
  }
}
