/**
 * What a detection rule is. Rules are data: the engine decides how to run them (keyword prefilter, then the
 * pattern only where a keyword occurs), so adding a vendor never touches the engine.
 */
import type { LinearRegex } from '../linear-regex.ts';
import type { RawMatch } from '../raw-match.ts';
import type { Gen } from './gen.ts';

export type { RawMatch };

export type RuleCategory =
  | 'cloud'
  | 'vcs'
  | 'package-registry'
  | 'ci'
  | 'infrastructure'
  | 'secret-manager'
  | 'chat'
  | 'payment'
  | 'email'
  | 'ai'
  | 'observability'
  | 'auth'
  | 'saas'
  | 'database'
  | 'private-key'
  | 'generic'
  | 'custom';

export interface DetectContext {
  /** Path of the file, relative to the scan root, for syntax-aware detection. */
  path: string;
}

export interface RuleSpec {
  /** Stable id, kebab-case, vendor first: `github-pat`, `aws-access-key-id`. Ids are API (baselines use them). */
  id: string;
  /** What was found, for people: "GitHub personal access token". */
  description: string;
  category: RuleCategory;
  /**
   * Lowercase literals, at least one of which occurs (case-insensitively) wherever the rule can match; the
   * pattern runs only near them. Choose distinctive ones (`ghp_`, `xoxb-`), never common words alone.
   */
  keywords: readonly string[];
  /**
   * Matches the secret. The named group `secret` is the secret (else the whole match). Write boundaries into
   * the pattern so a token inside a longer random string does not match. Flags other than `i` are ignored.
   * The pattern runs on the lines around each keyword (the line before and after included).
   */
  pattern?: RegExp;
  /**
   * A custom rule's pattern (stagecraft.yaml, .gitleaks.toml): RE2, linear-time whatever a repository wrote,
   * with the secret in its own capture group. Runs like `pattern`, and is used instead of it.
   */
  linearPattern?: LinearRegex;
  /**
   * For formats a pattern cannot judge (private keys are parsed, multi-line blocks): finds matches in the
   * whole text. Runs only when a keyword occurs. Use instead of `pattern`.
   */
  detect?: (text: string, context: DetectContext) => RawMatch[];
  /**
   * What a detector is given: the whole file (the default: key blocks span many lines), or only the lines
   * around each keyword, like a pattern, which is much faster for detectors that look at single assignments.
   */
  detectScope?: 'file' | 'window';
  /** Minimum Shannon entropy of the secret, in bits per character. */
  minEntropy?: number;
  /** A structure or checksum check the format defines (GitHub's CRC32, a JWT's JSON header). */
  validate?: (secret: string) => boolean;
  /**
   * For checksummed formats: what to say when a value has the prefix and shape but its checksum fails
   * ("looks like a GitHub token; checksum fails — truncated or fake?"). Such a value is reported as a `low`
   * finding instead of nothing, since without the prefix the generic rules would have caught it.
   */
  nearMiss?: string;
  /** Example secrets the vendor publishes in its documentation: matched, but never reported. */
  documentedExamples?: readonly string[];
  /** Where the format is documented. */
  docs: string;
  /** Only files whose path (relative, `/`-separated) matches: for custom rules scoped to some files. */
  paths?: RegExp | LinearRegex;
  /** Evidence, run by the tests: a line holding a secret generated from the published format, and a near miss. */
  samples: {
    positive: (gen: Gen) => string;
    negative: (gen: Gen) => string;
  };
}
