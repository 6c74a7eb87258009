/**
 * History and pull-request scans: every change a run of commits made, from `git log -p`, scanned for
 * secrets. Each finding names the commit that added it, its author and date, and whether the secret is still
 * in the tree at HEAD — a secret deleted since is still compromised (anyone with a clone has it), but the
 * fix differs: rotate it, versus rotate it and remove it.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { readBlobs, runGit } from '../git/run.ts';
import { ScanEngine } from './engine.ts';
import { GitCodes, ScanCodes } from './errors.ts';
import { type Finding, revealSecret } from './finding.ts';
import { emptyLogStats, filePatches, type LogStats } from './git-log.ts';
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
}

export interface HistorySummary extends ScanSummary {
  root: string;
  commits: number;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistorySummary> {
  const root = options.root;
  const revisions = resolveScope(root, options.scope);
  const engine = new ScanEngine(buildRuleSet(options.customRules));
  const stats = emptyLogStats();
  // One finding per fingerprint (rule, file, secret, occurrence): the log runs newest first, so the last
  // commit seen to add it is the one that introduced it.
  const findings = new Map<string, Finding>();
  const suppressed = new Map<string, ScanSummary['suppressed'][number]>();
  let files = 0;
  let lastProgress = 0;
  const patches =
    revisions === undefined
      ? []
      : filePatches(root, revisions, stats, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  for await (const patch of patches) {
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
      findings.set(finding.fingerprint, finding);
    }
    for (const entry of scratch.suppressed) {
      place(entry.finding);
      suppressed.set(entry.finding.fingerprint, entry);
    }
    if (options.onProgress && files - lastProgress >= 500) {
      lastProgress = files;
      options.onProgress(stats);
    }
  }
  const summary: HistorySummary = {
    ...emptySummary(),
    root,
    commits: stats.commits,
    findings: [...findings.values()],
    suppressed: [...suppressed.values()],
    scanned: { files, bytes: stats.bytes },
  };
  for (const file of stats.skipped) recordSkip(summary.skipped, file);
  markPresentAtHead(root, summary.findings);
  summary.findings.sort(
    (a, b) =>
      (a.commit?.date ?? '').localeCompare(b.commit?.date ?? '') ||
      a.file.localeCompare(b.file) ||
      a.line - b.line,
  );
  return summary;
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

/**
 * Whether each finding's secret is still somewhere in HEAD's tree: one `git grep` for all of them (a
 * multi-line secret is searched by its longest line), then the files it names are read to tell which
 * secret is in which. Patterns go to git on standard input, never on a command line others can read.
 */
function markPresentAtHead(root: string, findings: Finding[]): void {
  for (const finding of findings) finding.presentAtHead = false;
  if (findings.length === 0 || !verify(root, 'HEAD')) return;
  const probe = (finding: Finding) =>
    (revealSecret(finding) ?? '')
      .split('\n')
      .map((line) => line.trim())
      .reduce((a, b) => (b.length > a.length ? b : a), '');
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
