import { AsyncLocalStorage } from 'node:async_hooks';

/** What the write interceptor knows about the request being served that the command path needs. */
export interface WriteContext {
  /** The event id derived from `Idempotency-Key`: a retry of the same request reuses it. */
  eventId?: string;
}

const storage = new AsyncLocalStorage<WriteContext>();

export const runInWriteContext = <T>(context: WriteContext, work: () => Promise<T>): Promise<T> => storage.run(context, work);
export const currentWriteContext = (): WriteContext => storage.getStore() ?? {};
