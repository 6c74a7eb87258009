/** A worker thread that runs the CLI for `runCli`'s bounded runs, one request at a time, until stopped. */
import { parentPort } from 'node:worker_threads';
import { type RunRequest, runHere } from './cli.ts';

parentPort?.on('message', (request: RunRequest) => {
  void runHere(request).then(
    (result) => parentPort?.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
});
