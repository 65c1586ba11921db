import { describeAppendAndRead } from './append-read.contract';
import { describeAtomicAppend } from './atomic-append.contract';
import { describeBatchRead } from './batch-read.contract';
import { describeConcurrency } from './concurrency.contract';
import type { ContractContext } from './context';
import { describeGlobalOrder } from './global-order.contract';
import { describeHashChain } from './hash-chain.contract';
import { describeIdempotency } from './idempotency.contract';
import { describeKnownAt } from './known-at.contract';
import type { ContractOptions, EventStoreContractFactory, EventStoreContractTarget } from './target';

/**
 * The one contract every event store adapter passes (ARCHITECTURE.md, "Event store port"). Call it
 * at the top level of a test file; `factory` gives a fresh target for each test, and the suite
 * closes the store and disposes the target after it. Tests use unique stream names and filter the
 * global order to their own streams, so targets may share a server with other tests.
 */
export function describeEventStoreContract(name: string, factory: EventStoreContractFactory, options: ContractOptions = {}): void {
  describe(`event store contract: ${name}`, () => {
    let current: EventStoreContractTarget | undefined;
    const context: ContractContext = {
      store: () => context.target().store,
      target: () => {
        if (!current) throw new Error('no contract target: the factory has not run');
        return current;
      },
      waitTimeoutMs: options.waitTimeoutMs ?? 15_000,
      tamper: options.tamper ?? true,
      atomicAppend: options.atomicAppend ?? true,
      batchReads: options.batchReads ?? true,
    };

    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      const target = current;
      current = undefined;
      if (target) {
        await target.store.close();
        await target.dispose();
      }
    });

    describeAppendAndRead(context);
    describeConcurrency(context);
    describeIdempotency(context);
    describeKnownAt(context);
    describeGlobalOrder(context);
    describeHashChain(context);
    describeAtomicAppend(context);
    describeBatchRead(context);
  });
}
