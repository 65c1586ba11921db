import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EventStore, NewEvent, StoredEvent, Subscription } from '../port';
import { waitUntil } from '@cadre-ledger/platform';

/** A stream name no other test (nor a previous run against the same server) uses. */
export function uniqueStream(kind: 'cadre' | 'unit' = 'cadre'): string {
  return `${kind}-${randomUUID()}`;
}

let counter = 0;

/** A plausible ledger event; tests override what they are about. */
export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  counter += 1;
  return {
    eventId: randomUUID(),
    type: 'CommendationAwarded',
    schemaVersion: 1,
    effectiveAt: '2026-03-15',
    actor: 'hr-officer-7',
    documentRef: `组干〔2026〕${counter}号`,
    data: { cadreId: `c-${counter}`, reason: '在抗洪抢险中表现突出', grade: '嘉奖', n: counter },
    ...overrides,
  };
}

/** What the writer decided, as a stored event should still show it. */
export function writtenContent(stream: string, event: NewEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    stream,
    effectiveAt: event.effectiveAt,
    actor: event.actor,
    documentRef: event.documentRef ?? null,
    data: event.data,
  };
}

export function contentOf(event: StoredEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    stream: event.stream,
    effectiveAt: event.effectiveAt,
    actor: event.actor,
    documentRef: event.documentRef,
    data: event.data,
  };
}

export const RFC3339_UTC_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

// ---- fast-check: events whose text is Chinese, as the ledger's is ----

const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCodePoint(code));
const punctuation = fc.constantFrom('，', '。', '、', '《', '》', '〔', '〕', '（', '）', ' ', '1', 'A');
const chineseText = fc.array(fc.oneof({ weight: 4, arbitrary: hanzi }, { weight: 1, arbitrary: punctuation }), { maxLength: 24 }).map((chars) => chars.join(''));
const key = fc.oneof(fc.constantFrom('cadreId', 'reason', 'unit', 'grade', '理由', '单位', '处分'), fc.string({ minLength: 1, maxLength: 8 }));
const leaf = fc.oneof(chineseText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

export const arbitraryNewEvent: fc.Arbitrary<NewEvent> = fc.record({
  eventId: fc.uuid({ version: 4 }),
  type: fc.constantFrom('CadreRegistered', 'CommendationAwarded', 'CautionIssued', 'ToleranceDecided', 'CadreAdjusted'),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  effectiveAt: fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  actor: fc.oneof(chineseText.filter((s) => s.length > 0), fc.constantFrom('hr-officer-7', 'auditor-2')),
  documentRef: fc.option(chineseText.map((s) => `组干〔2026〕${s}号`), { nil: null }),
  data: fc.dictionary(key, jsonValue, { maxKeys: 6 }),
});

// ---- waiting with a deadline ----

/** Appends in order, one call per batch, and returns every stored event. */
export async function appendAll(store: EventStore, stream: string, batches: NewEvent[][]): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = [];
  for (const batch of batches) {
    const result = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
    stored.push(...result.events);
  }
  return stored;
}

/**
 * Reads the global order from `fromPosition` until `count` events of `streams` are visible. Stores
 * may make a commit visible to global readers a moment after the append returns (PostgreSQL waits
 * until no older transaction can still commit below it), so tests wait, with a deadline.
 */
export async function readAllUntil(
  store: EventStore,
  fromPosition: number,
  streams: ReadonlySet<string>,
  count: number,
  timeoutMs: number,
): Promise<StoredEvent[]> {
  return waitUntil(
    async () => {
      const seen: StoredEvent[] = [];
      let position = fromPosition;
      for (;;) {
        const page = await store.readAll({ fromPosition: position, limit: 500 });
        seen.push(...page.filter((event) => streams.has(event.stream)));
        if (page.length < 500) break;
        position = page[page.length - 1].globalPosition;
      }
      return seen.length >= count ? seen : undefined;
    },
    { timeoutMs, description: `${count} events of ${[...streams].join(', ')} in the global order` },
  );
}

/**
 * Takes the next `count` events accepted by `accept` from a subscription's iterator, failing once
 * `timeoutMs` has passed. Pass the same iterator to successive calls: a second iterator of the
 * same subscription would compete with the first.
 */
export async function take(
  iterator: AsyncIterator<StoredEvent>,
  count: number,
  accept: (event: StoredEvent) => boolean,
  timeoutMs: number,
): Promise<StoredEvent[]> {
  const taken: StoredEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const next = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`timed out after ${timeoutMs} ms with ${taken.length} of ${count} events from the subscription`);
    if (next.done) throw new Error(`the subscription ended after ${taken.length} of ${count} events`);
    if (accept(next.value)) taken.push(next.value);
  }
  return taken;
}

export function iterate(subscription: Subscription): AsyncIterator<StoredEvent> {
  return subscription[Symbol.asyncIterator]();
}
