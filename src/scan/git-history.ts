/**
 * History and pull-request scans: every change a run of commits made, from `git log -p`, scanned for
 * secrets. Each finding names the commit that added it, its author and date, and whether the secret is still
 * in the tree at HEAD — a secret deleted since is still compromised (anyone with a clone has it), but the
 * fix differs: rotate it, versus rotate it and remove it.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { readBlobs, runGit, runGitAsync } from '../git/run.ts';
import { ScanEngine } from './engine.ts';
import { GitCodes, ScanCodes } from './errors.ts';
import { type Finding, revealSecret } from './finding.ts';
import { emptyLogStats, type FilePatch, type LogStats, logPatches } from './git-log.ts';
import { buildRuleSet, type CustomRuleDefinition } from './rule-set.ts';
import { emptySummary, type ScanSummary, scanText } from './scanner.ts';
import { recordSkip } from './skipped-files.ts';
import { DEFAULT_MAX_FILE_BYTES } from './walk.ts';

export type HistoryScope =
  | { kind: 'history'; branches: 'current' | 'all' }
  | { kind: 'range'; range: string };

export interface HistoryScanOptions {
  /** The repository's top level. */
  root: string;
  scope: HistoryScope;
  customRules: readonly CustomRuleDefinition[];
  maxFileBytes?: number;
  onProgress?: (stats: LogStats) => void;
  /** git processes to split the log over (default: one per core, up to four). */
  logProcesses?: number;
}

export interface HistorySummary extends ScanSummary {
  root: string;
  commits: number;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistorySummary> {
  const root = options.root;
  const revisions = resolveScope(root, options.scope);
  const stats = emptyLogStats();
  // git starts on the log, and HEAD's files are read alongside it, before the rules are compiled: the scan
  // mostly waits on git, so what node does meanwhile is free.
  const streams =
    revisions === undefined
      ? Promise.resolve([])
      : logPatches(
          root,
          revisions,
          stats,
          options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
          options.logProcesses,
        );
  streams.catch(() => {});
  const head = revisions === undefined ? Promise.resolve(undefined) : headTexts(root);
  const engine = new ScanEngine(buildRuleSet(options.customRules));
  // One finding per fingerprint (rule, file, secret, occurrence): the log runs newest first, so of the
  // commits that add it, the last in the log is the one that introduced it.
  const findings = new Map<string, { finding: Finding; order: number }>();
  const suppressed = new Map<string, { entry: ScanSummary['suppressed'][number]; order: number }>();
  let files = 0;
  let lastProgress = 0;
  const scanPatch = (patch: FilePatch) => {
    files++;
    const scratch = emptySummary();
    scanText(engine, patch.text, patch.path, patch.bytes, scratch);
    const place = (finding: Finding) => {
      finding.line = patch.lineNumbers[finding.line - 1] ?? finding.line;
      finding.endLine = patch.lineNumbers[finding.endLine - 1] ?? finding.endLine;
      finding.commit = patch.commit;
    };
    for (const finding of scratch.findings) {
      place(finding);
      const known = findings.get(finding.fingerprint);
      if (!known || known.order <= patch.order)
        findings.set(finding.fingerprint, { finding, order: patch.order });
    }
    for (const entry of scratch.suppressed) {
      place(entry.finding);
      const known = suppressed.get(entry.finding.fingerprint);
      if (!known || known.order <= patch.order) {
        suppressed.set(entry.finding.fingerprint, { entry, order: patch.order });
      }
    }
    if (options.onProgress && files - lastProgress >= 500) {
      lastProgress = files;
      options.onProgress(stats);
    }
  };
  await readAll(await streams, scanPatch);
  const summary: HistorySummary = {
    ...emptySummary(),
    root,
    commits: stats.commits,
    findings: [...findings.values()].map((known) => known.finding),
    suppressed: [...suppressed.values()].map((known) => known.entry),
    scanned: { files, bytes: stats.bytes },
  };
  for (const file of stats.skipped) recordSkip(summary.skipped, file);
  markPresentAtHead(root, summary.findings, await head);
  summary.findings.sort(
    (a, b) =>
      (a.commit?.date ?? '').localeCompare(b.commit?.date ?? '') ||
      a.file.localeCompare(b.file) ||
      a.line - b.line,
  );
  return summary;
}

/**
 * Reads the streams side by side, each patch handed to `handle` as it comes. The first stream to fail stops
 * the others (which ends their git) and its error is thrown.
 */
async function readAll(
  streams: readonly AsyncGenerator<FilePatch>[],
  handle: (patch: FilePatch) => void,
): Promise<void> {
  let failed = false;
  const results = await Promise.allSettled(
    streams.map(async (stream) => {
      try {
        for await (const patch of stream) {
          if (failed) break;
          handle(patch);
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** The rev-list arguments for a scope, after checking that git knows every revision named. */
function resolveScope(root: string, scope: HistoryScope): string[] | undefined {
  const shallow = runGit(root, ['rev-parse', '--is-shallow-repository']).toString().trim() === 'true';
  if (scope.kind === 'history') {
    if (shallow) {
      throw new StagecraftError(
        GitCodes.GIT_SHALLOW_CLONE,
        'this is a shallow clone: its history is incomplete',
        {
          hint: 'fetch the whole history first: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)',
        },
      );
    }
    if (scope.branches === 'all') return ['--all'];
    // A repository without commits has no history to scan: clean, not an error.
    return verify(root, 'HEAD') ? ['HEAD'] : undefined;
  }
  const parts = /^(.*?)(\.\.\.?)(.*)$/.exec(scope.range);
  if (!parts || parts[1] === '' || parts[3] === '') {
    throw new StagecraftError(ScanCodes.SCAN_BAD_OPTION, `--range takes BASE..HEAD, found "${scope.range}"`, {
      hint: 'e.g. --range origin/main..HEAD: the commits HEAD has that origin/main does not',
    });
  }
  for (const revision of [parts[1] as string, parts[3] as string]) {
    if (verify(root, revision)) continue;
    throw new StagecraftError(GitCodes.GIT_UNKNOWN_REVISION, `git does not know the revision "${revision}"`, {
      hint: shallow
        ? 'this is a shallow clone: fetch the base too (actions/checkout with fetch-depth: 0, or git fetch --deepen=100 origin <base>)'
        : `check the name, or fetch it first (git fetch origin ${revision.replace(/^origin\//, '')})`,
    });
  }
  return [scope.range];
}

function verify(root: string, revision: string): boolean {
  const out = runGit(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], {
    acceptedStatuses: [1, 128],
  });
  return out.length > 0;
}

/** HEAD's text files held in memory for the presence check up to this size; past it, git grep searches. */
const MAX_HEAD_TEXT_BYTES = 32 * 1024 * 1024;
/** git's test for a binary file: a NUL byte in the first this-many bytes. */
const BINARY_PROBE_BYTES = 8000;

/**
 * The text of every regular file in HEAD's tree that `git grep -I` would search, one after another with a
 * newline between (a probe is one line, so it cannot match across two files), read without blocking.
 * Undefined when there is no HEAD, when HEAD is too large to hold, or when a file there has a `diff`
 * attribute (git's own binary test then differs from the NUL check): the caller falls back to git grep.
 */
async function headTexts(root: string): Promise<string | undefined> {
  try {
    const listing = (await runGitAsync(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', 'HEAD']))
      .toString('utf8')
      .split('\0');
    const ids: string[] = [];
    const paths: string[] = [];
    let total = 0;
    for (const entry of listing) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, id, size] = entry.slice(0, tab).split(/ +/);
      if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !id) continue;
      total += Number(size);
      if (total > MAX_HEAD_TEXT_BYTES) return undefined;
      ids.push(id);
      paths.push(entry.slice(tab + 1));
    }
    if (ids.length === 0) return '';
    const [attributes, blobs] = await Promise.all([
      runGitAsync(root, ['check-attr', '-z', '--stdin', 'diff'], { input: `${paths.join('\0')}\0` }),
      runGitAsync(root, ['cat-file', '--batch'], { input: `${ids.join('\n')}\n` }),
    ]);
    const fields = attributes.toString('utf8').split('\0');
    for (let i = 2; i < fields.length; i += 3) if (fields[i] !== 'unspecified') return undefined;
    const texts: string[] = [];
    let offset = 0;
    for (let i = 0; i < ids.length; i++) {
      const headerEnd = blobs.indexOf(10, offset);
      if (headerEnd < 0) return undefined;
      const size = Number(blobs.subarray(offset, headerEnd).toString('latin1').split(' ')[2]);
      if (!Number.isInteger(size)) return undefined;
      const blob = blobs.subarray(headerEnd + 1, headerEnd + 1 + size);
      offset = headerEnd + 1 + size + 1;
      if (!blob.subarray(0, BINARY_PROBE_BYTES).includes(0)) texts.push(blob.toString('utf8'));
    }
    return texts.join('\n');
  } catch {
    return undefined;
  }
}

/**
 * Whether each finding's secret is still somewhere in HEAD's tree (a multi-line secret is searched by its
 * longest line): looked up in HEAD's text files when they were read alongside the log, otherwise with one
 * `git grep` for all of them, after which the files it names are read to tell which secret is in which.
 * Patterns go to git on standard input, never on a command line others can read.
 */
function markPresentAtHead(root: string, findings: Finding[], head: string | undefined): void {
  for (const finding of findings) finding.presentAtHead = false;
  if (findings.length === 0) return;
  const probe = (finding: Finding) =>
    (revealSecret(finding) ?? '')
      .split('\n')
      .map((line) => line.trim())
      .reduce((a, b) => (b.length > a.length ? b : a), '');
  if (head !== undefined) {
    const present = presentIn(head, new Set(findings.map(probe)));
    for (const finding of findings) finding.presentAtHead = present.has(probe(finding));
    return;
  }
  if (!verify(root, 'HEAD')) return;
  const probes = [...new Set(findings.map(probe).filter((p) => p.length >= 4))];
  if (probes.length === 0) return;
  const listed = runGit(root, ['grep', '-F', '-z', '-l', '-I', '-f', '-', 'HEAD', '--'], {
    input: `${probes.join('\n')}\n`,
    acceptedStatuses: [1],
  })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  if (listed.length === 0) return;
  const contents = readBlobs(root, listed).map((blob) => blob?.toString('utf8') ?? '');
  for (const finding of findings) {
    const text = probe(finding);
    finding.presentAtHead = text.length >= 4 && contents.some((content) => content.includes(text));
  }
}

/** Probes are looked up by a hash of their first this-many characters; shorter ones one by one. */
const KEY_CHARS = 8;
const HASH_BASE = 0x01000193;

/**
 * Which of `probes` (4 characters or longer) occur in `text`, in one pass over it: a rolling hash of every
 * KEY_CHARS-character window is looked up among the probes' first KEY_CHARS characters, and a hit is compared
 * in full. As exact as `text.includes(probe)` for each, without reading the text once per probe.
 */
function presentIn(text: string, probes: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const byKey = new Map<number, string[]>();
  const filter = new Uint8Array(1 << 20);
  for (const probe of probes) {
    if (probe.length < 4) continue;
    if (probe.length < KEY_CHARS) {
      if (text.includes(probe)) found.add(probe);
      continue;
    }
    let hash = 0;
    for (let i = 0; i < KEY_CHARS; i++) hash = (Math.imul(hash, HASH_BASE) + probe.charCodeAt(i)) | 0;
    const list = byKey.get(hash);
    if (list) list.push(probe);
    else byKey.set(hash, [probe]);
    filter[hash & 0xfffff] = 1;
  }
  if (byKey.size === 0) return found;
  let outFactor = 1;
  for (let i = 0; i < KEY_CHARS; i++) outFactor = Math.imul(outFactor, HASH_BASE);
  let hash = 0;
  for (let end = 0; end < text.length; end++) {
    hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(end)) | 0;
    if (end < KEY_CHARS - 1) continue;
    if (end >= KEY_CHARS) hash = (hash - Math.imul(text.charCodeAt(end - KEY_CHARS), outFactor)) | 0;
    if (filter[hash & 0xfffff] === 0) continue;
    const start = end - KEY_CHARS + 1;
    for (const probe of byKey.get(hash) ?? []) {
      if (!found.has(probe) && text.startsWith(probe, start)) found.add(probe);
    }
  }
  return found;
}
