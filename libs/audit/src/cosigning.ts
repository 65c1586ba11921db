import type { Pool } from 'pg';
import type { HashAlgorithm } from '@cadre-ledger/event-store';
import { addCosignature, checkpointOfSize, lastCosignedSizes, witnessId, type StoredCheckpoint } from './checkpoints';
import { consistencyPath } from './log';
import { NOTE_COSIGNATURE_V1, NoteError, parseNote, parseVkey, verifyNoteSignature, type NoteKey } from './note';

/** A witness the ledger asks: its cosignature/v1 key and its tlog-witness submission prefix. */
export interface WitnessEndpoint {
  key: NoteKey;
  url: string;
}

/** The configured witnesses (LEDGER_WITNESSES), each vkey checked: a cosignature/v1 key whose id is its own. */
export function witnessEndpoints(configured: readonly { vkey: string; url: string }[]): WitnessEndpoint[] {
  return configured.map(({ vkey, url }) => {
    let key: NoteKey;
    try {
      key = parseVkey(vkey);
    } catch (error) {
      throw new Error(`LEDGER_WITNESSES: ${(error as Error).message}`);
    }
    if (key.type !== NOTE_COSIGNATURE_V1) throw new Error(`LEDGER_WITNESSES: ${key.name} is not a cosignature/v1 key (type 0x04); \`ledger witness serve\` prints the one to give`);
    return { key, url };
  });
}

export interface WitnessStatus {
  witness: string;
  url: string;
  /** `up`: its last answer was a cosignature; `down`: unreachable or failing (retried); `refused`: it said no (a 4xx: not retried until the next checkpoint). */
  state: 'unknown' | 'up' | 'down' | 'refused';
  /** The largest tree size it cosigned, as far as the ledger knows. */
  cosignedSize: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** Attempts that found it down (each retried). */
  failures: number;
  /** Checkpoints it refused. */
  refusals: number;
}

export interface CosigningOptions {
  pool: Pool;
  algorithm: HashAlgorithm;
  witnesses: readonly WitnessEndpoint[];
  /** A witness found down is asked again after this long (LEDGER_WITNESS_RETRY_SECONDS). */
  retryMs: number;
  /** How long one request may take. Default 10 s. */
  timeoutMs?: number;
  /** Where a checkpoint goes once its round of asking is over, with every cosignature gathered (file, Kafka). */
  publish?: (checkpoint: StoredCheckpoint) => Promise<void>;
  onError?: (error: unknown) => void;
}

class Refused extends Error {}

const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/**
 * Asks the configured witnesses to cosign the newest checkpoint (tlog-witness `add-checkpoint`,
 * with a consistency proof from the size each last cosigned), stores what they answer, and
 * publishes the checkpoint with its cosignatures. One round at a time, always for the newest
 * checkpoint; a witness that is down is retried on a timer and never holds up the log or a write.
 */
export class CosignatureGatherer {
  private newest: StoredCheckpoint | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private published = -1;
  private readonly states = new Map<string, WitnessStatus & { refusedSize?: number }>();

  constructor(private readonly options: CosigningOptions) {
    for (const w of options.witnesses) {
      this.states.set(witnessId(w.key), { witness: witnessId(w.key), url: w.url, state: 'unknown', cosignedSize: null, lastError: null, lastAttemptAt: null, failures: 0, refusals: 0 });
    }
  }

  /** What each witness last did, for /health and /metrics. */
  status(): WitnessStatus[] {
    return [...this.states.values()].map(({ refusedSize: _refused, ...status }) => ({ ...status }));
  }

  /** The sizes each witness cosigned, as stored, before the first round. */
  async start(): Promise<void> {
    for (const [witness, size] of await lastCosignedSizes(this.options.pool)) {
      const state = this.states.get(witness);
      if (state) state.cosignedSize = size;
    }
  }

  /** A new checkpoint: asked for as soon as the round in progress ends. */
  offer(checkpoint: StoredCheckpoint): void {
    if (this.newest && this.newest.treeSize > checkpoint.treeSize) return;
    this.newest = checkpoint;
    this.kick();
  }

  /** Resolves once no round is in progress or due (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.idle();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        if (this.newest) await this.round(this.newest).catch((error: unknown) => this.options.onError?.(error));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  private async round(checkpoint: StoredCheckpoint): Promise<void> {
    const asked = this.options.witnesses.filter((w) => {
      const state = this.states.get(witnessId(w.key))!;
      return state.cosignedSize !== checkpoint.treeSize && state.refusedSize !== checkpoint.treeSize;
    });
    const answers = await Promise.all(asked.map((w) => this.ask(w, checkpoint)));
    if (answers.some((a) => a === 'cosigned') || this.published !== checkpoint.treeSize) {
      const gathered = (await checkpointOfSize(this.options.pool, checkpoint.treeSize)) ?? checkpoint;
      this.published = checkpoint.treeSize;
      await this.options.publish?.(gathered).catch((error: unknown) => this.options.onError?.(error));
    }
    if (answers.includes('down') && !this.stopped) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.kick(), this.options.retryMs);
      this.retry.unref();
    }
  }

  private async ask(witness: WitnessEndpoint, checkpoint: StoredCheckpoint): Promise<'cosigned' | 'down' | 'refused'> {
    const state = this.states.get(witnessId(witness.key))!;
    state.lastAttemptAt = new Date().toISOString();
    try {
      let old = state.cosignedSize ?? 0;
      // At most twice: a 409 tells the size the witness last cosigned (after a restore of the ledger's database, say).
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await this.submit(witness, checkpoint, old);
        if (answer.conflict === undefined) {
          await addCosignature(this.options.pool, checkpoint.treeSize, state.witness, answer.cosignature);
          Object.assign(state, { state: 'up', cosignedSize: checkpoint.treeSize, lastError: null });
          return 'cosigned';
        }
        old = answer.conflict;
        state.cosignedSize = old;
      }
      throw new Refused(`it keeps answering 409 (last cosigned size ${old})`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Refused) {
        Object.assign(state, { state: 'refused', lastError: message, refusedSize: checkpoint.treeSize, refusals: state.refusals + 1 });
        this.options.onError?.(new Error(`witness ${state.witness} refused the checkpoint of size ${checkpoint.treeSize}: ${message}`));
        return 'refused';
      }
      Object.assign(state, { state: 'down', lastError: message, failures: state.failures + 1 });
      return 'down';
    }
  }

  /** One `add-checkpoint`: the cosignature line, or the size a 409 names; throws Refused for any other 4xx. */
  private async submit(witness: WitnessEndpoint, checkpoint: StoredCheckpoint, old: number): Promise<{ cosignature: string; conflict?: undefined } | { conflict: number }> {
    if (old > checkpoint.treeSize) throw new Refused(`it cosigned a tree of ${old}, larger than this checkpoint's ${checkpoint.treeSize}`);
    const proof = old === 0 || old === checkpoint.treeSize ? [] : await consistencyPath(this.options.pool, this.options.algorithm, old, checkpoint.treeSize);
    const body = `old ${old}\n${proof.map((h) => `${base64(h)}\n`).join('')}\n${checkpoint.body}\n${checkpoint.logSignature}`;
    const response = await fetch(`${witness.url.replace(/\/+$/, '')}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (response.status === 409 && /^\d+\n$/.test(text)) return { conflict: Number(text) };
    if (response.status >= 400 && response.status < 500) throw new Refused(`${response.status}: ${text.trim().slice(0, 300)}`);
    if (response.status !== 200) throw new Error(`${response.status}: ${text.trim().slice(0, 300)}`);
    // The answer's lines from this witness's key, checked as a cosignature of this checkpoint (others ignored).
    let signatures: ReturnType<typeof parseNote>['signatures'];
    try {
      signatures = parseNote(`${checkpoint.body}\n${text}`).signatures;
    } catch (error) {
      if (error instanceof NoteError) throw new Error(`its answer is not signature lines: ${error.message}`);
      throw error;
    }
    const mine = signatures.find((s) => s.name === witness.key.name && s.keyId === witness.key.keyId && verifyNoteSignature(checkpoint.body, s, witness.key).ok);
    if (!mine) throw new Error('its answer holds no valid cosignature of its key');
    return { cosignature: mine.line };
  }
}
