/**
 * The detection engine: a keyword prefilter decides which rules can match where, each such rule's pattern
 * (or detector) runs only on the lines around its keywords, and every candidate passes the rule's entropy,
 * checksum and example-key checks and the placeholder filters before it becomes a finding.
 */
import { shannonEntropy } from './entropy.ts';
import { isPlaceholder } from './filters.ts';
import { attachSecret, type Finding, fingerprintOf, redact } from './finding.ts';
import { KeywordMatcher } from './prefilter.ts';
import type { RawMatch, RuleSpec } from './rules/types.ts';

interface CompiledRule {
  index: number;
  spec: RuleSpec;
  /** A pattern's matches in a window of text (built-in RegExp or custom RE2); undefined for detectors. */
  run: ((window: string, offset: number) => RawMatch[]) | undefined;
  examples: ReadonlySet<string>;
}

export interface ScanOptions {
  /** Decode base64 values and scan what they hide (Kubernetes Secret `data:`, docker `auth`). */
  decode?: boolean;
}

/** A candidate before line numbers and fingerprints: where it is and which rule found it. */
interface Candidate {
  rule: CompiledRule;
  match: RawMatch;
  decoded?: string;
  /** A checksummed format whose checksum fails: reported `low`, with the rule's `nearMiss` text. */
  nearMiss?: boolean;
}

export class ScanEngine {
  readonly rules: readonly RuleSpec[];
  private readonly compiled: CompiledRule[];
  private readonly matcher: KeywordMatcher;
  /** keyword id → rules that keyword triggers. */
  private readonly rulesByKeyword: CompiledRule[][];
  /** Custom rules without keywords: they run on every file. */
  private readonly unconditional: CompiledRule[];
  private readonly basicAuthRule: CompiledRule | undefined;
  /** keyword id → the exact spellings that mark a file as possibly holding base64-encoded secrets. */
  private readonly encodedMarkers: (readonly string[] | undefined)[] = [];

  constructor(rules: readonly RuleSpec[]) {
    this.rules = rules;
    const keywordIds = new Map<string, number>();
    this.rulesByKeyword = [];
    this.compiled = rules.map((spec, index) => {
      if ([spec.pattern, spec.linearPattern, spec.detect].filter(Boolean).length !== 1)
        throw new Error(`rule ${spec.id} needs exactly one of pattern, linearPattern and detect`);
      const linear = spec.linearPattern;
      const pattern = spec.pattern
        ? new RegExp(spec.pattern.source, `g${spec.pattern.flags.includes('i') ? 'i' : ''}`)
        : undefined;
      return {
        index,
        spec,
        run: pattern
          ? (window: string, offset: number) => collect(pattern, window, offset)
          : linear
            ? (window: string, offset: number) => linear.collect(window, offset)
            : undefined,
        examples: new Set(spec.documentedExamples ?? []),
      };
    });
    for (const rule of this.compiled) {
      for (const keyword of rule.spec.keywords) {
        const lower = keyword.toLowerCase();
        let id = keywordIds.get(lower);
        if (id === undefined) {
          id = keywordIds.size;
          keywordIds.set(lower, id);
          this.rulesByKeyword.push([]);
        }
        (this.rulesByKeyword[id] as CompiledRule[]).push(rule);
      }
    }
    // The markers of encoded values ride on the same pass over the text as the rules' keywords.
    for (const marker of ENCODED_MARKERS) {
      const lower = marker.toLowerCase();
      let id = keywordIds.get(lower);
      if (id === undefined) {
        id = keywordIds.size;
        keywordIds.set(lower, id);
        this.rulesByKeyword.push([]);
      }
      this.encodedMarkers[id] = [...(this.encodedMarkers[id] ?? []), marker];
    }
    this.matcher = new KeywordMatcher([...keywordIds.keys()]);
    this.unconditional = this.compiled.filter((rule) => rule.spec.keywords.length === 0);
    // A decoded `user:password` pair (docker config `auth`) is reported under this rule, when registered.
    this.basicAuthRule = this.compiled.find((rule) => rule.spec.id === 'basic-auth-credentials');
  }

  /** Every finding in one file's text. `path` is what reports show (relative to the scan root). */
  scan(text: string, path: string, options: ScanOptions = {}): Finding[] {
    // One line index serves both the keyword windows and the reported positions.
    const lines = new LineIndex(text);
    const found = { encoded: false };
    const candidates = this.candidates(text, path, lines, found);
    // Appended one by one, here and below: spreading a file's matches into push() as arguments overflows
    // the stack once a file holds some hundred thousand of them.
    if (options.decode !== false && found.encoded)
      for (const candidate of this.decodedCandidates(text, path)) candidates.push(candidate);
    return this.toFindings(text, path, candidates, lines);
  }

  /** `found.encoded` is set when the text has a marker of base64-encoded secrets (see ENCODED_MARKERS). */
  private candidates(
    text: string,
    path: string,
    lines: LineIndex = new LineIndex(text),
    found: { encoded: boolean } = { encoded: false },
  ): Candidate[] {
    // Group keyword positions by rule, so each rule runs once per window, not once per keyword.
    const positions: (number[] | undefined)[] = new Array(this.compiled.length);
    let any = false;
    for (const rule of this.unconditional) positions[rule.index] = [];
    const markers = this.encodedMarkers;
    this.matcher.each(text, (keyword, index) => {
      any = true;
      const spellings = markers[keyword];
      if (spellings !== undefined && !found.encoded)
        found.encoded = spellings.some((marker) => text.startsWith(marker, index));
      for (const rule of this.rulesByKeyword[keyword] as CompiledRule[]) {
        const list = positions[rule.index];
        if (list === undefined) positions[rule.index] = [index];
        else list.push(index);
      }
    });
    if (!any && this.unconditional.length === 0) return [];
    const candidates: Candidate[] = [];
    for (let index = 0; index < positions.length; index++) {
      const indexes = positions[index];
      if (indexes === undefined) continue;
      const rule = this.compiled[index] as CompiledRule;
      if (rule.spec.paths && !rule.spec.paths.test(path)) continue;
      const detect = rule.spec.detect;
      const matches = rule.run
        ? indexes.length === 0
          ? rule.run(text, 0)
          : matchInWindows(text, lines, indexes, rule.run)
        : detect === undefined
          ? []
          : rule.spec.detectScope === 'window'
            ? matchInWindows(text, lines, indexes, (window, offset) =>
                shift(detect(window, { path }), offset),
              )
            : detect(text, { path });
      for (const match of matches) {
        const verdict = this.accept(rule, match.secret);
        if (verdict === true) candidates.push({ rule, match });
        else if (verdict === 'near-miss') candidates.push({ rule, match, nearMiss: true });
      }
    }
    return candidates;
  }

  private accept(rule: CompiledRule, secret: string): boolean | 'near-miss' {
    const { spec } = rule;
    if (rule.examples.has(secret)) return false;
    if (spec.minEntropy !== undefined && shannonEntropy(secret) < spec.minEntropy) return false;
    if (spec.validate && !spec.validate(secret))
      return spec.nearMiss !== undefined && shannonEntropy(secret) >= 3.5 && !isPlaceholder(secret)
        ? 'near-miss'
        : false;
    // Formats with a checksum or a parser vouch for themselves; everything else must not be a placeholder.
    return spec.validate !== undefined || !isPlaceholder(secret);
  }

  /**
   * Base64 values that decode to text are scanned again, findings reported at the encoded value: this is
   * how Kubernetes Secret `data:` and docker config `auth` hide credentials.
   */
  private decodedCandidates(text: string, path: string, depth = 1): Candidate[] {
    const candidates: Candidate[] = [];
    // Starts with [:=] so the regex engine skips quickly to candidates.
    const BASE64_VALUE = /[:=][ \t]*["']?(?<value>[A-Za-z0-9+/]{16,}={0,2})["']?[ \t]*(?:$|[,}#])/gm;
    for (const found of text.matchAll(BASE64_VALUE)) {
      const value = found.groups?.['value'] as string;
      const valueStart = (found.index as number) + found[0].indexOf(value);
      if (value.length % 4 !== 0) continue;
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      // Only text: binary (images, keys in DER) is for other rules, and U+FFFD marks invalid UTF-8.
      if (!/^[\x09\x0a\x0d\x20-\x7e]+$/.test(decoded)) continue;
      const inner = this.candidates(decoded, path).concat(basicAuthCandidate(decoded, this.basicAuthRule));
      // One level deeper: Kubernetes .dockerconfigjson is base64 JSON whose "auth" is base64 again.
      if (depth < 2)
        for (const deeper of this.decodedCandidates(decoded, path, depth + 1)) inner.push(deeper);
      for (const candidate of inner) {
        const start = valueStart;
        candidates.push({
          rule: candidate.rule,
          match: { start, end: start + value.length, secret: candidate.match.secret, secretStart: start },
          decoded: 'base64',
          ...(candidate.nearMiss ? { nearMiss: true } : {}),
        });
      }
    }
    return candidates;
  }

  private toFindings(text: string, path: string, all: Candidate[], lines: LineIndex): Finding[] {
    if (all.length === 0) return [];
    // A vendor rule's finding is more precise than a generic one on the same secret: keep only the vendor's.
    const vendorSpans = new SpanSet(
      all
        .filter((candidate) => candidate.rule.spec.category !== 'generic')
        .map((candidate) => [
          candidate.match.secretStart,
          candidate.match.secretStart + candidate.match.secret.length,
        ]),
    );
    const candidates = all.filter((candidate) => {
      if (candidate.rule.spec.category !== 'generic') return true;
      const start = candidate.match.secretStart;
      return !vendorSpans.overlaps(start, start + candidate.match.secret.length);
    });
    candidates.sort((a, b) => a.match.start - b.match.start || a.rule.spec.id.localeCompare(b.rule.spec.id));
    const occurrences = new Map<string, number>();
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const { rule, match, decoded, nearMiss } of candidates) {
      // One secret at one place is one finding, even when two windows or a decoder saw it.
      const key = `${rule.spec.id}\0${match.secretStart}\0${match.secret}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const occurrenceKey = `${rule.spec.id}\0${match.secret}`;
      const occurrence = (occurrences.get(occurrenceKey) ?? 0) + 1;
      occurrences.set(occurrenceKey, occurrence);
      const start = lines.position(match.secretStart);
      const end = lines.position(
        match.secretStart + (decoded ? match.end - match.start : match.secret.length),
      );
      const finding: Finding = {
        rule: rule.spec.id,
        description: nearMiss ? (rule.spec.nearMiss as string) : rule.spec.description,
        file: path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        match: maskedMatch(text, match, decoded !== undefined),
        entropy: Math.round(shannonEntropy(match.secret) * 100) / 100,
        fingerprint: fingerprintOf(rule.spec.id, path, match.secret, occurrence),
        ...(decoded ? { decoded } : {}),
        ...(nearMiss ? { confidence: 'low' as const } : {}),
      };
      findings.push(attachSecret(finding, match.secret));
    }
    return findings;
  }
}

function shift(matches: RawMatch[], offset: number): RawMatch[] {
  if (offset === 0) return matches;
  for (const match of matches) {
    match.start += offset;
    match.end += offset;
    match.secretStart += offset;
  }
  return matches;
}

/** How far a window reaches from its keyword at most: minified files can be one multi-megabyte line. */
const MAX_REACH = 4096;

/**
 * Runs a matcher on the lines around each keyword (the line before and the line after included), merging
 * overlapping windows so a later keyword still extends the window to its own next line.
 */
function matchInWindows(
  text: string,
  lines: LineIndex,
  indexes: readonly number[],
  run: (window: string, offset: number) => RawMatch[],
): RawMatch[] {
  const matches: RawMatch[] = [];
  let start = -1;
  let end = -1;
  for (const index of indexes) {
    const line = lines.lineOf(index);
    const from = Math.max(lines.startOf(line - 1), index - MAX_REACH);
    const to = Math.min(lines.startOf(line + 2) - 1, index + MAX_REACH, text.length);
    if (from <= end) {
      if (to > end) end = to;
      continue;
    }
    if (end > start) for (const match of run(text.slice(start, end), start)) matches.push(match);
    start = from;
    end = to;
  }
  if (end > start) for (const match of run(text.slice(start, end), start)) matches.push(match);
  return matches;
}

function collect(pattern: RegExp, window: string, start: number): RawMatch[] {
  const matches: RawMatch[] = [];
  pattern.lastIndex = 0;
  for (let found = pattern.exec(window); found; found = pattern.exec(window)) {
    if (found[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const secret = found.groups?.['secret'] ?? found[0];
    const offset = found.groups?.['secret'] === undefined ? 0 : secretOffset(found, secret);
    matches.push({
      start: start + found.index,
      end: start + found.index + found[0].length,
      secret,
      secretStart: start + found.index + offset,
    });
  }
  return matches;
}

/** Where the `secret` group starts inside the match (`d` flag indices would cost on every match). */
function secretOffset(found: RegExpExecArray, secret: string): number {
  const at = found[0].lastIndexOf(secret);
  return at === -1 ? 0 : at;
}

/**
 * Where base64-encoded credentials live: Kubernetes Secrets (`data:`), docker configs (`auth`) and values
 * named for base64. Found by the keyword pass (case-insensitively, then checked as spelled here), so other
 * files skip the decoder's regex.
 */
const ENCODED_MARKERS: readonly string[] = ['Secret', '"auth"', 'dockerconfig', 'base64', 'b64', 'B64'];

/** A decoded `user:password` (docker config `auth`, Basic credentials) reported as basic-auth. */
function basicAuthCandidate(decoded: string, rule: CompiledRule | undefined): Candidate[] {
  const pair = /^(?<user>[^:\s"'{}[\],]{1,64}):(?<secret>[^\s]{6,})$/.exec(decoded);
  if (!rule || !pair?.groups) return [];
  const secret = pair.groups['secret'] as string;
  if (isPlaceholder(secret)) return [];
  return [
    { rule, match: { start: 0, end: decoded.length, secret, secretStart: decoded.length - secret.length } },
  ];
}

function maskedMatch(text: string, match: RawMatch, decoded: boolean): string {
  if (decoded) return `[base64] ${redact(match.secret)}`;
  const before = text.slice(match.start, match.secretStart);
  const after = text.slice(match.secretStart + match.secret.length, match.end);
  const masked = `${before}${redact(match.secret)}${after}`;
  const firstLine = masked.split('\n')[0] as string;
  return firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine;
}

/**
 * Spans of text merged into sorted, disjoint ranges, asked whether a span overlaps any of them with one binary
 * search: comparing every generic candidate with every vendor one is quadratic, minutes for a file that holds
 * a few hundred thousand of each.
 */
class SpanSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(spans: [number, number][]) {
    spans.sort((a, b) => a[0] - b[0]);
    for (const [from, to] of spans) {
      const last = this.ends.length - 1;
      if (last >= 0 && from <= (this.ends[last] as number)) {
        if (to > (this.ends[last] as number)) this.ends[last] = to;
      } else {
        this.starts.push(from);
        this.ends.push(to);
      }
    }
  }

  /** Whether [start, end) overlaps a span. Only the last range starting before `end` can: the ranges are disjoint. */
  overlaps(start: number, end: number): boolean {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] as number) < end) low = mid + 1;
      else high = mid;
    }
    return low > 0 && start < (this.ends[low - 1] as number);
  }
}

/**
 * Offsets to lines and columns, with one binary search per lookup. Lines here are 0-based. The line starts
 * are found on first use: most files reach no window at all.
 */
class LineIndex {
  private starts: number[] | undefined;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private lineStarts(): number[] {
    if (this.starts === undefined) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  lineOf(offset: number): number {
    const starts = this.lineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Where a line starts; past the last line, one past the end of the text. */
  startOf(line: number): number {
    if (line <= 0) return 0;
    const starts = this.lineStarts();
    return line < starts.length ? (starts[line] as number) : this.text.length + 1;
  }

  /** 1-based line and column, as reports show them. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - (this.lineStarts()[line] as number) + 1 };
  }
}
