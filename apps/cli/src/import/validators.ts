import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { unitIdOfStream, type LocalDate } from '@cadre-ledger/domain';
import { formatFor, type EventStore, type NewEvent } from '@cadre-ledger/event-store';
import { StreamViews } from '@cadre-ledger/intake';
import type { RuleBook } from '@cadre-ledger/policy';
import { parseImportLine } from './shapes';
import { validateLine, type ValidationContext } from './validate';

export interface RawLine {
  line: number;
  raw: string;
}

/** What became of one line: refused (why), already stored, or accepted as the event to append at `revision`. */
export type LineVerdict = { line: number; refused: string } | { line: number; alreadyStored: true } | { line: number; stream: string; revision: number; event: NewEvent };

/**
 * Validates chunks of import lines, in line order within each stream, keeping views of the streams
 * it has seen (stored plus accepted). The importer appends what was accepted; between two flights
 * it tells the validator which streams' appends failed (their views are read again) and which
 * streams hold accepted events not stored yet (their views are kept whatever the memory bound).
 */
export interface ChunkValidator {
  validate(chunk: readonly RawLine[]): Promise<LineVerdict[]>;
  settle(broken: readonly string[], keep: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

/** On this thread: the views and the decide step of `validate.ts`. */
export class InlineValidator implements ChunkValidator {
  private readonly views: StreamViews;
  private readonly ctx: ValidationContext;

  constructor(store: EventStore, ruleBook: RuleBook, today: LocalDate) {
    this.views = new StreamViews(store);
    this.ctx = { ruleBook, views: this.views, today, hashFormat: formatFor(store.hashAlgorithm) };
  }

  async validate(chunk: readonly RawLine[]): Promise<LineVerdict[]> {
    const parsed = chunk.map(({ line, raw }) => ({ line, parsed: parseImportLine(raw) }));
    await this.views.prefetch(parsed.flatMap(({ parsed: p }) => ('refused' in p ? [] : [p.stream])));
    const verdicts: LineVerdict[] = [];
    for (const { line, parsed: p } of parsed) {
      if ('refused' in p) {
        verdicts.push({ line, refused: p.refused });
        continue;
      }
      const view = await this.views.get(p.stream);
      const verdict = await validateLine(p, line, view, this.ctx);
      if ('refused' in verdict) verdicts.push({ line, refused: verdict.refused });
      else if ('alreadyStored' in verdict) verdicts.push({ line, alreadyStored: true });
      else verdicts.push({ line, stream: p.stream, revision: view.revision, event: verdict.accepted });
    }
    // The importer appends them; the views keep the events as accepted.
    for (const view of this.views.withPending()) view.pending = [];
    return verdicts;
  }

  async settle(broken: readonly string[], keep: ReadonlySet<string>): Promise<void> {
    for (const stream of broken) this.views.forget(stream);
    this.views.trim(keep);
  }

  async close(): Promise<void> {
    // The store is the caller's.
  }
}

/** Where a worker finds its store and rules: the same as the importer's. */
export interface WorkerSetup {
  databaseUrl: string;
  eventStoreConnectionString?: string;
  hashAlgorithm?: string;
  ruleSetsDir?: string;
  today: LocalDate;
}

type WorkerRequest = { kind: 'chunk'; lines: (RawLine & { owned: boolean })[] } | { kind: 'settle'; broken: string[]; keep: string[] } | { kind: 'close' };
type WorkerReply = { kind: 'ready' } | { kind: 'verdicts'; verdicts: LineVerdict[] } | { kind: 'settled' } | { kind: 'closed' } | { kind: 'failed'; message: string };

/** `"stream":"…"` as an export writes it; a line that hides it otherwise is parsed in full. */
const STREAM_FIELD = /"stream"\s*:\s*"((?:cadre|unit)-[^"\\]*)"/;

function streamOf(raw: string): string | null {
  const found = STREAM_FIELD.exec(raw);
  if (found) return found[1];
  try {
    const stream = (JSON.parse(raw) as { stream?: unknown }).stream;
    return typeof stream === 'string' ? stream : null;
  } catch {
    return null;
  }
}

/** FNV-1a: a stream's worker, the same for every run. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * On worker threads: each cadre stream belongs to one worker (by a hash of its name), which
 * validates its lines in order; every worker also validates every unit stream's lines, in the same
 * order as the file, because a promotion or a 第十五条 report reads its units' facts and a quota
 * claim its unit's state (the deciders are deterministic, so all workers reach the same verdicts on
 * them; the unit's owner reports them). The verdicts come back in line order.
 */
export class WorkerValidator implements ChunkValidator {
  private constructor(private readonly workers: ValidationThread[]) {}

  static async start(count: number, setup: WorkerSetup): Promise<WorkerValidator> {
    const workers = await Promise.all(Array.from({ length: count }, () => ValidationThread.start(setup)));
    return new WorkerValidator(workers);
  }

  async validate(chunk: readonly RawLine[]): Promise<LineVerdict[]> {
    const shares: (RawLine & { owned: boolean })[][] = this.workers.map(() => []);
    for (const line of chunk) {
      const stream = streamOf(line.raw);
      const owner = stream === null ? 0 : hashOf(stream) % this.workers.length;
      if (stream !== null && unitIdOfStream(stream) !== undefined) shares.forEach((share, index) => share.push({ ...line, owned: index === owner }));
      else shares[owner].push({ ...line, owned: true });
    }
    const answers = await Promise.all(this.workers.map((worker, index) => worker.ask({ kind: 'chunk', lines: shares[index] })));
    return answers.flatMap((answer) => (answer.kind === 'verdicts' ? answer.verdicts : [])).sort((a, b) => a.line - b.line);
  }

  async settle(broken: readonly string[], keep: ReadonlySet<string>): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.ask({ kind: 'settle', broken: [...broken], keep: [...keep] })));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}

/** One worker thread and its requests, answered in order. */
class ValidationThread {
  private readonly waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const next = this.waiting.shift();
      if (!next) return;
      if (reply.kind === 'failed') next.reject(new Error(`a validation thread failed: ${reply.message}`));
      else next.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a validation thread stopped (${code})`)));
  }

  static async start(setup: WorkerSetup): Promise<ValidationThread> {
    const compiled = join(__dirname, 'validation-worker.js');
    const fromSource = !existsSync(compiled);
    const worker = new Worker(fromSource ? join(__dirname, 'validation-worker.ts') : compiled, {
      workerData: setup,
      // From TypeScript sources (a checkout) the thread loads them as the CLI does; from dist/, compiled.
      execArgv: fromSource ? ['-r', resolve(__dirname, '..', '..', '..', '..', 'bin', 'ts-register.js')] : [],
    });
    const thread = new ValidationThread(worker);
    await new Promise<WorkerReply>((resolveReady, reject) => thread.waiting.push({ resolve: resolveReady, reject }));
    return thread;
  }

  ask(request: WorkerRequest): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolveReply, reject) => {
      this.waiting.push({ resolve: resolveReply, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (!this.failure) await this.ask({ kind: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

export type { WorkerRequest, WorkerReply };
