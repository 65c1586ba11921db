import {
  cadreStream,
  chinaDateOf,
  decide,
  decideUnit,
  foldCadre,
  foldUnit,
  currentPlacement,
  type CadreCommand,
  type CadreEvent,
  type DecidedEvent,
  type Fact,
  type LedgerEvent,
  type LocalDate,
  type Position,
  type Timestamp,
  type UnitCommand,
  type UnitEvent,
  unitStream,
} from '@cadre-ledger/domain';
import { evaluate, policyPortFor, type RuleBook, type Verdict } from '@cadre-ledger/policy';
import { WrongExpectedRevision, type EventStore, type StoredEvent, type VerifyResult } from '@cadre-ledger/event-store';
import { toFact, toNewEvent } from './facts';
import { latestRecordedAt, loadCadreHistory, unitFactsFor } from './history';

/** A command as an adapter hands it over: the ledger adds the event id and today's date. */
export type Requested<C extends { metadata: unknown }> = Omit<C, 'metadata'> & {
  metadata: { actor: string; documentRef?: string | null };
};

export interface WriteOptions {
  /** From `If-Match`: the append must find the stream at this revision (412 otherwise). */
  expectedRevision?: number;
  /** A derived event id (the clock's, from the lock id), so that a repeat can never append twice. */
  eventId?: string;
}

export interface CommandResult {
  /** The stored events (empty when the command was already satisfied, e.g. a clock mark). */
  events: StoredEvent[];
  /** Stream revision after the command. */
  revision: number;
  stream: string;
}

export interface CadreProfile {
  cadreId: string;
  name: string;
  unitId: string;
  jurisdiction: string;
  position: Position | null;
  revision: number;
}

export interface LedgerDependencies {
  store: EventStore;
  ruleBook: RuleBook;
  /** The current instant; injected so that tests and the clock can pin it. */
  now: () => Date;
  /** A fresh event id (UUID). */
  newEventId: () => string;
  /** Retries of a command that lost a race for the stream, when the caller sent no If-Match. */
  maxConflictRetries?: number;
}

/**
 * The one command path (ARCHITECTURE.md, "Shape"): load the stream, fold, decide, append with the
 * expected revision; on a lost race and no If-Match, do it again a bounded number of times. Also
 * the reads every adapter shares: profile, eligibility at (asOf, knownAt), history, verification.
 */
export class Ledger {
  private readonly retries: number;

  constructor(private readonly deps: LedgerDependencies) {
    this.retries = deps.maxConflictRetries ?? 3;
  }

  /** Today in China Standard Time. */
  today(): LocalDate {
    return chinaDateOf(this.deps.now().toISOString());
  }

  async executeCadreCommand(cadreId: string, request: Requested<CadreCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    return this.execute(cadreStream(cadreId), options, async (facts, metadata) => {
      const command = { ...request, metadata: { ...request.metadata, ...metadata } } as CadreCommand;
      const history = [...facts, ...(await unitFactsFor(this.deps.store, facts))];
      const policy = policyPortFor(this.deps.ruleBook, history, latestRecordedAt(history, this.deps.now().toISOString()));
      return decide(command, foldCadre(facts as Fact<CadreEvent>[]), policy);
    });
  }

  async executeUnitCommand(unitId: string, request: Requested<UnitCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    return this.execute(unitStream(unitId), options, async (facts, metadata) => {
      const command = { ...request, metadata: { ...request.metadata, ...metadata } } as UnitCommand;
      return decideUnit(command, foldUnit(facts as Fact<UnitEvent>[]));
    });
  }

  /**
   * Read the stream, decide, append at the revision read. A lost race (someone appended in
   * between) is decided again on the new history, unless the caller pinned a revision with
   * If-Match: then the conflict is the caller's to see. The event id stays the same across
   * attempts, so a retry can never append the decision twice.
   */
  private async execute(
    stream: string,
    options: WriteOptions,
    decideOn: (facts: Fact[], metadata: { eventId: string; today: LocalDate }) => Promise<DecidedEvent<LedgerEvent>[]>,
  ): Promise<CommandResult> {
    const eventId = options.eventId ?? this.deps.newEventId();
    for (let attempt = 0; ; attempt++) {
      const stored = await this.deps.store.readStream(stream);
      const revision = stored.length - 1;
      const current = stored.length === 0 ? 'no-stream' : revision;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new WrongExpectedRevision(stream, options.expectedRevision, current);
      }
      const decided = await decideOn(stored.map(toFact), { eventId, today: this.today() });
      if (decided.length === 0) return { events: [], revision, stream };
      try {
        const result = await this.deps.store.appendToStream(stream, decided.map(toNewEvent), { expectedRevision: current });
        return { events: result.events, revision: result.nextRevision, stream };
      } catch (error) {
        const lostRace = error instanceof WrongExpectedRevision;
        if (!lostRace || options.expectedRevision !== undefined || attempt >= this.retries) throw error;
      }
    }
  }

  /** The cadre as it stands now, or null when it was never registered. */
  async profile(cadreId: string): Promise<CadreProfile | null> {
    const stored = await this.deps.store.readStream(cadreStream(cadreId));
    const state = foldCadre(stored.map(toFact) as Fact<CadreEvent>[]);
    if (!state.registered) return null;
    const placement = currentPlacement(state);
    return {
      cadreId: state.cadreId,
      name: state.name,
      unitId: placement.unitId,
      jurisdiction: state.jurisdiction,
      position: placement.position,
      revision: stored.length - 1,
    };
  }

  /** The verdict at (asOf, knownAt), defaulting to today and now; null when the cadre was unknown then. */
  async eligibility(cadreId: string, at: { asOf?: LocalDate; knownAt?: Timestamp } = {}): Promise<Verdict | null> {
    const history = await loadCadreHistory(this.deps.store, cadreId, at.knownAt);
    if (!history.some((f) => f.type === 'CadreRegistered')) return null;
    // Without knownAt: everything stored, as known now (or at the latest fact, if the store's clock is ahead).
    const knownAt = at.knownAt ?? latestRecordedAt(history, this.deps.now().toISOString());
    return evaluate(this.deps.ruleBook, history, { asOf: at.asOf ?? this.today(), knownAt });
  }

  /** The cadre's stream as recorded by `knownAt` (default: everything); null when there was none. */
  async history(cadreId: string, at: { knownAt?: Timestamp } = {}): Promise<{ cadreId: string; revision: number; events: StoredEvent[] } | null> {
    const events = await this.deps.store.readStream(cadreStream(cadreId), at.knownAt ? { knownAt: at.knownAt } : {});
    if (events.length === 0) return null;
    return { cadreId, revision: events[events.length - 1].revision, events };
  }

  async verify(cadreId: string): Promise<VerifyResult> {
    return this.deps.store.verifyStream(cadreStream(cadreId));
  }
}
