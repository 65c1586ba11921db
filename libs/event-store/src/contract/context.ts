import type { EventStore } from '../port';
import type { EventStoreContractTarget } from './target';

/** What each contract file sees: the current test's target, created fresh by the suite. */
export interface ContractContext {
  store(): EventStore;
  target(): EventStoreContractTarget;
  readonly waitTimeoutMs: number;
  readonly tamper: boolean;
  /** Whether the store offers `appendToStreams`. */
  readonly atomicAppend: boolean;
  /** Whether the store offers `readStreams`. */
  readonly batchReads: boolean;
}
