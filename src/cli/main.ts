#!/usr/bin/env node
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Only a command that reads standard input opens it.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  env: process.env,
  cwd: process.cwd(),
  chdir: (dir) => process.chdir(dir),
});
// Let pending writes flush instead of calling process.exit, which can truncate piped output.
process.exitCode = code;
