import { z } from 'zod/v4';
import { MANAGED_BY, TALK_HOLDERS, type LedgerEvent, type LedgerEventType } from '@cadre-ledger/domain';
import type { StoredEvent } from '@cadre-ledger/event-store';
import type { KafkaRecord } from './ledger-event.v1';
import { defined, eventPayloadV2, eventRecord, LedgerEventMessageV2, PAYLOADS_V2 } from './ledger-event.v2';

/**
 * `cadre-ledger.event.v3`: v2 (its envelope, families, headers and personal fields) with what the
 * 2026-12b additions record on three events: who held a talk (`heldBy` on TalkHeld) and which
 * level took a measure (`measureTakenBy` on CadreAdjusted and SanctionImposed). v2 is locked
 * (test/contracts): it is still published, unchanged, beside v3, and carries neither field.
 */
export const LEDGER_EVENTS_TOPIC_V3 = 'cadre-ledger.events.v3';
export const LEDGER_EVENT_CONTRACT_V3 = 'cadre-ledger.event.v3';

const measureTakenBy = z.enum(MANAGED_BY).optional().meta({ description: 'the level whose 管理权限 took the measure, when recorded' });

/** Every payload, by event type: v2's, three of them with a field more. */
export const PAYLOADS_V3 = {
  ...PAYLOADS_V2,
  TalkHeld: PAYLOADS_V2.TalkHeld.extend({ heldBy: z.enum(TALK_HOLDERS).optional().meta({ description: 'who held the talk, when recorded' }) }),
  SanctionImposed: PAYLOADS_V2.SanctionImposed.extend({ measureTakenBy }),
  CadreAdjusted: PAYLOADS_V2.CadreAdjusted.extend({ measureTakenBy }),
} as const satisfies Record<LedgerEventType, z.ZodType>;

export type PayloadV3<T extends LedgerEventType = LedgerEventType> = z.infer<(typeof PAYLOADS_V3)[T]>;

/** The v3 payload of a domain event: its v2 payload, and the fields v3 adds. */
export function eventPayloadV3(event: LedgerEvent): PayloadV3 {
  const v2 = eventPayloadV2(event);
  switch (event.type) {
    case 'TalkHeld':
      return defined({ ...v2, heldBy: event.data.heldBy });
    case 'SanctionImposed':
    case 'CadreAdjusted':
      return defined({ ...v2, measureTakenBy: event.data.measureTakenBy });
    default:
      return v2;
  }
}

/** The envelope of v2, named v3, its payload one of v3's. */
export const LedgerEventMessageV3 = LedgerEventMessageV2.extend({
  contract: z.literal(LEDGER_EVENT_CONTRACT_V3),
  payload: z.union(Object.values(PAYLOADS_V3) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
});
export type LedgerEventMessageV3 = Omit<z.infer<typeof LedgerEventMessageV3>, 'payload'> & { payload: PayloadV3 };

/** The record of one stored event under v3: as v2's (key, headers, omitted personal fields). */
export function ledgerEventRecordV3(event: StoredEvent, omit: ReadonlySet<string> = new Set()): KafkaRecord {
  return eventRecord(event, omit, LEDGER_EVENT_CONTRACT_V3, eventPayloadV3);
}

/** Parses and checks a v3 message (its payload against its type's schema). */
export function parseLedgerEventMessageV3(value: string): LedgerEventMessageV3 {
  const message = LedgerEventMessageV3.parse(JSON.parse(value));
  PAYLOADS_V3[message.type].partial().parse(message.payload);
  return message as LedgerEventMessageV3;
}
