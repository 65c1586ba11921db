import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { RestoreRefused, type RestoreItem, type RestoreReport, type StoredEvent } from '@cadre-ledger/event-store';
import type { ProgressReporter, ProgressState } from './progress';
import { parseImportLine } from './shapes';

export interface RestoreFileReport extends RestoreReport {
  lines: number;
  elapsedMs: number;
  factsPerSecond: number;
}

/** What a restore needs of a store: the PostgreSQL adapter's `restore`. */
export interface RestoringStore {
  restore(items: AsyncIterable<RestoreItem[]>): Promise<RestoreReport>;
}

const BATCH = 1000;

/**
 * `ledger import --restore FILE`: the export, line by line, with the fields a restore keeps
 * (revision, globalPosition, recordedAt, prevHash, hash, hashFormat) required. The store checks
 * the chains and orders and writes everything or nothing (restore.ts of the event store); a line
 * that is not an exported event is refused here, naming its line, and nothing is written.
 */
export async function restoreFile(store: RestoringStore, path: string, progress: ProgressReporter): Promise<RestoreFileReport> {
  const state: ProgressState = { done: 0, refused: 0, bytesRead: 0, totalBytes: (await stat(path)).size, startedAt: Date.now() };
  let lines = 0;
  async function* batches(): AsyncGenerator<RestoreItem[]> {
    const input = createReadStream(path);
    const reader = createInterface({ input, crlfDelay: Infinity });
    let batch: RestoreItem[] = [];
    let lineNumber = 0;
    try {
      for await (const raw of reader) {
        lineNumber += 1;
        state.bytesRead += Buffer.byteLength(raw) + 1;
        if (raw.trim() === '') continue;
        lines += 1;
        batch.push({ at: lineNumber, event: restoredEvent(raw, lineNumber) });
        if (batch.length >= BATCH) {
          yield batch;
          state.done += batch.length;
          progress.update(state);
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      state.done += batch.length;
    } finally {
      reader.close();
      input.destroy();
    }
  }
  try {
    const report = await store.restore(batches());
    const elapsedMs = Date.now() - state.startedAt;
    state.bytesRead = state.totalBytes;
    return { ...report, lines, elapsedMs, factsPerSecond: Math.round(report.events / Math.max(elapsedMs / 1000, 0.001)) };
  } finally {
    progress.stop(state);
  }
}

const KEPT = ['revision', 'globalPosition', 'recordedAt', 'prevHash', 'hash'] as const;

function restoredEvent(raw: string, line: number): StoredEvent {
  const parsed = parseImportLine(raw);
  if ('refused' in parsed) throw new RestoreRefused(parsed.refused, line);
  const missing = KEPT.filter((field) => parsed[field] === undefined);
  if (missing.length > 0) throw new RestoreRefused(`a restore keeps ${missing.join(', ')}, and this line has none: restore an export of \`ledger export\`, or import without --restore`, line);
  return {
    eventId: parsed.eventId,
    type: parsed.type,
    schemaVersion: parsed.schemaVersion ?? 1,
    stream: parsed.stream,
    revision: parsed.revision!,
    globalPosition: parsed.globalPosition!,
    effectiveAt: parsed.effectiveAt,
    recordedAt: parsed.recordedAt!,
    actor: parsed.actor,
    documentRef: parsed.documentRef ?? null,
    data: parsed.data,
    prevHash: parsed.prevHash!,
    hash: parsed.hash!,
    // Exports from before formats were recorded carry none: their hashes are v1.
    hashFormat: parsed.hashFormat ?? 'v1',
  };
}
