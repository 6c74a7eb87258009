#!/usr/bin/env node
// Writes docs/errors.md from the error code catalogs (each module's errors.ts): `npm run docs:errors`, which
// runs this through tsx, since the catalogs are TypeScript.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDeclaredCodes, renderErrorsDoc, sourceRoots } from '../src/cli/errors-doc.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs/errors.md'), renderErrorsDoc(await loadDeclaredCodes(sourceRoots(root))));
