import type { LocalDate, Timestamp } from './local-date';

/**
 * Events and commands are plain `{type, data, metadata}` objects (STYLE.md). The TypeScript type of
 * each has the same name as its `type` string.
 */
export interface Message<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/** What the ledger knows about every event besides its data. */
export interface EventMetadata {
  /** UUID; chosen by the command handler, or derived (InfluencePeriodEnded) so retries stay idempotent. */
  eventId: string;
  /** Business date the decision took effect (for a retraction: the China date it was recorded). */
  effectiveAt: LocalDate;
  /** `sub` of the token that acted, or `ledger-clock`. */
  actor: string;
  /** 文号 of the decision, when it has one. */
  documentRef?: string | null;
}

/** An event the decider produced, not yet stored. */
export type Decided<E extends Message<string, unknown>> = E & { metadata: EventMetadata };

/** An event as stored: the store adds `recordedAt` (and the stream position). */
export interface RecordedMetadata extends EventMetadata {
  /** When the ledger stored it (RFC 3339, set by the store's clock). */
  recordedAt: Timestamp;
  revision?: number;
}
export type Recorded<E extends Message<string, unknown>> = E & { metadata: RecordedMetadata };

/** Who asks, and the date the server considers today; the domain never reads a clock. */
export interface CommandMetadata {
  /** The id the resulting event will carry (the first one, when several follow). */
  eventId: string;
  actor: string;
  /** Today in China Standard Time: `effectiveAt` later than this is refused. */
  today: LocalDate;
  /** The earliest `effectiveAt` accepted (configuration); default 1900-01-01. */
  earliest?: LocalDate;
  documentRef?: string | null;
}
export type Command<Type extends string, Data> = Message<Type, Data> & { metadata: CommandMetadata };

/** Every write may carry a free-text note (≤ 2000 chars). */
export interface Noted {
  note?: string;
}
