import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, StreamAppend } from '@cadre-ledger/event-store';
import { syntheticHistory } from './synthetic-history';

export interface SeededHistories {
  cadreIds: string[];
  unitIds: string[];
  events: number;
}

/**
 * Stores `cadres` cadres with about `facts` facts each (the synthetic 陕西 histories of
 * synthetic-history.ts, each cadre its own seed), in `units` county units that have their own
 * streams (registration and yearly assessments), many streams per commit. Ids start with `prefix`.
 */
export async function seedHistories(store: EventStore, options: { cadres: number; facts: number; units: number; prefix: string; interleaved?: boolean }): Promise<SeededHistories> {
  const { prefix } = options;
  const unitIds = Array.from({ length: options.units }, (_, i) => `${prefix}-u${i}`);
  const parts: StreamAppend[] = unitIds.map((unitId) => ({
    stream: `unit-${unitId}`,
    expectedRevision: 'no-stream',
    events: [
      newEvent('UnitRegistered', '2004-01-01', { unitId, name: `县${unitId}`, level: 'county', jurisdiction: 'CN-SN' }),
      ...Array.from({ length: 21 }, (_, y) => newEvent('UnitAssessmentRecorded', `${2006 + y}-02-01`, { unitId, year: 2005 + y, grade: ['excellent', 'good', 'average', 'poor'][(y * 7 + unitId.length) % 4] })),
    ],
  }));
  const cadreIds: string[] = [];
  for (let i = 0; i < options.cadres; i++) {
    const cadreId = `${prefix}-c${i}`;
    const unitId = unitIds[i % unitIds.length];
    cadreIds.push(cadreId);
    const history = syntheticHistory(options.facts, 1000 + i).filter((f) => f.type !== 'UnitAssessmentRecorded');
    const ids = history.map(() => randomUUID());
    const relinked = (data: unknown) => JSON.parse(JSON.stringify(data).replace(/"e(\d+)"/g, (_, n: string) => `"${ids[Number(n)] ?? `e${n}`}"`)) as Record<string, unknown>;
    parts.push({
      stream: `cadre-${cadreId}`,
      expectedRevision: 'no-stream',
      events: history.map((fact, index) => ({
        ...newEvent(fact.type, fact.metadata.effectiveAt, fact.type === 'CadreRegistered' ? { ...fact.data, cadreId, unitId } : relinked(fact.data)),
        eventId: ids[index],
      })),
    });
  }
  // Interleaved: one round per fact, each cadre's next fact in it, as a live ledger's global order
  // mixes its cadres (a projector then sees each cadre many times, not once).
  if (options.interleaved) {
    const units = parts.slice(0, unitIds.length);
    const cadreParts = parts.slice(unitIds.length);
    parts.length = 0;
    parts.push(...units);
    const longest = Math.max(0, ...cadreParts.map((p) => p.events.length));
    for (let round = 0; round < longest; round++) {
      for (const part of cadreParts) {
        if (round < part.events.length) parts.push({ stream: part.stream, expectedRevision: round === 0 ? 'no-stream' : round - 1, events: [part.events[round]] });
      }
    }
  }
  let events = 0;
  let group: StreamAppend[] = [];
  let inGroup = new Set<string>();
  let size = 0;
  const flush = async () => {
    if (group.length === 0) return;
    if (store.appendToStreams) await store.appendToStreams(group);
    else for (const part of group) await store.appendToStream(part.stream, part.events, { expectedRevision: part.expectedRevision });
    group = [];
    inGroup = new Set();
    size = 0;
  };
  for (const part of parts) {
    // A stream appears once per call: its next round goes in the next one.
    if (size + part.events.length > 2000 || inGroup.has(part.stream)) await flush();
    group.push(part);
    inGroup.add(part.stream);
    size += part.events.length;
    events += part.events.length;
  }
  await flush();
  return { cadreIds, unitIds, events };
}

function newEvent(type: string, effectiveAt: string, data: Record<string, unknown>): NewEvent {
  return { eventId: randomUUID(), type, effectiveAt, actor: 'bench', documentRef: null, data };
}
