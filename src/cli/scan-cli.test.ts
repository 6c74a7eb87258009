import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gen, githubChecksum } from '../scan/rules/gen.ts';
import { REPO_ROOT, runCli, spawnCli, tempDir } from '../test-support/cli.ts';

/** A GitHub token generated from its published format (random part + CRC32 checksum), never a literal. */
function githubToken(seed: number): string {
  const random = new Gen(seed).alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

test('scan finds a secret, exits 2 and never prints it unless --reveal', async (t) => {
  const token = githubToken(1);
  const dir = tempDir(t, {
    'src/app.ts': `const a = 1;\nconst token = '${token}';\n`,
    'README.md': 'nothing here\n',
  });
  const result = await runCli(['scan'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.ok(!result.stdout.includes(token));
  assert.match(
    result.stdout,
    /^src\/app\.ts\n {2}2:16 +github-pat {2}GitHub personal access token \(classic\) \[high, code\]\n {11}ghp_\*{12}\n/,
  );
  assert.match(result.stdout, /✗ 1 secret in 1 file \(scanned 2 files, /);

  const revealed = await runCli(['scan', '--reveal'], { cwd: dir });
  assert.ok(revealed.stdout.includes(token));
});

test('scan --format json has findings with file, line, column, rule, fingerprint and a redacted match', async (t) => {
  const token = githubToken(2);
  const dir = tempDir(t, { 'config.yml': `github:\n  token: ${token}\n` });
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(data).sort(), ['failing', 'findings', 'scanned', 'skipped', 'suppressed']);
  assert.equal(data.failing, 1);
  assert.deepEqual(data.skipped.files, []);
  const [finding] = data.findings;
  assert.equal(finding.file, 'config.yml');
  assert.equal(finding.line, 2);
  assert.equal(finding.column, 10);
  assert.equal(finding.rule, 'github-pat');
  assert.match(finding.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(finding.match, 'ghp_************');
  assert.equal(finding.secret, undefined);
  assert.equal(finding.confidence, 'high');
  assert.equal(finding.context, 'config');
  assert.equal(finding.fails, true);
  assert.ok(!result.stdout.includes(token));
  assert.deepEqual(data.scanned, { files: 1, bytes: 58 });
});

test('a fingerprint does not change when the secret moves to another line', async (t) => {
  const token = githubToken(3);
  const dir = tempDir(t, { 'a.env': `TOKEN=${token}\n` });
  const before = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: dir })).stdout).findings[0];
  writeFileSync(join(dir, 'a.env'), `# moved down\n\nTOKEN=${token}\n`);
  const after = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: dir })).stdout).findings[0];
  assert.equal(after.line, 3);
  assert.equal(after.fingerprint, before.fingerprint);
});

test('scan --format sarif writes SARIF 2.1.0 with rules, regions and partial fingerprints', async (t) => {
  const dir = tempDir(t, { 'x.sh': `export GH=${githubToken(4)}\n` });
  const result = await runCli(['scan', '--format', 'sarif'], { cwd: dir });
  assert.equal(result.code, 2);
  const sarif = JSON.parse(result.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'stagecraft');
  assert.equal(run.tool.driver.rules[0].id, 'github-pat');
  assert.match(run.tool.driver.rules[0].helpUri, /^https:\/\//);
  const result0 = run.results[0];
  assert.equal(result0.ruleId, 'github-pat');
  assert.equal(result0.ruleIndex, 0);
  assert.deepEqual(result0.locations[0].physicalLocation.region, {
    startLine: 1,
    startColumn: 11,
    endLine: 1,
    endColumn: 51,
  });
  assert.equal(result0.locations[0].physicalLocation.artifactLocation.uri, 'x.sh');
  assert.match(result0.partialFingerprints['stagecraft/v1'], /^[0-9a-f]{32}$/);
});

test('scan --format markdown writes a CI job summary', async (t) => {
  const dir = tempDir(t, { 'x.env': `GH=${githubToken(5)}\n` });
  const result = await runCli(['scan', '--format', 'markdown'], { cwd: dir });
  assert.match(result.stdout, /^### Secret scan: 1 secret found\n/);
  assert.match(result.stdout, /\| x\.env \| 1 \| github-pat \| high \| config \| `ghp_\*{12}` \|/);
});

test('scan honours .gitignore at every level, skips binary files and counts what it skipped', async (t) => {
  const token = githubToken(6);
  const dir = tempDir(t, {
    '.gitignore': 'dist/\n*.log\n',
    'dist/bundle.js': `t="${token}"`,
    'debug.log': token,
    'pkg/.gitignore': 'local.env\n',
    'pkg/local.env': `T=${token}`,
    'pkg/kept.env': `T=${token}`,
  });
  writeFileSync(join(dir, 'image.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(token)]));
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string }) => f.file),
    ['pkg/kept.env'],
  );
  assert.equal(data.skipped.binary, 1);
  assert.equal(data.skipped.ignored, 3);
});

test('one file not scanned is one file that was not scanned', async (t) => {
  const dir = tempDir(t, { 'ok.txt': 'hello\n' });
  writeFileSync(join(dir, 'image.bin'), Buffer.from([0, 1, 2, 3]));
  const text = await runCli(['scan'], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /but 1 file was not scanned/);
  const refused = await runCli(['scan', '--fail-on-skipped'], { cwd: dir });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /1 file was not scanned: image\.bin \(binary\)/);
});

test('every file the scan skips is named in a warning, and --fail-on-skipped makes a skip exit 1', async (t) => {
  const token = githubToken(14);
  const dir = tempDir(t, {
    'stagecraft.yaml': 'scan:\n  maxFileSize: 1KB\n',
    'big.log': `${'log line\n'.repeat(200)}T=${token}\n`,
    'ok.txt': 'hello\n',
  });
  writeFileSync(join(dir, 'image.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(token)]));
  // A UTF-16 byte-order mark followed by an odd number of bytes: not text in the encoding it declares.
  writeFileSync(join(dir, 'broken.reg'), Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]));
  const expected = [
    ['big.log', 'oversized'],
    ['broken.reg', 'undecodable'],
    ['image.bin', 'binary'],
  ];

  const text = await runCli(['scan'], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stderr,
    /^warning \[SCAN_FILE_SKIPPED\] big\.log: not scanned, 1\.8 KiB, over the 1000 B size limit/m,
  );
  assert.match(
    text.stderr,
    /^warning \[SCAN_FILE_SKIPPED\] broken\.reg: not scanned, its byte-order mark says UTF-16LE/m,
  );
  assert.match(text.stderr, /^warning \[SCAN_FILE_SKIPPED\] image\.bin: not scanned, binary/m);
  assert.ok(!text.stdout.includes('✓'), 'a scan that skipped files does not read as clean');
  assert.match(text.stdout, /no secrets found in what was scanned, but 3 files were not scanned/);
  assert.ok(!(text.stdout + text.stderr).includes(token));

  const json = await runCli(['scan', '--format', 'json'], { cwd: dir });
  assert.equal(json.code, 0);
  assert.equal(json.stderr, '');
  const data = JSON.parse(json.stdout);
  assert.deepEqual(
    data.skipped.files.map((f: { file: string; reason: string }) => [f.file, f.reason]),
    expected,
  );
  assert.deepEqual([data.skipped.binary, data.skipped.oversized, data.skipped.undecodable], [1, 1, 1]);
  assert.match(data.skipped.files[0].message, /over the 1000 B size limit \(scan\.maxFileSize\)/);

  const sarif = JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: dir })).stdout);
  const invocation = sarif.runs[0].invocations[0];
  assert.equal(invocation.executionSuccessful, true);
  assert.deepEqual(
    invocation.toolExecutionNotifications.map(
      (n: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        n.locations[0]?.physicalLocation.artifactLocation.uri,
        n.level,
      ],
    ),
    expected.map(([file]) => [file, 'warning']),
  );

  const failing = await runCli(['scan', '--fail-on-skipped'], { cwd: dir });
  assert.equal(failing.code, 1);
  assert.match(
    failing.stderr,
    /error \[SCAN_FILES_SKIPPED\] 3 files were not scanned: big\.log \(oversized\), broken\.reg \(undecodable\), image\.bin \(binary\)/,
  );
  assert.match(failing.stderr, /hint: .*--fail-on-skipped/);

  // Standard output stays exactly one JSON document, the error inside it.
  const failingJson = await runCli(['scan', '--fail-on-skipped', '--format', 'json'], { cwd: dir });
  assert.equal(failingJson.code, 1);
  const failed = JSON.parse(failingJson.stdout);
  assert.equal(failed.error.code, 'SCAN_FILES_SKIPPED');
  assert.equal(failed.report.skipped.files.length, 3);
  const failingSarif = await runCli(['scan', '--fail-on-skipped', '--format', 'sarif'], { cwd: dir });
  assert.equal(failingSarif.code, 1);
  assert.equal(JSON.parse(failingSarif.stdout).runs[0].invocations[0].executionSuccessful, false);

  const markdown = await runCli(['scan', '--format', 'markdown'], { cwd: dir });
  assert.match(markdown.stdout, /^### Secret scan: no secrets found, 3 files not scanned/);
  assert.match(markdown.stdout, /\| image\.bin \| binary \(a NUL byte in its first 8 KiB\) \|/);

  // A baseline written from such a scan says what it could not look at.
  const baseline = await runCli(['scan', '--write-baseline', 'scan.baseline', '--format', 'json'], {
    cwd: dir,
  });
  assert.deepEqual(
    JSON.parse(baseline.stdout).notScanned.map((f: { file: string; reason: string }) => [f.file, f.reason]),
    expected,
  );

  const clean = await runCli(['scan', '--fail-on-skipped', 'ok.txt'], { cwd: dir });
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.stderr, '');
});

test('UTF-16 (both byte orders) and UTF-8 files with a byte-order mark are decoded and scanned', async (t) => {
  const lines = (token: string) =>
    ['# Deploy script', 'Set-StrictMode -Version Latest', `$env:GH_TOKEN = "${token}"`, ''].join('\r\n');
  const bom = { le: [0xff, 0xfe], be: [0xfe, 0xff], utf8: [0xef, 0xbb, 0xbf] };
  const encode = (text: string, order: keyof typeof bom) => {
    const body =
      order === 'utf8'
        ? Buffer.from(text, 'utf8')
        : order === 'le'
          ? Buffer.from(text, 'utf16le')
          : Buffer.from(text, 'utf16le').swap16();
    return Buffer.concat([Buffer.from(bom[order]), body]);
  };
  const dir = tempDir(t);
  const tokens = { le: githubToken(15), be: githubToken(16), utf8: githubToken(17) };
  writeFileSync(join(dir, 'deploy-le.ps1'), encode(lines(tokens.le), 'le'));
  writeFileSync(join(dir, 'deploy-be.ps1'), encode(lines(tokens.be), 'be'));
  writeFileSync(join(dir, 'deploy-utf8.ps1'), encode(lines(tokens.utf8), 'utf8'));
  // A registry export as Windows' regedit writes it: UTF-16LE with a byte-order mark.
  const reg = `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Acme]\r\n"Token"="${githubToken(18)}"\r\n`;
  writeFileSync(join(dir, 'settings.reg'), encode(reg, 'le'));

  const result = await runCli(['scan', '--format', 'json', '--reveal'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string; line: number; column: number; rule: string }) => [
      f.file,
      f.line,
      f.column,
      f.rule,
    ]),
    [
      ['deploy-be.ps1', 3, 18, 'github-pat'],
      ['deploy-le.ps1', 3, 18, 'github-pat'],
      ['deploy-utf8.ps1', 3, 18, 'github-pat'],
      ['settings.reg', 4, 10, 'github-pat'],
    ],
  );
  assert.equal(data.findings[0].secret, tokens.be);
  assert.deepEqual(data.skipped.files, []);

  // Standard input is decoded the same way.
  const piped = await runCli(['scan', '--stdin', '--format', 'json'], {
    input: encode(lines(tokens.le), 'le'),
  });
  assert.equal(piped.code, 2, piped.stderr);
  const stdout = piped.stdout;
  assert.equal(JSON.parse(stdout).findings[0].line, 3);
});

test('scan exits 0 on a clean tree and 1 when a path does not exist', async (t) => {
  const dir = tempDir(t, { 'a.txt': 'hello\n' });
  const clean = await runCli(['scan'], { cwd: dir });
  assert.equal(clean.code, 0);
  assert.match(clean.stdout, /✓ no secrets found \(scanned 1 file, 6 B\)/);
  const absolute = await runCli(['scan', dir], { cwd: REPO_ROOT });
  assert.equal(absolute.code, 0, absolute.stderr);
  const missing = await runCli(['scan', 'nope'], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error \[SCAN_PATH_NOT_FOUND\] nope does not exist/);
});

test('scan --stdin scans standard input', async () => {
  const token = githubToken(7);
  const result = await runCli(['scan', '--stdin', '--stdin-name', 'pasted.txt', '--format', 'json'], {
    input: `hello ${token}\n`,
  });
  assert.equal(result.code, 2, result.stderr);
  const stdout = result.stdout;
  const data = JSON.parse(stdout);
  assert.equal(data.findings[0].file, 'pasted.txt');
});

test('custom rules and allowlists come from the scan section of stagecraft.yaml', async (t) => {
  const gen = new Gen(8);
  const custom = `acme_${gen.hex(32)}`;
  const dir = tempDir(t, {
    'stagecraft.yaml': `scan:\n  rules:\n    - id: acme-key\n      description: ACME API key\n      regex: 'acme_[0-9a-f]{32}'\n  allowlist:\n    paths: ['^fixtures/']\n`,
    'app.env': `ACME=${custom}\n`,
    'fixtures/sample.env': `ACME=${custom}\nGH=${githubToken(9)}\n`,
  });
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string; rule: string }) => `${f.file}:${f.rule}`),
    ['app.env:acme-key'],
  );
  assert.equal(data.suppressed, 2);
});

test('an invalid scan section is an invalid workspace: exit 2, at its line', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': `scan:\n  rules:\n    - id: Bad Id\n      regex: '('\n` });
  const result = await runCli(['scan'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /error \[SCAN_CONFIG_INVALID\] the scan section of stagecraft\.yaml is invalid:/,
  );
  assert.match(result.stderr, /stagecraft\.yaml:3:11: error scan\.rules\[0\]\.id must be a kebab-case id/);
  assert.match(result.stderr, /stagecraft\.yaml:4:14: error scan\.rules\[0\]\.regex does not compile/);
});

test('worker threads find exactly what the main thread finds', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++)
    files[`dir${i % 4}/f${i}.env`] = `${'filler line\n'.repeat(200)}TOKEN=${githubToken(100 + i)}\n`;
  const dir = tempDir(t, files);
  const single = JSON.parse(
    (await runCli(['scan', '--workers', '0', '--format', 'json'], { cwd: dir })).stdout,
  );
  // The built package: its workers load dist/scan/worker.js (Node 20 gives a worker thread no TypeScript loader).
  const parallel = JSON.parse(
    (await spawnCli(['scan', '--workers', '2', '--format', 'json'], { cwd: dir })).stdout,
  );
  assert.equal(single.findings.length, 40);
  assert.deepEqual(parallel.findings, single.findings);
  assert.deepEqual(parallel.scanned, single.scanned);
});

test('a file with hundreds of thousands of secrets is scanned whole, without overflowing the stack', async (t) => {
  // 240,000 lines stay under the 10 MB size limit; the main thread (--workers 0) has the smaller stack.
  const lines = 240_000;
  const dir = tempDir(t, { 'tokens.txt': `${githubToken(13)}\n`.repeat(lines) });
  const result = await runCli(['scan', '--workers', '0'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr.slice(0, 2000));
  assert.equal(result.stderr, '');
  assert.match(result.stdout, new RegExp(`✗ ${lines} secrets in 1 file \\(scanned 1 file,`));
  assert.match(result.stdout, new RegExp(`\\n {2}${lines}:1 +github-pat `));
});

test('the repository itself passes its own scanner', async () => {
  const result = await runCli(['scan', '--format', 'json'], { cwd: REPO_ROOT });
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string; line: number; rule: string }) => `${f.file}:${f.line} ${f.rule}`),
    [],
  );
  assert.equal(result.code, 0);
});

test('a repository’s .gitleaks.toml rules and allowlists are honoured', async (t) => {
  const gen = new Gen(10);
  const internal = `INT-${gen.upperHex(24)}`;
  const dir = tempDir(t, {
    '.gitleaks.toml': `title = "team config"

[[rules]]
id = "internal-token"
description = "Internal service token"
regex = '''(?i)\\b(INT-[0-9A-F]{24})\\b'''
secretGroup = 1
keywords = ["int-"]

[allowlist]
paths = ['''^vendor/''']
`,
    'svc.conf': `token = ${internal}\n`,
    'vendor/lib.conf': `token = ${internal}\nGH=${githubToken(11)}\n`,
  });
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string; rule: string }) => `${f.file}:${f.rule}`),
    ['svc.conf:internal-token'],
  );
  assert.equal(data.suppressed, 2);
});

test('a .gitleaks.toml regex RE2 cannot compile is invalid settings (exit 2) at its line, naming the rule', async (t) => {
  const dir = tempDir(t, {
    '.gitleaks.toml': `[[rules]]\nid = "broken"\nregex = '''([a-z'''\n`,
    'a.txt': 'x',
  });
  const result = await runCli(['scan'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /error \[SCAN_GITLEAKS_CONFIG_INVALID\] .*\.gitleaks\.toml:3: rule broken \(rules\[0\]\): its regex does not compile as RE2: missing closing \]/,
  );

  // JavaScript would run lookaround and backreferences, with backtracking; RE2 refuses them.
  writeFileSync(
    join(dir, '.gitleaks.toml'),
    `[[rules]]\nid = "fine"\nregex = '''fine_[0-9]{8}'''\n\n[[rules]]\nid = "lookahead"\ndescription = "x"\nregex = '''key_(?=[a-z]+)'''\n`,
  );
  const lookahead = await runCli(['scan'], { cwd: dir });
  assert.equal(lookahead.code, 2);
  assert.match(
    lookahead.stderr,
    /\.gitleaks\.toml:8: rule lookahead \(rules\[1\]\): its regex does not compile as RE2: invalid or unsupported Perl syntax/,
  );
  assert.match(
    lookahead.stderr,
    /hint: gitleaks regexes are RE2 \(Go regexp\): no lookaround or backreferences/,
  );

  writeFileSync(join(dir, '.gitleaks.toml'), '');
  writeFileSync(
    join(dir, 'stagecraft.yaml'),
    `scan:\n  rules:\n    - id: repeated\n      regex: '(token)=\\1'\n  allowlist:\n    regexes: ['^(?!real)']\n`,
  );
  const yaml = await runCli(['scan'], { cwd: dir });
  assert.equal(yaml.code, 2);
  assert.match(
    yaml.stderr,
    /stagecraft\.yaml:4:14: error scan\.rules\[0\]\.regex does not compile \(rule repeated\): invalid escape sequence: `\\1`/,
  );
  assert.match(
    yaml.stderr,
    /stagecraft\.yaml:6:15: error scan\.allowlist\.regexes\[0\] is not a valid regular expression/,
  );
});

test('a custom rule that backtracks exponentially in JavaScript (key_(a|aa)+$) does not stall a scan', async (t) => {
  // A line the rule's keyword starts: a backtracking engine tries every split of the a's before giving up.
  // (Kept within the 4 KiB a pattern is run on around its keyword, where `$` would match at the cut.)
  const line = `key_${'a'.repeat(4_000)}b\n`;
  const gitleaks = tempDir(t, {
    '.gitleaks.toml': `[[rules]]\nid = "evil"\nregex = '''key_(a|aa)+$'''\n`,
    'data.txt': line,
  });
  const yaml = tempDir(t, {
    'stagecraft.yaml': `scan:\n  rules:\n    - id: evil\n      regex: 'key_(a|aa)+$'\n      keywords: [key_]\n`,
    'data.txt': line,
  });
  for (const dir of [gitleaks, yaml]) {
    const started = Date.now();
    const result = await runCli(['scan', '--format', 'json'], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(result.code, 0, `exit ${result.code} after ${Date.now() - started} ms: ${result.stderr}`);
    assert.deepEqual(JSON.parse(result.stdout).findings, []);
  }
  // The same rule still finds what it describes.
  writeFileSync(join(yaml, 'data.txt'), `key_${'a'.repeat(40)}`);
  const found = await runCli(['scan', '--format', 'json'], { cwd: yaml, timeoutMs: 30_000 });
  assert.equal(found.code, 2, found.stderr);
  assert.equal(JSON.parse(found.stdout).findings[0].rule, 'evil');
});

test('a stagecraft:allow comment suppresses a finding, and the report counts it', async (t) => {
  const dir = tempDir(t, {
    'fixture.py': `TOKEN = "${githubToken(12)}"  # stagecraft:allow github-pat -- parser fixture\n`,
  });
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 0, result.stdout);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(data.findings, []);
  assert.equal(data.suppressed, 1);
  const text = await runCli(['scan'], { cwd: dir });
  assert.match(text.stdout, /✓ no secrets found \(scanned 1 file, \d+ B; skipped 1 suppressed\)/);
});

test('the repository’s whole history passes its own scanner', async (t) => {
  const shallow = await runCli(['scan', '--history', '--format', 'json'], { cwd: REPO_ROOT });
  if (shallow.code === 1 && /shallow clone/.test(shallow.stdout)) {
    t.skip('a shallow clone holds only part of the history');
    return;
  }
  const data = JSON.parse(shallow.stdout);
  assert.deepEqual(
    data.findings.map(
      (f: { file: string; line: number; rule: string; commit: { sha: string } }) =>
        `${f.commit.sha.slice(0, 12)} ${f.file}:${f.line} ${f.rule}`,
    ),
    [],
  );
  assert.equal(shallow.code, 0);
  assert.ok(data.scanned.commits > 0);
});

test('a .gitleaks.toml keyword beyond ASCII and a detect-secrets entry that is not an object are read, not a crash', async (t) => {
  const gen = new Gen(12);
  const internal = `INT-${gen.upperHex(24)}`;
  const dir = tempDir(t, {
    '.gitleaks.toml': `[[rules]]
id = "internal-token"
regex = '''\\b(INT-[0-9A-F]{24})\\b'''
secretGroup = 1
keywords = ["jeton-interne-é", "int-"]
`,
    '.secrets.baseline': JSON.stringify({ results: { 'svc.conf': [null, 'x', { line_number: 7 }] } }),
    'svc.conf': `token = ${internal}\n`,
  });
  const result = await runCli(['scan', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { rule: string }) => f.rule),
    ['internal-token'],
  );
});
