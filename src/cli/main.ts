#!/usr/bin/env node
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Let pending writes flush instead of calling process.exit, which can truncate piped output.
process.exitCode = code;
