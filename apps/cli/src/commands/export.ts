import type { Command } from 'commander';
import { cadreIdOfStream } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import { withLedger } from '../context';
import { usageError } from '../exit-codes';
import { note } from '../output';

const PAGE = 1000;

/** Records, before a page is written out, that the cadres in it were read (the read audit). */
export type RecordExport = (cadreIds: readonly string[]) => Promise<void>;

/**
 * Writes one page at a time and waits for the pipe to drain: memory stays flat for any size.
 * Each page's cadres are recorded in the read audit before the page is written.
 */
export async function exportEvents(store: EventStore, since: number, out: NodeJS.WritableStream, recordExport: RecordExport = async () => undefined): Promise<{ events: number; lastPosition: number }> {
  let position = since;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: position, limit: PAGE });
    if (page.length === 0) break;
    await recordExport([...new Set(page.flatMap((event) => cadreIdOfStream(event.stream) ?? []))]);
    const chunk = page.map((event) => `${JSON.stringify(event)}\n`).join('');
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
    events += page.length;
    position = page[page.length - 1].globalPosition;
    if (page.length < PAGE) break;
  }
  return { events, lastPosition: position };
}

export function parsePosition(value: string): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position) || position < 0) throw usageError(`--since ${JSON.stringify(value)}: a global position, a whole number ≥ 0`);
  return position;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write every event in global order to stdout, one JSON object a line (the import format)')
    .option('--since <position>', 'only events after this global position (exclusive), e.g. the last one of a previous export', '0')
    .addHelpText('after', '\nExample: ledger export > ledger.ndjson; ledger export --since 123456789 >> ledger.ndjson')
    .action(async (options: { since: string }) => {
      const since = parsePosition(options.since);
      // A reader that goes away (`| head`) is not an error of ours.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      const { events, lastPosition } = await withLedger(({ store, recordAccess }) =>
        exportEvents(store, since, process.stdout, (cadreIds) => recordAccess(cadreIds, 'export', 'ledger export')),
      );
      note(`exported ${events} event(s)${events > 0 ? `; last global position ${lastPosition} (resume with --since ${lastPosition})` : ''}`);
    });
}
