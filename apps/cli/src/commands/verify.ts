import type { Command } from 'commander';
import { cadreStream } from '@cadre-ledger/domain';
import { chainHash, GENESIS_HASH, isHashFormat, type EventStore, type VerifyResult } from '@cadre-ledger/event-store';
import { withLedger } from '../context';
import { EXIT_REFUSED, refused } from '../exit-codes';
import { table, write, writeJson } from '../output';

const PAGE = 1000;

export interface Broken {
  stream: string;
  revision: number;
  eventId: string;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  lastPosition: number;
  broken: Broken[];
}

/**
 * Every stream's chain in one pass over the global order: only each stream's last hash and revision
 * stay in memory, so any size of ledger is checked with memory bounded by the number of streams.
 * A stream stops being checked at its first broken revision (everything after it hangs on it).
 */
export async function verifyAll(store: EventStore): Promise<VerifyReport> {
  const heads = new Map<string, { revision: number; hash: string } | 'broken'>();
  const broken: Broken[] = [];
  let events = 0;
  let position = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: position, limit: PAGE });
    for (const event of page) {
      events += 1;
      position = event.globalPosition;
      const head = heads.get(event.stream);
      if (head === 'broken') continue;
      const expectedRevision = head ? head.revision + 1 : 0;
      const prevHash = head ? head.hash : GENESIS_HASH;
      let reason: string | undefined;
      if (event.revision !== expectedRevision) reason = `revision ${expectedRevision} is missing`;
      else if (event.prevHash !== prevHash) reason = 'prevHash does not match the previous event';
      else if (!isHashFormat(event.hashFormat) || event.hash !== chainHash(prevHash, event, event.hashFormat)) reason = 'content does not match its hash';
      if (reason) {
        broken.push({ stream: event.stream, revision: event.revision, eventId: event.eventId, reason });
        heads.set(event.stream, 'broken');
      } else {
        heads.set(event.stream, { revision: event.revision, hash: event.hash });
      }
    }
    if (page.length < PAGE) break;
  }
  return { ok: broken.length === 0, streams: heads.size, events, lastPosition: position, broken };
}

interface VerifyOptions {
  cadre?: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('recompute hash chains (every stream, or one cadre); exit 1 naming the stream and revision of an altered event')
    .option('--cadre <cadreId>', 'check only this cadre\'s stream')
    .option('--json', 'print the report as JSON')
    .action(async (options: VerifyOptions) => {
      const report = await withLedger(async ({ store }) => (options.cadre ? verifyOne(store, options.cadre) : verifyAll(store)));
      await print(report, options.json === true);
      if (!report.ok) process.exitCode = EXIT_REFUSED;
    });
}

async function verifyOne(store: EventStore, cadreId: string): Promise<VerifyReport> {
  const stream = cadreStream(cadreId);
  const result: VerifyResult = await store.verifyStream(stream);
  if (result.checked === 0) throw refused(`no cadre ${cadreId}: stream ${stream} holds no events`);
  const broken = result.brokenAt ? [{ ...result.brokenAt, reason: 'stored hash or prevHash does not match the recomputation' }] : [];
  return { ok: result.ok, streams: 1, events: result.checked, lastPosition: 0, broken };
}

async function print(report: VerifyReport, json: boolean): Promise<void> {
  if (json) return writeJson(report);
  const summary = table(['streams', 'events checked', 'result']);
  summary.push([report.streams, report.events, report.ok ? 'every hash chain intact' : `${report.broken.length} stream(s) ALTERED`]);
  let text = `${summary.toString()}\n`;
  if (!report.ok) {
    const altered = table(['stream', 'revision', 'eventId', 'what']);
    for (const b of report.broken) altered.push([b.stream, b.revision, b.eventId, b.reason]);
    text += `${altered.toString()}\n`;
  }
  await write(text);
}
