/** A scan worker: builds its own engine from the rules module, then scans the batches of files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { ScanEngine } from './engine.ts';
import { buildRuleSet, type CustomRuleDefinition } from './rule-set.ts';
import { emptySummary, scanOne, toWorkerReply } from './scanner.ts';
import type { WalkedFile } from './walk.ts';

const { customRules } = workerData as { customRules: CustomRuleDefinition[] };
const engine = new ScanEngine(buildRuleSet(customRules));

parentPort?.on('message', (files: WalkedFile[]) => {
  const summary = emptySummary();
  for (const file of files) scanOne(engine, file, summary);
  parentPort?.postMessage(toWorkerReply(summary));
});
