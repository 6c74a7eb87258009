#!/usr/bin/env node
// Writes docs/commands/ from the command definitions: `npm run docs:commands`, which runs this through tsx,
// since the command tree and the error catalogs are TypeScript. Pages of commands that no longer exist are
// removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS_DIR, codesByCatalog, renderCommandPages } from '../src/cli/commands-doc.ts';
import { createProgram } from '../src/cli/program.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: root };
const pages = renderCommandPages(createProgram([], io), {
  repository: root,
  programFile: join(root, 'src/cli/program.ts'),
  catalogs: await codesByCatalog(root),
});
const dir = join(root, COMMANDS_DIR);
mkdirSync(dir, { recursive: true });
const written = new Set(pages.map((page) => join(root, page.file)));
for (const name of readdirSync(dir)) if (!written.has(join(dir, name))) rmSync(join(dir, name));
for (const page of pages) writeFileSync(join(root, page.file), page.text);
console.log(`wrote ${pages.length} pages to ${COMMANDS_DIR}/`);
