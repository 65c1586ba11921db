import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LocalDate } from '@cadre-ledger/domain';
import { DuplicateEventIdConflict, WrongExpectedRevision, type EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { ProgressReporter, ProgressState } from './progress';
import { appendPending, viewOf, type PendingBatch, type PendingEvent } from '@cadre-ledger/intake';
import { InlineValidator, type ChunkValidator, type LineVerdict, type RawLine } from './validators';

export interface ImportOptions {
  onError: 'stop' | 'skip';
  ruleBook: RuleBook;
  today: LocalDate;
  /** Lines validated before their events are appended, stream by stream. */
  chunkSize?: number;
  /** Where lines are validated (worker threads for a large file); default this thread, closed at the end. */
  validator?: ChunkValidator;
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
  const validator = options.validator ?? new InlineValidator(store, options.ruleBook, options.today);
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

  /** The accepted events of a validated chunk, by stream in line order; refusals and already-stored lines counted as they come. */
  const takeVerdicts = (verdicts: readonly LineVerdict[]): Map<string, PendingEvent[]> => {
    const accepted = new Map<string, PendingEvent[]>();
    for (const verdict of verdicts) {
      if ('refused' in verdict) refuse(verdict.line, verdict.refused);
      else if ('alreadyStored' in verdict) {
        report.alreadyStored += 1;
        state.done += 1;
      } else {
        const pending = accepted.get(verdict.stream) ?? [];
        pending.push({ event: verdict.event, line: verdict.line, revision: verdict.revision });
        accepted.set(verdict.stream, pending);
      }
      // --on-error stop: nothing after the first bad line is stored.
      if (report.stopped) break;
    }
    return accepted;
  };

  // Appends of one chunk run while the next chunk is read and validated: the database works while
  // the validator does. At most one chunk is in flight; between flights the validator forgets the
  // streams whose append failed and may drop views, but never those of the chunk about to go.
  let inFlight: Promise<void> = Promise.resolve();
  let broken = new Set<string>();

  const nextFlight = async (accepted: Map<string, PendingEvent[]>) => {
    await inFlight;
    // Lines a stream accepted after its append failed were validated on what never got stored.
    for (const stream of broken) {
      for (const p of accepted.get(stream) ?? []) refuse(p.line, `not stored: an earlier line of ${stream} was refused when appended`);
      accepted.delete(stream);
    }
    await validator.settle([...broken], new Set(accepted.keys()));
    broken = new Set();
    progress.update(state);
    // Stopped by a refused append: what was validated since comes after the bad line; drop it.
    if (appendFailed && report.stopped) return;
    inFlight = appendAll([...accepted].map(([stream, pending]) => ({ view: viewOf(stream, []), pending })));
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
        broken.add(view.stream); // it no longer matches the store; settled before the next flight
        appendFailed = true;
        refuse(pending[0].line, appendFailure(error, view.stream));
        for (const p of pending.slice(1)) refuse(p.line, `not stored: line ${pending[0].line} of the same stream was refused in the same batch`);
      },
    );

  const input = createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let chunk: RawLine[] = [];
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
        const accepted = takeVerdicts(await validator.validate(chunk));
        chunk = [];
        await nextFlight(accepted);
        if (report.stopped) break;
      }
    }
    if (!report.stopped && chunk.length > 0) await nextFlight(takeVerdicts(await validator.validate(chunk)));
    await inFlight;
  } finally {
    lines.close();
    input.destroy();
    if (!options.validator) await validator.close();
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
