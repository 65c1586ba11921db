import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, type HashAlgorithm } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { InlineValidator, type WorkerReply, type WorkerRequest, type WorkerSetup } from './validators';

/**
 * A validation thread of `ledger import` (validators.ts, WorkerValidator): its own connection to
 * the store and its own views, the same validation as on the main thread, requests answered in
 * the order they come.
 */
async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const store = await openEventStore({ databaseUrl: setup.databaseUrl, eventStoreConnectionString: setup.eventStoreConnectionString, hashAlgorithm: setup.hashAlgorithm as HashAlgorithm | undefined, poolSize: 4 });
  const validator = new InlineValidator(store, readRuleBook(setup.ruleSetsDir), setup.today);
  const reply = (message: WorkerReply) => parentPort!.postMessage(message);
  let queue: Promise<void> = Promise.resolve();
  parentPort!.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        if (request.kind === 'chunk') {
          const owned = new Set(request.lines.filter((l) => l.owned).map((l) => l.line));
          const verdicts = await validator.validate(request.lines);
          reply({ kind: 'verdicts', verdicts: verdicts.filter((v) => owned.has(v.line)) });
        } else if (request.kind === 'settle') {
          await validator.settle(request.broken, new Set(request.keep));
          reply({ kind: 'settled' });
        } else {
          await store.close();
          reply({ kind: 'closed' });
        }
      } catch (error) {
        reply({ kind: 'failed', message: (error as Error).stack ?? String(error) });
      }
    });
  });
  reply({ kind: 'ready' });
}

main().catch((error: unknown) => parentPort!.postMessage({ kind: 'failed', message: (error as Error).stack ?? String(error) } satisfies WorkerReply));
