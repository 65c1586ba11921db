import type { EventStore } from '@cadre-ledger/event-store';
import type { Projector } from './postgres/projector';

export interface ProjectionLag {
  /** Events stored after the checkpoint (counted up to `cap`). */
  events: number;
  /** Age of the oldest event not yet projected; 0 when caught up. */
  seconds: number;
}

/** How far a projector trails the store: what `/metrics` reports per read model. */
export async function projectionLag(store: EventStore, projector: Projector, now: Date, cap = 10_000): Promise<ProjectionLag> {
  const pending = await store.readAll({ fromPosition: await projector.checkpoint(), limit: cap });
  if (pending.length === 0) return { events: 0, seconds: 0 };
  const oldest = Date.parse(pending[0].recordedAt);
  return { events: pending.length, seconds: Math.max(0, (now.getTime() - oldest) / 1000) };
}
