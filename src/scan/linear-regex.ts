/**
 * Regular expressions a repository supplies (custom rules and allowlists in stagecraft.yaml and
 * .gitleaks.toml) run on RE2, whose matching time is linear in the input whatever the pattern: a JavaScript
 * RegExp backtracks, so one careless rule such as `key_(a|aa)+$` would stall a scan on a long line (or a
 * pull request could bring such a rule in). RE2 is also the syntax gitleaks rules are written in (Go's
 * regexp), so `(?i)` anywhere, `(?P<name>…)`, `\z` and `\A` mean what they meant there. What RE2 lacks —
 * lookaround and backreferences — is reported as an invalid rule when the configuration is read.
 *
 * The built-in rules stay JavaScript RegExps: they are ours, reviewed, and tested against long inputs.
 */
import { createRequire } from 'node:module';
import { counted } from '@stagecraft/config/text';
import type { RE2JS } from 're2js';
import type { RawMatch } from './raw-match.ts';

/**
 * The engine is loaded on first use: most repositories declare no custom rule, and a pre-commit hook should
 * not pay the ~10 ms its 260 KB take to load on every commit.
 */
let engine: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  engine ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS;
  return engine;
}

function compile(source: string, caseInsensitive: boolean | undefined): RE2JS {
  const RE2 = re2();
  return RE2.compile(source, caseInsensitive ? RE2.CASE_INSENSITIVE : 0);
}

export interface LinearRegexOptions {
  caseInsensitive?: boolean;
  /** The capture group holding the secret, by number or name; default: the whole match. */
  secretGroup?: number | string;
}

export class LinearRegex {
  readonly source: string;
  private readonly re: RE2JS;
  private readonly secretGroup: number | string;

  /** Throws when RE2 cannot compile `source`; `linearRegexProblem` says why without throwing. */
  constructor(source: string, options: LinearRegexOptions = {}) {
    this.source = source;
    this.re = compile(source, options.caseInsensitive);
    this.secretGroup = options.secretGroup ?? 0;
  }

  test(text: string): boolean {
    return this.re.test(text);
  }

  /**
   * Every match in `text`, left to right and not overlapping, as the engine's raw matches with `offset`
   * added. A secret group that took no part in a match leaves the whole match as the secret.
   */
  collect(text: string, offset: number): RawMatch[] {
    const matches: RawMatch[] = [];
    // Most text holds no match: RE2's test runs on its DFA, several times faster than finding groups.
    if (!this.re.test(text)) return matches;
    const matcher = this.re.matcher(text);
    while (matcher.find()) {
      const start = matcher.start();
      const end = matcher.end();
      if (end === start) continue;
      const group = this.secretGroup === 0 ? null : matcher.group(this.secretGroup);
      const secret = group || text.slice(start, end);
      const secretStart = group ? matcher.start(this.secretGroup) : start;
      matches.push({ start: offset + start, end: offset + end, secret, secretStart: offset + secretStart });
    }
    return matches;
  }
}

/** Why RE2 cannot compile `source` (or run it with `secretGroup`), or undefined when it can. */
export function linearRegexProblem(source: string, options: LinearRegexOptions = {}): string | undefined {
  let re: RE2JS;
  try {
    re = compile(source, options.caseInsensitive);
    // Some patterns compile but fail on first use (a program too large to run): try one now, at load time.
    re.matcher('x').find();
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
  const group = options.secretGroup;
  if (typeof group === 'number' && (!Number.isInteger(group) || group < 0 || group > re.groupCount()))
    return `it has ${counted(re.groupCount(), 'capture group')}, so there is no group ${group} to take the secret from`;
  if (typeof group === 'string' && !(group in re.namedGroups()))
    return `it has no capture group named "${group}" to take the secret from`;
  return undefined;
}
