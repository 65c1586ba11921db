/**
 * The child process of intakeInChildProcess (isolated.ts): takes one IntakeJob over IPC, runs the
 * spreadsheet intake against its own connections to the store, sends its progress and its report,
 * and exits. Its heap is limited by the parent (--max-old-space-size).
 */
import { openEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { intakeSpreadsheet, type IntakeProgress } from './engine';
import type { IntakeJob, IntakeMessage } from './isolated';
import { IntakeTooLarge } from './limits';
import { UnreadableWorkbook } from './workbook';

/** Progress at most this often: a job's progress is a heartbeat, not a log. */
const PROGRESS_EVERY_MS = 250;

const send = (message: IntakeMessage): Promise<void> => new Promise((resolve) => (process.send ? process.send(message, undefined, {}, () => resolve()) : resolve()));

async function run(job: IntakeJob): Promise<void> {
  let store: Awaited<ReturnType<typeof openEventStore>> | undefined;
  let last = 0;
  const onProgress = (progress: IntakeProgress) => {
    if (Date.now() - last < PROGRESS_EVERY_MS && progress.phase !== 'done') return;
    last = Date.now();
    void send({ progress });
  };
  try {
    store = await openEventStore({ ...job.connection, poolSize: 4 });
    const { path, units, connection, ...options } = job;
    const report = await intakeSpreadsheet(store, path, { ...options, ruleBook: readRuleBook(connection.ruleSetsDir), units: units ? new Set(units) : undefined, onProgress });
    await send({ report });
  } catch (error) {
    if (error instanceof IntakeTooLarge) await send({ refused: { name: 'IntakeTooLarge', message: error.message, limit: error.limit } });
    else if (error instanceof UnreadableWorkbook) await send({ refused: { name: 'UnreadableWorkbook', message: error.message } });
    else await send({ failed: (error as Error).message ?? String(error) });
  } finally {
    await store?.close().catch(() => undefined);
  }
}

process.once('message', (job: IntakeJob) => {
  run(job).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
});
