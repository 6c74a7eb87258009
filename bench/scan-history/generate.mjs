/**
 * A long generated git history for the history-scan benchmark, built from a seed with `git fast-import`
 * (thousands of commits per second), plus the ground truth of which commit planted which secret where.
 *
 *   const truth = await generateHistory(dir, { seed: 7, commits: 5000 });
 *
 * - Content comes from the scan corpus (bench/scan-corpus/): ordinary files are the corpus syntaxes' own
 *   layouts and filler, and the planted secrets and hard negatives are the files `generateCorpus` writes, with
 *   its exact line marks. So every planted secret is a real-format one, made at run time (key material from
 *   node:crypto, ssh-keygen and gpg, as in the corpus: their bytes are not seeded, their places are).
 * - Commit 1 adds a repository of ordinary files. Every later commit changes 1–5 files: edits that insert,
 *   replace or delete a few lines of a file (mostly a set of hot files), new files, deleted files, now and
 *   then a regenerated lockfile. Some commits plant secrets, either as a new file from the corpus or as the
 *   corpus file's marked lines spliced into an existing file of the same type; some later commits delete such
 *   files or cut the spliced lines out again (the secret is then only in history).
 * - Feature branches fork from main, take commits interleaved with main's, and are merged back with
 *   `--no-ff` merge commits (each side changes its own files, so merges are clean). The last branch is left
 *   unmerged, so only a scan of every branch sees its commits.
 *
 * `commits` counts every commit, merges included. The truth is `{ commits, merges, branches, secrets: [{
 * kind, file, line, endLine, commit, atHead }], negatives: [{ kind, file, line, endLine, commit }], notes }`:
 * `commit` is the full sha of the commit that added the lines, lines are 1-based in that commit's version of
 * the file, and `atHead` says whether the lines are still in main's last tree (false once a later commit
 * deleted them or their file, and for the unmerged branch's). It holds no secret value.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { lockfileText, packageJson, plainFile } from '../scan-corpus/filler-files.mjs';
import { generateCorpus } from '../scan-corpus/generate.mjs';
import { createRng } from '../scan-corpus/prng.mjs';
import { CODE_SYNTAXES } from '../scan-corpus/syntax-code.mjs';
import { CONFIG_SYNTAXES } from '../scan-corpus/syntax-config.mjs';
import { SPECIAL_SYNTAXES } from '../scan-corpus/syntax-special.mjs';
import { capitalize, FIRST_NAMES, NOUNS, SERVICES, VERBS } from '../scan-corpus/vocab.mjs';

const MARKDOWN = SPECIAL_SYNTAXES.find((s) => s.name === 'md');
/** The syntaxes of ordinary files, weighted as the corpus weights them (code twice). */
const PLAIN_SYNTAXES = [...CODE_SYNTAXES, ...CODE_SYNTAXES, ...CONFIG_SYNTAXES, MARKDOWN];
/** A file is edited towards this many lines: past it, edits cut more than they add. */
const TARGET_LINES = 220;
/** Start of the history (2021-01-01T00:00:00Z); each commit comes 5 minutes to 4 hours after the last. */
const EPOCH = 1609459200;

/** What a file is matched on for splicing: its extension, or its name when it has none (Dockerfile). */
function typeOf(path) {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : name;
}

/** Leading whitespace of a line, so inserted filler sits at its neighbours' depth. */
function indentOf(line) {
  return /^[ \t]*/.exec(line ?? '')[0];
}

/**
 * The corpus files that hold a planted item: their lines and the marks in them (0-based, inclusive), from
 * `truth.json`. Read into memory; the corpus tree is removed afterwards.
 */
function markedFiles(tree, truth) {
  const byFile = new Map();
  const add = (entry, secret) => {
    if (!byFile.has(entry.file)) byFile.set(entry.file, []);
    byFile.get(entry.file).push({ kind: entry.kind, secret, from: entry.line - 1, to: entry.endLine - 1 });
  };
  for (const entry of truth.secrets) add(entry, true);
  for (const entry of truth.negatives) add(entry, false);
  return [...byFile]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, marks]) => {
      const text = readFileSync(join(tree, path), 'utf8');
      return { path, lines: text.replace(/\n$/, '').split('\n'), marks };
    });
}

/**
 * The marked lines of a corpus file with 0–2 lines of their surroundings: windows that never cut a mark
 * (overlapping windows are merged), each `{ lines, marks }` with marks relative to the window.
 */
function windowsOf(rng, file) {
  const spans = file.marks
    .map((m) => [
      Math.max(0, m.from - rng.range(0, 2)),
      Math.min(file.lines.length - 1, m.to + rng.range(0, 2)),
    ])
    .sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [from, to] of spans) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged.map(([from, to]) => ({
    lines: file.lines.slice(from, to + 1),
    marks: file.marks
      .filter((m) => m.from >= from && m.to <= to)
      .map((m) => ({ ...m, from: m.from - from, to: m.to - from })),
  }));
}

/** One file of a branch's tree. Never changed in place: an edit makes a new one (branches share them). */
function fileState(kind, lines, syntax = null, guard = null) {
  return { kind, lines, syntax, guard: guard ?? new Array(lines.length).fill(0) };
}

/** The fast-import stream, written to a file as it is made. */
class Stream {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
  }
  write(text) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  data(text) {
    this.write(`data ${Buffer.byteLength(text)}\n${text}\n`);
  }
  flush() {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

class HistoryBuilder {
  constructor(rng, streamPath) {
    this.rng = rng;
    this.stream = new Stream(streamPath);
    this.count = 0;
    this.merges = 0;
    this.branchCount = 0;
    this.time = EPOCH;
    this.nextMark = 1;
    this.nextGuard = 1;
    this.usedPaths = new Set();
    this.main = { ref: 'refs/heads/main', state: new Map(), tip: 0, owned: null };
    this.branch = null;
    this.hot = [];
    /** Planted entries, with `mark` until the marks are resolved to shas. */
    this.planted = [];
    /** Scheduled removals on main: `{ due, path, guard }`, guard 0 for a whole file, else spliced lines. */
    this.removals = [];
  }

  uniquePath(path) {
    let candidate = path;
    for (let n = 2; this.usedPaths.has(candidate); n++) candidate = `apps/app-${n}/${path}`;
    this.usedPaths.add(candidate);
    return candidate;
  }

  /** The plain files a line of development may edit: main avoids the active branch's files. */
  editable(line, type = null) {
    const out = [];
    for (const [path, file] of line.state) {
      if (file.kind !== 'plain') continue;
      if (line.owned ? !line.owned.has(path) : this.branch?.owned.has(path)) continue;
      if (type && typeOf(path) !== type) continue;
      out.push(path);
    }
    return out;
  }

  /** Writes one commit of `line` with the given changes (path → true for modified, false for deleted). */
  commit(line, message, changes, { merge = null, from = null } = {}) {
    const rng = this.rng;
    const mark = this.nextMark++;
    this.time += rng.range(300, 4 * 3600);
    const name = rng.pick(FIRST_NAMES);
    const who = `${capitalize(name)} <${name}@example.com> ${this.time} +0000`;
    const s = this.stream;
    s.write(`commit ${line.ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`);
    s.data(message);
    if (from) s.write(`from :${from}\n`);
    if (merge) s.write(`merge :${merge}\n`);
    for (const [path, present] of changes) {
      if (present) {
        const file = line.state.get(path);
        s.write(`M 100644 inline ${path}\n`);
        s.data(`${file.lines.join('\n')}\n`);
      } else s.write(`D ${path}\n`);
    }
    s.write('\n');
    line.tip = mark;
    this.count++;
    return mark;
  }

  message() {
    const rng = this.rng;
    return rng.pick([
      () => `${capitalize(rng.pick(VERBS))} ${rng.pick(NOUNS)}s in ${rng.pick(SERVICES)}`,
      () => `Fix ${rng.pick(NOUNS)} ${rng.pick(['timeout', 'retry', 'parsing', 'pagination'])}`,
      () => `${rng.pick(SERVICES)}: ${rng.pick(VERBS)} ${rng.pick(NOUNS)} settings`,
      () => `Refactor ${rng.pick(NOUNS)} client`,
    ])();
  }

  initial(plainCount) {
    const rng = this.rng;
    const state = this.main.state;
    const changes = new Map();
    const put = (path, file) => {
      const unique = this.uniquePath(path);
      state.set(unique, file);
      changes.set(unique, true);
      return unique;
    };
    put('README.md', fileState('plain', plainFile(rng, MARKDOWN, 40).trimEnd().split('\n'), MARKDOWN));
    put('package.json', fileState('fixed', packageJson(rng).trimEnd().split('\n')));
    for (let i = 0; i < Math.max(2, Math.round(plainCount / 25)); i++) {
      const lock = lockfileText(rng, rng.range(20, 120)).trimEnd().split('\n');
      put(`packages/${rng.pick(SERVICES)}/package-lock.json`, fileState('lock', lock));
    }
    for (let i = 0; i < plainCount; i++) this.newPlain(this.main, changes);
    this.hot = rng.shuffle(this.editable(this.main)).slice(0, 30);
    this.commit(this.main, 'Initial import', changes);
  }

  newPlain(line, changes) {
    const rng = this.rng;
    const syntax = rng.pick(PLAIN_SYNTAXES);
    const path = this.uniquePath(syntax.path(rng));
    const lines = plainFile(rng, syntax, rng.range(10, 60)).trimEnd().split('\n');
    line.state.set(path, fileState('plain', lines, syntax));
    line.owned?.add(path);
    changes.set(path, true);
  }

  /** 1–3 hunks on a plain file: filler inserted, lines replaced by filler, or lines deleted. */
  edit(line, path, changes) {
    const rng = this.rng;
    const old = line.state.get(path);
    const lines = [...old.lines];
    const guard = [...old.guard];
    const filler = (at) => {
      const out = [];
      // Names fresh within the hunk only: a file-long set runs out of plain names (`order_40_port`).
      const ctx = { indent: indentOf(lines[at] ?? lines[at - 1]), used: new Set() };
      for (let i = rng.range(1, 3); i > 0; i--) out.push(...old.syntax.filler(rng, ctx));
      return out;
    };
    /** A position between lines that is not inside a spliced block. */
    const gap = () => {
      for (let tries = 0; tries < 8; tries++) {
        const at = rng.int(lines.length + 1);
        if (at === 0 || at === lines.length || guard[at - 1] === 0 || guard[at - 1] !== guard[at]) return at;
      }
      return lines.length;
    };
    /** A run of unguarded lines, or null. */
    const run = (max) => {
      if (lines.length < 4) return null;
      const from = rng.int(lines.length);
      let to = from;
      const end = Math.min(lines.length, from + rng.range(1, max));
      while (to < end && guard[to] === 0) to++;
      return to > from ? [from, to - from] : null;
    };
    for (let hunk = rng.range(1, 3); hunk > 0; hunk--) {
      const roll = rng.next() + (lines.length > TARGET_LINES ? 0.35 : 0);
      if (roll < 0.55) {
        const at = gap();
        const added = filler(at);
        lines.splice(at, 0, ...added);
        guard.splice(at, 0, ...added.map(() => 0));
      } else {
        const span = run(roll < 0.85 ? 6 : 12);
        if (!span) continue;
        const added = roll < 0.85 ? filler(span[0]) : [];
        lines.splice(span[0], span[1], ...added);
        guard.splice(span[0], span[1], ...added.map(() => 0));
      }
    }
    if (lines.length === 0) lines.push('');
    line.state.set(path, { ...old, lines, guard: guard.length ? guard : [0] });
    changes.set(path, true);
  }

  /**
   * Plants one corpus file: as a new file, or its marked lines spliced into a plain file of the same type
   * (each window at its own place). Records every mark, and maybe schedules its removal on main.
   */
  plant(line, corpusFile, changes, mark) {
    const rng = this.rng;
    const targets = this.editable(line, typeOf(corpusFile.path)).filter((p) => !changes.has(p));
    const record = (path, marks, base, guard) => {
      for (const m of marks) {
        const [line, endLine] = [base + m.from + 1, base + m.to + 1];
        this.planted.push({ kind: m.kind, secret: m.secret, file: path, line, endLine, mark, guard });
      }
    };
    if (targets.length === 0 || rng.chance(0.5)) {
      const path = this.uniquePath(corpusFile.path);
      line.state.set(path, fileState('secret', corpusFile.lines));
      line.owned?.add(path);
      changes.set(path, true);
      if (rng.chance(0.35)) this.removals.push({ due: this.count + rng.range(5, 600), path, guard: 0 });
      record(path, corpusFile.marks, 0, 0);
      return;
    }
    const path = rng.pick(targets);
    const old = line.state.get(path);
    const lines = [...old.lines];
    const guard = [...old.guard];
    const placed = [];
    for (const window of windowsOf(rng, corpusFile)) {
      const id = this.nextGuard++;
      let at = rng.int(lines.length + 1);
      // Not inside another spliced block.
      while (at > 0 && at < lines.length && guard[at - 1] !== 0 && guard[at - 1] === guard[at]) at++;
      lines.splice(at, 0, ...window.lines);
      guard.splice(at, 0, ...window.lines.map(() => id));
      placed.push({ id, window });
    }
    line.state.set(path, { ...old, lines, guard });
    changes.set(path, true);
    for (const { id, window } of placed) {
      if (rng.chance(0.25)) this.removals.push({ due: this.count + rng.range(5, 600), path, guard: id });
      record(path, window.marks, guard.indexOf(id), id);
    }
  }

  /** Removals due on main now, of files main has and the active branch does not hold. */
  dueRemovals(changes) {
    const later = [];
    for (const removal of this.removals) {
      const file = this.main.state.get(removal.path);
      if (!file) {
        // Not merged yet: wait for the merge. Else deleted already, and its lines with it.
        if (this.branch?.owned.has(removal.path)) later.push(removal);
        continue;
      }
      if (removal.due > this.count || changes.has(removal.path) || this.branch?.owned.has(removal.path)) {
        later.push(removal);
        continue;
      }
      if (!removal.guard) {
        this.main.state.delete(removal.path);
        changes.set(removal.path, false);
        continue;
      }
      const keep = file.lines.map((_, i) => file.guard[i] !== removal.guard);
      const lines = file.lines.filter((_, i) => keep[i]);
      const guard = file.guard.filter((_, i) => keep[i]);
      if (lines.length === 0) {
        lines.push('');
        guard.push(0);
      }
      this.main.state.set(removal.path, { ...file, lines, guard });
      changes.set(removal.path, true);
    }
    this.removals = later;
  }

  /** An ordinary commit on `line`, planting `plants` corpus files. */
  work(line, plants) {
    const rng = this.rng;
    const changes = new Map();
    const mark = this.nextMark;
    for (const file of plants) this.plant(line, file, changes, mark);
    if (line === this.main) this.dueRemovals(changes);
    const want = rng.range(1, 5);
    for (let tries = 0; changes.size < want && tries < 12; tries++) {
      const roll = rng.next();
      if (roll < 0.06) {
        this.newPlain(line, changes);
        continue;
      }
      if (line === this.main && roll < 0.07) {
        const locks = [...line.state].filter(([, f]) => f.kind === 'lock').map(([p]) => p);
        const path = rng.pick(locks);
        if (path && !changes.has(path)) {
          const lock = lockfileText(rng, rng.range(20, 120)).trimEnd().split('\n');
          line.state.set(path, fileState('lock', lock));
          changes.set(path, true);
        }
        continue;
      }
      const hot = this.hot.filter((p) => line.state.has(p) && !this.branch?.owned.has(p));
      const candidates = line === this.main && hot.length && rng.chance(0.45) ? hot : this.editable(line);
      const path = rng.pick(candidates);
      if (!path || changes.has(path)) continue;
      if (line === this.main && roll < 0.08 && !this.hot.includes(path)) {
        line.state.delete(path);
        changes.set(path, false);
      } else this.edit(line, path, changes);
    }
    this.commit(line, this.message(), changes);
  }

  startBranch(name, length) {
    const rng = this.rng;
    const owned = new Set(
      rng.shuffle(this.editable(this.main).filter((p) => !this.hot.includes(p))).slice(0, rng.range(3, 10)),
    );
    this.branch = {
      ref: `refs/heads/${name}`,
      state: new Map(this.main.state),
      owned,
      base: this.main.tip,
      tip: 0,
      commits: 0,
      length,
    };
    this.branchCount++;
  }

  branchWork(plants) {
    const branch = this.branch;
    if (branch.commits === 0) {
      // The first commit of a branch names its fork point.
      const changes = new Map();
      const mark = this.nextMark;
      for (const file of plants) this.plant(branch, file, changes, mark);
      const want = this.rng.range(1, 5);
      for (let tries = 0; changes.size < want && tries < 12; tries++) {
        const path = this.rng.pick(this.editable(branch));
        if (path && !changes.has(path)) this.edit(branch, path, changes);
      }
      if (changes.size === 0) this.newPlain(branch, changes);
      this.commit(branch, this.message(), changes, { from: branch.base });
    } else this.work(branch, plants);
    branch.commits++;
  }

  /** A `--no-ff` merge of the branch into main: main takes the branch's version of the branch's files. */
  mergeBranch() {
    const branch = this.branch;
    const changes = new Map();
    for (const path of branch.owned) {
      const file = branch.state.get(path);
      if (file) this.main.state.set(path, file);
      else this.main.state.delete(path);
      changes.set(path, Boolean(file));
    }
    const name = branch.ref.replace('refs/heads/', '');
    this.branch = null;
    this.commit(this.main, `Merge branch '${name}'`, changes, { merge: branch.tip });
    this.merges++;
  }
}

/** Builds the history in `dir/repo` (a non-bare repository with main checked out); `dir` must exist. */
export async function generateHistory(dir, { seed, commits, scale = 1, progress = () => {} }) {
  const corpusDir = join(dir, 'corpus');
  mkdirSync(join(corpusDir, 'tree'), { recursive: true });
  progress(`generating the secrets for the history (scan corpus, seed ${seed}, scale ${scale})`);
  const corpus = await generateCorpus(join(corpusDir, 'tree'), { seed, scale });
  const rng = createRng(seed).fork('history');
  const pool = rng.shuffle(markedFiles(join(corpusDir, 'tree'), corpus));
  rmSync(corpusDir, { recursive: true, force: true });

  progress(`writing ${commits} commits`);
  const streamPath = join(dir, 'history.fast-import');
  const builder = new HistoryBuilder(rng, streamPath);
  builder.initial(Math.min(400, Math.max(40, Math.round(commits / 20))));
  let wip = false;
  while (builder.count < commits) {
    const left = commits - builder.count;
    // Secrets spread evenly over the commits left; whatever remains goes into the last few.
    const take = () => {
      if (pool.length === 0) return [];
      const n = pool.length >= left ? Math.ceil(pool.length / left) : rng.chance(pool.length / left) ? 1 : 0;
      return pool.splice(0, n);
    };
    const branch = builder.branch;
    if (branch && branch.commits >= branch.length && left > 1) builder.mergeBranch();
    else if (branch && (branch.commits === 0 || rng.chance(0.45))) {
      const plants = take();
      if (branch.length === Infinity && branch.commits === 0 && plants.length === 0 && pool.length)
        plants.push(pool.shift());
      builder.branchWork(plants);
    } else {
      if (!branch && left <= 25 && !wip) {
        builder.startBranch(`wip/${rng.pick(NOUNS)}-${rng.pick(VERBS)}`, Infinity);
        wip = true;
        continue;
      }
      if (!branch && left > 60 && rng.chance(1 / 120)) {
        builder.startBranch(`feature/${rng.pick(NOUNS)}-${builder.branchCount + 1}`, rng.range(4, 30));
        continue;
      }
      builder.work(builder.main, take());
    }
  }
  builder.stream.close();

  progress('importing with git fast-import');
  const repo = join(dir, 'repo');
  const git = (args, options = {}) => {
    const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
    if (result.status !== 0) throw new Error(`git ${args[0]} failed: ${(result.stderr ?? '').trim()}`);
    return result.stdout;
  };
  mkdirSync(repo);
  git(['init', '-q', '-b', 'main']);
  const marksPath = join(dir, 'marks');
  const input = openSync(streamPath, 'r');
  try {
    // glibc's malloc gives memory back after each large blob and asks for it again: 4× slower, mostly in
    // the kernel (brk), unless it keeps a pad.
    const env = {
      ...process.env,
      GLIBC_TUNABLES: 'glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=134217728',
    };
    git(['fast-import', '--quiet', `--export-marks=${marksPath}`], { stdio: [input, 'ignore', 'pipe'], env });
  } finally {
    closeSync(input);
  }
  rmSync(streamPath);
  git(['reset', '-q', '--hard', 'main']);
  const shas = new Map(
    readFileSync(marksPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([m, sha]) => [Number(m.slice(1)), sha]),
  );
  rmSync(marksPath);

  const entry = (p) => ({
    kind: p.kind,
    file: p.file,
    line: p.line,
    endLine: p.endLine,
    commit: shas.get(p.mark),
  });
  /** Whether the planted lines are still in main's last tree (a whole planted file is guard 0). */
  const atHead = (p) => {
    const file = builder.main.state.get(p.file);
    return Boolean(file) && (p.guard === 0 || file.guard.includes(p.guard));
  };
  return {
    seed,
    commits: builder.count,
    merges: builder.merges,
    branches: builder.branchCount,
    secrets: builder.planted.filter((p) => p.secret).map((p) => ({ ...entry(p), atHead: atHead(p) })),
    negatives: builder.planted.filter((p) => !p.secret).map(entry),
    notes: corpus.notes,
  };
}
