import type { Pool } from 'pg';
import type { StoredEvent, Subscription } from '../port';
import { readGlobalPage } from './global-reader';
import type { CommitListener } from './notifications';

export interface SubscriptionTiming {
  /** Re-read this often even without a notification (a lost connection, a crashed announcer). */
  safetyPollMs: number;
  /** Events fetched per read while catching up. */
  batchSize: number;
}

/** Pause while an announced commit is still held back by an older open transaction. */
const HELD_BACK_FIRST_PAUSE_MS = 5;
const HELD_BACK_MAX_PAUSE_MS = 200;

/**
 * Catch-up then live, over the visibility frontier: reads pages until it is level with what may be
 * seen, then sleeps until a commit is announced (LISTEN/NOTIFY) or the safety poll comes round.
 * When an announced commit is not visible yet because an older transaction is still open, it
 * re-reads with a growing pause: that transaction may end with a rollback, which announces nothing.
 */
export class PostgresSubscription implements Subscription {
  private closed = false;
  private pendingWait: { cancel(): void } | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly listener: CommitListener,
    private position: number,
    private readonly timing: SubscriptionTiming,
    private readonly onClose: (subscription: PostgresSubscription) => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    try {
      await this.listener.ensureListening();
      let heldBackPause = HELD_BACK_FIRST_PAUSE_MS;
      while (!this.closed) {
        const generation = this.listener.generation;
        let page: Awaited<ReturnType<typeof readGlobalPage>>;
        try {
          page = await readGlobalPage(this.pool, this.position, this.timing.batchSize);
        } catch (error) {
          // Closed mid-read (the store's pool is ending): the iteration just ends. Otherwise the
          // error reaches the consumer, who resubscribes from the last position it processed.
          if (this.closed) return;
          throw error;
        }
        for (const event of page.events) {
          if (this.closed) return;
          this.position = event.globalPosition;
          yield event;
        }
        if (this.closed) return;
        if (page.events.length === this.timing.batchSize) continue;
        if (this.listener.generation !== generation) continue; // announced while we were reading
        const heldBack = this.listener.highestAnnounced >= page.visibleBelow;
        const pause = heldBack ? heldBackPause : this.timing.safetyPollMs;
        heldBackPause = heldBack ? Math.min(heldBackPause * 2, HELD_BACK_MAX_PAUSE_MS) : HELD_BACK_FIRST_PAUSE_MS;
        const wait = this.listener.wait(pause);
        this.pendingWait = wait;
        await wait.promise;
        this.pendingWait = undefined;
      }
    } finally {
      this.closed = true;
      this.onClose(this);
    }
  }

  /** True while caught up and waiting for a notification (or the next poll); for tests. */
  get waitingForCommits(): boolean {
    return this.pendingWait !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingWait?.cancel();
    this.onClose(this);
  }
}
