import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { rebuildReadModels, migrateReadModels, type RebuildProgress } from '@cadre-ledger/projections';
import { enqueueEligibilitySnapshot } from '@cadre-ledger/messaging';
import { withLedger } from '../context';
import { note, write, writeJson } from '../output';

/**
 * `ledger rebuild`: every read model from position 0 into fresh tables, swapped in atomically
 * while the old ones keep serving (a running `npm start` keeps answering from them meanwhile).
 */
export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('rebuild every read model (eligibility, locks, cases, touches, the directory) from the event store, then swap them in')
    .option('--json', 'print the result as JSON')
    .option('--republish', 'then queue every cadre\'s verdict for the Kafka eligibility topics (the relay publishes a full snapshot)')
    .action(async (options: { json?: boolean; republish?: boolean }) => {
      // The read models live in the ledger's PostgreSQL, whichever store holds the events.
      await withLedger(async ({ store, ruleBook, ledger, pool, config }) => {
        await migrateReadModels(pool);
        const total = store instanceof PostgresEventStore ? Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n) : undefined;
        const report = progress(process.stderr.isTTY === true, total);
        const started = performance.now();
        const result = await rebuildReadModels({ pool, store, ruleBook, today: () => ledger.today(), totalEvents: total, onProgress: report.update });
        const elapsedMs = Math.round(performance.now() - started);
        const eventsPerSecond = Math.round(result.events / Math.max(elapsedMs / 1000, 0.001));
        report.stop();
        // The compacted topic gets the verdict of every cadre again, as the rebuilt rows give it.
        const republished = options.republish ? await enqueueEligibilitySnapshot(pool) : undefined;
        if (republished !== undefined && config.kafka.brokers.length === 0) {
          note('note: KAFKA_BROKERS is not set here: the verdicts wait in the outbox for the relay of the process that publishes to Kafka');
        }
        const again = republished === undefined ? '' : `; ${republished} verdicts queued for the Kafka eligibility topics (the relay publishes them)`;
        if (options.json) await writeJson({ ...result, elapsedMs, eventsPerSecond, ...(republished === undefined ? {} : { republished }) });
        else await write(`rebuilt the read models from ${result.events} events (up to position ${result.position}) in ${(elapsedMs / 1000).toFixed(1)} s (${eventsPerSecond} events/s) and swapped them in${again}\n`);
      });
    });
}

/** A bar on a terminal; plain progress lines (at most one a second) elsewhere. */
function progress(tty: boolean, total: number | undefined) {
  const eta = (p: RebuildProgress) => (p.etaSeconds === null ? '?' : `${p.etaSeconds}s`);
  if (!tty) {
    let last = 0;
    return {
      update: (p: RebuildProgress) => {
        if (Date.now() - last < 1000) return;
        last = Date.now();
        process.stderr.write(`progress: ${p.events} events, ${p.rate} events/s, ETA ${eta(p)}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: 'rebuild [{bar}] {value}/{total} events | {rate} events/s | ETA {etaText}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  bar.start(total ?? 0, 0, { rate: 0, etaText: '?' });
  return {
    update: (p: RebuildProgress) => bar.update(p.events, { rate: p.rate, etaText: eta(p) }),
    stop: () => bar.stop(),
  };
}
