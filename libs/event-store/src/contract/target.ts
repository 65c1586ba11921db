import type { EventStore } from '../port';

/** One adapter under test, fresh for each test. */
export interface EventStoreContractTarget {
  store: EventStore;
  /**
   * Rewrites the stored `data` of one event behind the store's back (as someone with direct access
   * to the database would), so the suite can prove `verifyStream` notices. Optional: a target that
   * cannot do it gets its tamper tests reported as not run (see `ContractOptions.tamper`).
   */
  tamper?: (stream: string, revision: number, data: Record<string, unknown>) => Promise<void>;
  /** Releases what the factory created (connections, servers). The store is closed by the suite. */
  dispose(): Promise<void>;
}

export type EventStoreContractFactory = () => Promise<EventStoreContractTarget>;

export interface ContractOptions {
  /**
   * `false`: the target has no tamper hook; the tamper tests are declared skipped so the run says
   * so. Default `true`. A target declared tamper-capable without a hook fails those tests.
   */
  tamper?: boolean;
  /**
   * `false`: the store cannot commit several streams at once and has no `appendToStreams` (the
   * suite checks it has none). Default `true`.
   */
  atomicAppend?: boolean;
  /** `false`: the store has no `readStreams` (the suite checks it has none). Default `true`. */
  batchReads?: boolean;
  /** Deadline for waiting on subscriptions and eventually-visible reads. Default 15 s. */
  waitTimeoutMs?: number;
}
