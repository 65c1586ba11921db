import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LocalDate } from '@cadre-ledger/domain';
import { DuplicateEventIdConflict, WrongExpectedRevision, formatFor, type EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { ProgressReporter, ProgressState } from './progress';
import { parseImportLine, type ImportLine } from './shapes';
import { StreamViews, appendPending, type PendingBatch } from '@cadre-ledger/intake';
import { validateLine, type ValidationContext } from './validate';

export interface ImportOptions {
  onError: 'stop' | 'skip';
  ruleBook: RuleBook;
  today: LocalDate;
  /** Lines validated before their events are appended, stream by stream. */
  chunkSize?: number;
}

export interface RefusedLine {
  line: number;
  reason: string;
}

export interface ImportReport {
  lines: number;
  /** Appended by this run. */
  imported: number;
  /** Already in the store with the same content (a re-run, or a run resumed after a crash). */
  alreadyStored: number;
  refused: number;
  /** The first refused lines (all of them are also reported as they happen). */
  refusedLines: RefusedLine[];
  /** `--on-error stop` met a bad line: nothing after it was imported. */
  stopped: boolean;
  elapsedMs: number;
  factsPerSecond: number;
}

const MAX_LISTED = 1000;

/**
 * Bulk import of the export format. Lines are read in order and validated in chunks (shape, then
 * the stream's revision and hash, then the decider); the accepted events of each stream in a chunk
 * go to the store in one append, a few streams at a time, with the expected revision. Every append
 * is atomic and idempotent by eventId, so a run killed at any point is resumed by running it again:
 * what is stored is recognised line by line and skipped, and nothing is stored twice.
 */
export async function importFile(store: EventStore, path: string, options: ImportOptions, progress: ProgressReporter): Promise<ImportReport> {
  const chunkSize = Math.min(options.chunkSize ?? 2000, 4000);
  const views = new StreamViews(store);
  const ctx: ValidationContext = { ruleBook: options.ruleBook, views, today: options.today, hashFormat: formatFor(store.hashAlgorithm) };
  const state: ProgressState = { done: 0, refused: 0, bytesRead: 0, totalBytes: (await stat(path)).size, startedAt: Date.now() };
  const report: ImportReport = { lines: 0, imported: 0, alreadyStored: 0, refused: 0, refusedLines: [], stopped: false, elapsedMs: 0, factsPerSecond: 0 };

  let appendFailed = false;
  const refuse = (line: number, reason: string) => {
    report.refused += 1;
    state.refused += 1;
    if (report.refusedLines.length < MAX_LISTED) report.refusedLines.push({ line, reason });
    progress.log(`line ${line}: ${reason}`);
    if (options.onError === 'stop') report.stopped = true;
  };

  const validateChunk = async (chunk: { line: number; raw: string }[]) => {
    const parsed = chunk.map(({ line, raw }) => ({ line, parsed: parseImportLine(raw) }));
    await views.prefetch(parsed.flatMap(({ parsed: p }) => ('refused' in p ? [] : [p.stream])));
    for (const { line, parsed: p } of parsed) {
      if ('refused' in p) refuse(line, p.refused);
      else await validateOne(p, line);
      if (report.stopped) break;
    }
  };

  const validateOne = async (line: ImportLine, lineNumber: number) => {
    const verdict = await validateLine(line, lineNumber, await views.get(line.stream), ctx);
    if ('refused' in verdict) refuse(lineNumber, verdict.refused);
    else if ('alreadyStored' in verdict) {
      report.alreadyStored += 1;
      state.done += 1;
    }
  };

  // Appends of one chunk run while the next chunk is read and validated: the database works while
  // this process validates. At most one chunk is in flight, and views are trimmed only between
  // flights, so a view a flight may still need is never dropped and read back stale.
  let inFlight: Promise<void> = Promise.resolve();

  const nextFlight = async () => {
    await inFlight;
    settleBroken();
    views.trim();
    progress.update(state);
    // Stopped by a refused append: what was validated since comes after the bad line; drop it.
    if (appendFailed && report.stopped) return;
    const batches = views.withPending().map((view) => {
      const pending = view.pending;
      view.pending = [];
      return { view, pending };
    });
    inFlight = appendAll(batches);
  };

  /** Lines a broken stream accepted after the failed append cannot be stored as validated: refuse them. */
  const settleBroken = () => {
    for (const view of views.broken()) {
      for (const p of view.pending) refuse(p.line, `not stored: an earlier line of ${view.stream} was refused when appended`);
      view.pending = [];
      views.forget(view.stream);
    }
  };

  /**
   * Many streams per commit where the store can (`appendPending`); a stream whose append is
   * refused has its lines refused and is marked broken, and the others are stored.
   */
  const appendAll = (batches: PendingBatch[]) =>
    appendPending(
      store,
      batches,
      ({ pending }) => {
        report.imported += pending.length;
        state.done += pending.length;
      },
      ({ view, pending }, error) => {
        view.broken = true; // it no longer matches the store; settled before the next flight
        appendFailed = true;
        refuse(pending[0].line, appendFailure(error, view.stream));
        for (const p of pending.slice(1)) refuse(p.line, `not stored: line ${pending[0].line} of the same stream was refused in the same batch`);
      },
    );

  const input = createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let chunk: { line: number; raw: string }[] = [];
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      // Bytes of the lines taken so far (not of the stream's read-ahead): what the ETA is based on.
      state.bytesRead += Buffer.byteLength(raw) + 1;
      if (raw.trim() === '') continue;
      report.lines += 1;
      chunk.push({ line: lineNumber, raw });
      if (chunk.length >= chunkSize) {
        await validateChunk(chunk);
        chunk = [];
        await nextFlight();
        if (report.stopped) break;
      }
    }
    if (!report.stopped && chunk.length > 0) {
      await validateChunk(chunk);
      await nextFlight();
    }
    await inFlight;
    settleBroken();
  } finally {
    lines.close();
    input.destroy();
  }
  report.elapsedMs = Date.now() - state.startedAt;
  report.factsPerSecond = Math.round((report.imported + report.alreadyStored) / Math.max(report.elapsedMs / 1000, 0.001));
  if (!report.stopped) state.bytesRead = state.totalBytes;
  progress.stop(state);
  return report;
}

function appendFailure(error: unknown, stream: string): string {
  if (error instanceof DuplicateEventIdConflict) return `eventId ${error.eventId} is already stored with other content or in another stream than ${stream}`;
  if (error instanceof WrongExpectedRevision) return `${stream} changed in the store while importing (${error.message}); run the import again`;
  throw error;
}
