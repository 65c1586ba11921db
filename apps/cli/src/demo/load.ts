import { Ledger } from '@cadre-ledger/application';
import { cadreStream, type UnitGrade, type UnitLevel } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { derivedSeed, Random } from './random';
import { CadreStory, LAST_YEAR } from './story';
import { JURISDICTIONS } from './vocabulary';

export interface DemoOptions {
  cadres: number;
  seed: number;
  /** Cadres written at once (each stream on its own, so the result does not depend on it). */
  concurrency?: number;
  onCadre?: (done: number) => void;
}

export interface DemoReport {
  seed: number;
  cadres: number;
  units: number;
  events: number;
  /** Identifiers of the first cadres, to try `ledger replay` on. */
  sampleCadreIds: string[];
}

const FIRST_ASSESSED_YEAR = 2012;

/** `d<seed>-sn-0001`: ids carry the seed so that datasets of different seeds live side by side. */
export const demoCadreId = (seed: number, key: string, index: number): string => `d${seed}-${key}-${String(index).padStart(4, '0')}`;

/**
 * A synthetic but realistic ledger, the same for the same seed: units assessed every year, then
 * cadres in 陕西, 张家界 and national posts with a career each, every fact written through the
 * ledger's command path. Each cadre and unit draws from its own seeded generator and gets its own
 * ledger handle whose event ids come from that generator, so concurrency changes nothing.
 */
/** Before every demo fact: the units exist when the first cadre is posted to one. */
const UNITS_REGISTERED_ON = '2010-01-01';

export async function loadDemo(store: EventStore, ruleBook: RuleBook, options: DemoOptions): Promise<DemoReport> {
  const { seed } = options;
  // The ledger judges a promotion on the facts recorded by now(), at millisecond precision, while
  // the store stamps recordedAt in microseconds from its own clock: a fact written a moment before
  // can fall after "now" and be missed, and the demo writes many facts a millisecond. Five minutes
  // ahead closes that gap; every demo date is long before today, so nothing else depends on it.
  const now = () => new Date(Date.now() + 5 * 60_000);
  const ledgerFor = (random: Random) => new Ledger({ store, ruleBook, now, newEventId: () => random.uuid() });
  const cadres = Array.from({ length: options.cadres }, (_, i) => {
    const jurisdiction = JURISDICTIONS[i % JURISDICTIONS.length];
    return { jurisdiction, cadreId: demoCadreId(seed, jurisdiction.key, i + 1) };
  });
  if (cadres.length > 0 && (await store.streamRevision(cadreStream(cadres[0].cadreId))) !== 'no-stream') {
    throw new DemoAlreadyLoaded(seed);
  }

  let events = 0;
  let units = 0;
  for (const jurisdiction of JURISDICTIONS) {
    // The units are registered (name, level, parent) so that the directory, the dashboard and the
    // level-dependent rules know them; the seat first, as a department's parent.
    const seatId = `d${seed}-${jurisdiction.key}-${jurisdiction.seat.id}`;
    const register = async (ledger: Ledger, unitId: string, unit: { name: string; level: UnitLevel }, parentUnitId?: string) => {
      const result = await ledger.executeUnitCommand(unitId, {
        type: 'RegisterUnit',
        data: { unitId, name: unit.name, level: unit.level, ...(parentUnitId ? { parentUnitId } : {}), jurisdiction: jurisdiction.code, effectiveAt: UNITS_REGISTERED_ON },
        metadata: { actor: jurisdiction.actors.organization, documentRef: null },
      });
      events += result.events.length;
    };
    await register(ledgerFor(new Random(derivedSeed(seed, seatId))), seatId, jurisdiction.seat);
    for (const unit of jurisdiction.units) {
      const unitId = `d${seed}-${jurisdiction.key}-${unit.id}`;
      const random = new Random(derivedSeed(seed, unitId));
      const ledger = ledgerFor(random);
      await register(ledger, unitId, unit, seatId);
      units += 1;
      for (let year = FIRST_ASSESSED_YEAR; year < LAST_YEAR; year++) {
        const roll = random.next();
        const grade: UnitGrade = roll < 0.25 ? 'excellent' : roll < 0.7 ? 'good' : roll < 0.9 ? 'average' : 'poor';
        const result = await ledger.executeUnitCommand(unitId, {
          type: 'RecordUnitAssessment',
          data: { unitId, year, grade, effectiveAt: `${year + 1}-02-${String(random.int(1, 28)).padStart(2, '0')}` },
          metadata: { actor: jurisdiction.actors.assessment, documentRef: `${jurisdiction.refs.assessment}〔${year + 1}〕${random.int(1, 60)}号` },
        });
        events += result.events.length;
      }
    }
  }

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cadres.length) {
      const { jurisdiction, cadreId } = cadres[next++];
      const random = new Random(derivedSeed(seed, cadreId));
      const unitIds = jurisdiction.units.map((u) => `d${seed}-${jurisdiction.key}-${u.id}`);
      const story = new CadreStory(ledgerFor(random), random, jurisdiction, unitIds, cadreId, random.int(2012, 2017));
      const written = await story.tell();
      events += written;
      options.onCadre?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, cadres.length) }, worker));
  return { seed, cadres: cadres.length, units, events, sampleCadreIds: cadres.slice(0, 3).map((c) => c.cadreId) };
}

export class DemoAlreadyLoaded extends Error {
  constructor(readonly seed: number) {
    super(`the demo dataset of seed ${seed} is already loaded; choose another --seed`);
  }
}
