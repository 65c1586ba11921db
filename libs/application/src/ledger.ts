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
  type ManagedBy,
  type Position,
  type Timestamp,
  type UnitCommand,
  type UnitEvent,
  unitStream,
  type UnitContext,
  type CadreState,
  type AnnualReviewRecorded,
  asksHistory,
  evolve,
} from '@cadre-ledger/domain';
import { policyPortFor, rulesOnlyPolicyPort, type RuleBook, type Verdict } from '@cadre-ledger/policy';
import { WrongExpectedRevision, type EventStore, type StoredEvent, type VerifyResult } from '@cadre-ledger/event-store';
import { toNewEvent } from './facts';
import { KeyedQueue } from './keyed-queue';
import { inlineEvaluator, type Evaluator } from './evaluation/evaluator';
import { latestRecordedAt, parentsOf, recordedBy, unitHistory, unitsOf } from './history';
import { DEFAULT_STREAM_CACHE_EVENTS, StreamCache, type StreamSnapshot } from './stream-cache';
import { DEFAULT_QUOTA_CLAIM_LEASE_MS, ExcellenceQuotas } from './excellence-quota';

/**
 * The most events a stream holds by default. A cadre's real history has tens to hundreds of
 * facts; the bound keeps one stream (any writer may add to one) from growing until reading and
 * evaluating it holds up the service. Folding and evaluating 20,000 facts takes about a tenth of a
 * second (bench/policy.bench.ts).
 */
export const DEFAULT_MAX_STREAM_EVENTS = 20_000;

/** The stream already holds the most events the ledger accepts for one stream. */
export class StreamFull extends Error {
  readonly code = 'stream-full';
  constructor(
    readonly stream: string,
    readonly limit: number,
  ) {
    super(`${stream} already holds ${limit} events, the most one stream may hold (LEDGER_MAX_STREAM_EVENTS); nothing was appended`);
    this.name = 'StreamFull';
  }
}

/** The excellent review a retraction targets, with the unit whose quota it counted against. */
function excellentReview(facts: readonly Fact[], state: CadreState, eventId: string): { unitId: string; review: Fact<AnnualReviewRecorded> } | null {
  const review = facts.find((f): f is Fact<AnnualReviewRecorded> => f.metadata.eventId === eventId && f.type === 'AnnualReviewRecorded');
  if (!review || review.data.grade !== 'excellent') return null;
  const unitId = ExcellenceQuotas.unitOf(state, review.metadata.effectiveAt);
  return unitId ? { unitId, review } : null;
}

/** A command as an adapter hands it over: the ledger adds the event id and today's date. */
export type Requested<C extends { metadata: unknown }> = Omit<C, 'metadata'> & {
  metadata: { actor: string; documentRef?: string | null };
};

export interface WriteOptions {
  /** From `If-Match`: the append must find the stream at this revision (412 otherwise). */
  expectedRevision?: number;
  /** A derived event id (the clock's, from the lock id), so that a repeat can never append twice. */
  eventId?: string;
  /** How many lost races to retry (default: the ledger's); quota claims on a busy unit need more. */
  retries?: number;
  /**
   * Cadre commands: a look at the cadre as the command reads it (null: not registered), before
   * anything else is checked; it may throw (an adapter's scope check: one read serves both).
   */
  visible?: (profile: CadreProfile | null) => void;
}


export interface CommandResult {
  /** The stored events (empty when the command was already satisfied, e.g. a clock mark). */
  events: StoredEvent[];
  /** Stream revision after the command (the found event's own, when `alreadyStored`). */
  revision: number;
  stream: string;
  /** The command's derived event id was already in the stream: this is that event, nothing was appended. */
  alreadyStored?: boolean;
}

export interface CadreProfile {
  cadreId: string;
  name: string;
  unitId: string;
  jurisdiction: string;
  position: Position | null;
  /** 干部管理权限 as last recorded; absent when never recorded. */
  managedBy?: ManagedBy;
  revision: number;
}

/** A cadre's stream as read once: its facts (everything stored) and its profile now. */
export interface CadreRead {
  cadreId: string;
  facts: readonly Fact[];
  profile: CadreProfile;
  /** The facts of its units a verdict reads (`unitHistory`), everything stored, when asked for. */
  unitFacts?: readonly Fact[];
}

export interface LedgerDependencies {
  store: EventStore;
  ruleBook: RuleBook;
  /** The current instant; injected so that tests and the clock can pin it. */
  now: () => Date;
  /** A fresh event id (UUID). */
  newEventId: () => string;
  /** Retries of a command that lost a race for the stream, when the caller sent no If-Match. Default 10. */
  maxConflictRetries?: number;
  /** Where verdicts are computed (worker threads for long histories); default: inline. */
  evaluator?: Evaluator;
  /** The earliest `effectiveAt` commands may carry (LEDGER_EARLIEST_DATE); default 1900-01-01. */
  earliestDate?: LocalDate;
  /** The most events one stream may hold; a command that would add to a full stream is refused. Default 20,000. */
  maxStreamEvents?: number;
  /** The longest pause between two such attempts; each pause is random up to a doubling bound. Default 250 ms. */
  maxRetryPauseMs?: number;
  /** How long a quota claim may wait for its review before it counts as left behind. Default 10 minutes. */
  quotaClaimLeaseMs?: number;
  /** Events of recently read streams kept in memory, so that a read fetches only what was appended since (LEDGER_STREAM_CACHE_EVENTS; 0: none). Default 200,000. */
  streamCacheEvents?: number;
}

/**
 * The one command path (ARCHITECTURE.md, "Shape"): load the stream, fold, decide, append with the
 * expected revision; on a lost race and no If-Match, do it again a bounded number of times. Also
 * the reads every adapter shares: profile, eligibility at (asOf, knownAt), history, verification.
 */
export class Ledger {
  private readonly retries: number;
  private readonly maxPauseMs: number;
  private readonly maxStreamEvents: number;
  private readonly evaluator: Evaluator;
  private readonly streams = new KeyedQueue();
  private readonly quotas: ExcellenceQuotas;
  private readonly cache: StreamCache;

  constructor(private readonly deps: LedgerDependencies) {
    this.cache = new StreamCache(deps.store, deps.streamCacheEvents ?? DEFAULT_STREAM_CACHE_EVENTS);
    this.retries = deps.maxConflictRetries ?? 10;
    this.maxPauseMs = deps.maxRetryPauseMs ?? 250;
    this.maxStreamEvents = deps.maxStreamEvents ?? DEFAULT_MAX_STREAM_EVENTS;
    this.evaluator = deps.evaluator ?? inlineEvaluator(deps.ruleBook);
    this.quotas = new ExcellenceQuotas({
      store: deps.store,
      now: deps.now,
      today: () => this.today(),
      leaseMs: deps.quotaClaimLeaseMs ?? DEFAULT_QUOTA_CLAIM_LEASE_MS,
      executeUnit: (unitId, request, options) => this.executeUnitCommand(unitId, request as Requested<UnitCommand>, options),
    });
  }

  /** Now, by the ledger's clock. */
  now(): Timestamp {
    return this.deps.now().toISOString();
  }

  /** Today in China Standard Time. */
  today(): LocalDate {
    return chinaDateOf(this.deps.now().toISOString());
  }

  async executeCadreCommand(cadreId: string, request: Requested<CadreCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    let retracted: { unitId: string; review: Fact<AnnualReviewRecorded> } | null = null;
    const look = options.visible;
    const inspect = look ? (snapshot: StreamSnapshot) => look(this.profileOf(cadreId, snapshot)) : undefined;
    const result = await this.execute(cadreStream(cadreId), { ...options, inspect }, async (snapshot, metadata) => {
      const command = { ...request, metadata: { ...request.metadata, ...metadata } } as CadreCommand;
      const { facts } = snapshot;
      // Only a promotion and a 第十五条 report ask about the history; the rest need the rule book only.
      let policy = rulesOnlyPolicyPort(this.deps.ruleBook, command.type);
      if (asksHistory(command.type)) {
        const history = [...facts, ...(await this.unitFacts(facts))];
        policy = policyPortFor(this.deps.ruleBook, history, latestRecordedAt(history, this.deps.now().toISOString()));
      }
      const state = this.folded(snapshot);
      const decided = decide(command, state, policy);
      // An excellent review counts against its unit's quota before it is stored.
      for (const event of decided) {
        if (event.type === 'AnnualReviewRecorded' && event.data.grade === 'excellent') await this.quotas.claim(cadreId, state, event);
      }
      retracted = command.type === 'RetractEntry' ? excellentReview(facts, state, command.data.eventId) : null;
      return decided;
    });
    // A retracted excellent review gives its place back. Should this fail (the retraction stands),
    // the unit's next claim at its limit finds the dead claim and releases it.
    const target = retracted as { unitId: string; review: Fact<AnnualReviewRecorded> } | null;
    if (target && result.events.length > 0) await this.quotas.releaseRetracted(target.unitId, target.review, cadreId).catch(() => undefined);
    return result;
  }

  async executeUnitCommand(unitId: string, request: Requested<UnitCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    return this.execute(unitStream(unitId), options, async (snapshot, metadata) => {
      const command = { ...request, metadata: { ...request.metadata, ...metadata } } as UnitCommand;
      const context: UnitContext = {
        isKnownJurisdiction: (j) => this.deps.ruleBook.hasJurisdiction(j),
        // "the rate in force when the review is recorded": today's rule.
        excellenceQuota: (j, grade) => this.deps.ruleBook.excellenceQuota(j, metadata.today, grade),
      };
      if (command.type === 'RegisterUnit' && command.data.parentUnitId !== undefined && command.data.parentUnitId !== unitId) {
        const [parent] = await this.cache.read([unitStream(command.data.parentUnitId)]);
        context.parent = foldUnit(parent.facts as Fact<UnitEvent>[]).registration;
      }
      return decideUnit(command, foldUnit(snapshot.facts as Fact<UnitEvent>[]), context);
    });
  }

  /** The cadre's state at the snapshot's revision, extended from the one held for an earlier revision. */
  private folded(snapshot: StreamSnapshot): CadreState {
    return this.cache.derived<CadreState>(snapshot, 'cadre-state', (earlier) => {
      if (!earlier) return foldCadre(snapshot.facts as Fact<CadreEvent>[]);
      let state = earlier.value;
      for (let revision = earlier.revision + 1; revision <= snapshot.revision; revision++) state = evolve(state, snapshot.facts[revision] as Fact<CadreEvent>);
      return state;
    });
  }

  /**
   * The unit facts a verdict on these cadre facts reads (`unitHistory`), everything stored: the
   * units the facts name and their parents. `known`: unit streams already read with the cadre's
   * (`readCadre`); the streams this needed are noted with the cadre's stream `of`, to be read in
   * the same round trip next time.
   */
  private async unitFacts(facts: readonly Fact[], known: readonly StreamSnapshot[] = [], of?: string): Promise<Fact[]> {
    const held = new Map(known.map((s) => [s.stream, s]));
    const readAll = async (unitIds: readonly string[]) => {
      const missing = unitIds.map(unitStream).filter((stream) => !held.has(stream));
      for (const snapshot of missing.length > 0 ? await this.cache.read(missing) : []) held.set(snapshot.stream, snapshot);
      return new Map(unitIds.map((unitId) => [unitId, held.get(unitStream(unitId))!.facts]));
    };
    const units = await readAll(unitsOf(facts));
    const parents = await readAll(parentsOf(units));
    if (of) this.cache.setCompanions(of, [...units.keys(), ...parents.keys()].map(unitStream));
    return unitHistory(units, parents);
  }

  /**
   * Read the stream, decide, append at the revision read. Commands on one stream take turns in
   * this process, so they only race writers in other processes; a lost race (someone appended in
   * between) is decided again on the new history after a random pause below a doubling bound
   * (full jitter), unless the caller pinned a revision with If-Match: then the conflict is the
   * caller's to see. The event id stays the same across attempts, so a retry can never append the
   * decision twice.
   */
  private execute(
    stream: string,
    options: WriteOptions & { inspect?: (snapshot: StreamSnapshot) => void },
    decideOn: (snapshot: StreamSnapshot, metadata: { eventId: string; today: LocalDate; earliest?: LocalDate }) => Promise<DecidedEvent<LedgerEvent>[]>,
  ): Promise<CommandResult> {
    return this.streams.run(stream, () => this.attempt(stream, options, decideOn));
  }

  private async attempt(
    stream: string,
    options: WriteOptions & { inspect?: (snapshot: StreamSnapshot) => void },
    decideOn: (snapshot: StreamSnapshot, metadata: { eventId: string; today: LocalDate; earliest?: LocalDate }) => Promise<DecidedEvent<LedgerEvent>[]>,
  ): Promise<CommandResult> {
    const eventId = options.eventId ?? this.deps.newEventId();
    for (let attempt = 0; ; attempt++) {
      const [snapshot] = await this.cache.read([stream]);
      options.inspect?.(snapshot);
      const stored = snapshot.events;
      const revision = stored.length - 1;
      const current = stored.length === 0 ? 'no-stream' : revision;
      if (options.eventId !== undefined) {
        // A retry of a command whose event landed (the answer was lost): that event is the answer.
        const landed = stored.find((e) => e.eventId === options.eventId);
        if (landed) return { events: [landed], revision: landed.revision, stream, alreadyStored: true };
      }
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new WrongExpectedRevision(stream, options.expectedRevision, current);
      }
      const decided = await decideOn(snapshot, { eventId, today: this.today(), earliest: this.deps.earliestDate });
      if (decided.length === 0) return { events: [], revision, stream };
      if (stored.length + decided.length > this.maxStreamEvents) throw new StreamFull(stream, this.maxStreamEvents);
      try {
        const result = await this.deps.store.appendToStream(stream, decided.map(toNewEvent), { expectedRevision: current });
        this.cache.remember(stream, result.events);
        return { events: result.events, revision: result.nextRevision, stream };
      } catch (error) {
        const lostRace = error instanceof WrongExpectedRevision;
        if (!lostRace || options.expectedRevision !== undefined || attempt >= (options.retries ?? this.retries)) throw error;
        const bound = Math.min(this.maxPauseMs, 5 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
      }
    }
  }

  /** The cadre as it stands now, or null when it was never registered. */
  async profile(cadreId: string): Promise<CadreProfile | null> {
    return (await this.readCadre(cadreId))?.profile ?? null;
  }

  /**
   * The cadre's stream as stored now and its profile: read once, for a scope check and the answer.
   * `withUnits`: also the unit facts a verdict reads, the units the cadre sat in when last read
   * fetched in the same round trip as its stream.
   */
  async readCadre(cadreId: string, options: { withUnits?: boolean } = {}): Promise<CadreRead | null> {
    const stream = cadreStream(cadreId);
    const [own, ...units] = await this.cache.read([stream, ...(options.withUnits ? this.cache.companions(stream) : [])]);
    const profile = this.profileOf(cadreId, own);
    if (!profile) return null;
    if (!options.withUnits) return { cadreId, facts: own.facts, profile };
    return { cadreId, facts: own.facts, profile, unitFacts: await this.unitFacts(own.facts, units, stream) };
  }

  /** The cadre now, from its stream as read; null when it was never registered. */
  private profileOf(cadreId: string, snapshot: StreamSnapshot): CadreProfile | null {
    const state = this.folded(snapshot);
    if (!state.registered) return null;
    const placement = currentPlacement(state);
    return {
      cadreId: state.cadreId,
      name: state.name,
      unitId: placement.unitId,
      jurisdiction: state.jurisdiction,
      position: placement.position,
      ...(placement.managedBy ? { managedBy: placement.managedBy } : {}),
      revision: snapshot.revision,
    };
  }

  /**
   * The verdict at (asOf, knownAt), defaulting to today and now; null when the cadre was unknown
   * then. Given the stream already read (`readCadre`), it is not read again. Everything stored is
   * handed to the policy engine, which itself keeps to what was recorded by `knownAt`.
   */
  async eligibility(cadreId: string, at: { asOf?: LocalDate; knownAt?: Timestamp } = {}, read?: CadreRead): Promise<Verdict | null> {
    const cadre = read ?? (await this.readCadre(cadreId, { withUnits: true }));
    if (!cadre) return null;
    const history = [...cadre.facts, ...(cadre.unitFacts ?? (await this.unitFacts(cadre.facts)))];
    if (!recordedBy(history, at.knownAt).some((f) => f.type === 'CadreRegistered')) return null;
    // Without knownAt: everything stored, as known now (or at the latest fact, if the store's clock is ahead).
    const knownAt = at.knownAt ?? latestRecordedAt(history, this.deps.now().toISOString());
    return (await this.evaluator.explain(history, { asOf: at.asOf ?? this.today(), knownAt })).verdict;
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
