import {
  cadreStream,
  chinaDateOf,
  currentPlacement,
  type CadreCommand,
  type CadreState,
  type Decider,
  type Fact,
  type LocalDate,
  type ManagedBy,
  type Message,
  type Position,
  type Requested,
  type Timestamp,
  type UnitCommand,
  unitStream,
  type AnnualReviewRecorded,
  cadreDecider,
  fold,
} from '@cadre-ledger/domain';
import type { RuleBook, Verdict } from '@cadre-ledger/policy';
import type { EventStore, StoredEvent, VerifyResult } from '@cadre-ledger/event-store';
import { toNewEvent } from './facts';
import { KeyedQueue } from './keyed-queue';
import { inlineEvaluator, type Evaluator } from './evaluation/evaluator';
import { latestRecordedAt, recordedBy, unitFactsThrough } from './history';
import { DEFAULT_STREAM_CACHE_EVENTS, StreamCache, type StreamSnapshot } from './stream-cache';
import { DEFAULT_QUOTA_CLAIM_LEASE_MS, ExcellenceQuotas, quotaUnitOf } from './excellence-quota';
import { handleCommand, type CommandPathContext, type CommandStreams, type Handled } from './handle-command';

/**
 * The most events a stream holds by default. A cadre's real history has tens to hundreds of
 * facts; the bound keeps one stream (any writer may add to one) from growing until reading and
 * evaluating it holds up the service. Folding and evaluating 20,000 facts takes about a tenth of a
 * second (bench/policy.bench.ts).
 */
export const DEFAULT_MAX_STREAM_EVENTS = 20_000;

/** The excellent review a retraction targets, with the unit whose quota it counted against. */
function excellentReview(facts: readonly Fact[], state: CadreState, eventId: string): { unitId: string; review: Fact<AnnualReviewRecorded> } | null {
  const review = facts.find((f): f is Fact<AnnualReviewRecorded> => f.metadata.eventId === eventId && f.type === 'AnnualReviewRecorded');
  if (!review || review.data.grade !== 'excellent') return null;
  const unitId = quotaUnitOf(state, review.metadata.effectiveAt);
  return unitId ? { unitId, review } : null;
}

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


/** What a command did on the store: the stored events (none when it was already satisfied, e.g. a clock mark). */
export type CommandResult = Handled<StoredEvent>;

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
  private readonly evaluator: Evaluator;
  private readonly turns = new KeyedQueue();
  private readonly quotas: ExcellenceQuotas;
  private readonly cache: StreamCache;
  private readonly context: CommandPathContext;
  /** The command path's streams: the store, read through the cache, one stream per append. */
  private readonly streams: CommandStreams<StoredEvent>;

  constructor(private readonly deps: LedgerDependencies) {
    this.cache = new StreamCache(deps.store, deps.streamCacheEvents ?? DEFAULT_STREAM_CACHE_EVENTS);
    this.evaluator = deps.evaluator ?? inlineEvaluator(deps.ruleBook);
    this.context = {
      ruleBook: deps.ruleBook,
      today: () => this.today(),
      now: () => this.now(),
      earliest: deps.earliestDate,
      newEventId: deps.newEventId,
      retries: deps.maxConflictRetries ?? 10,
      maxPauseMs: deps.maxRetryPauseMs ?? 250,
      maxStreamEvents: deps.maxStreamEvents ?? DEFAULT_MAX_STREAM_EVENTS,
    };
    this.streams = {
      read: (streams) => this.cache.read(streams),
      state: (snapshot, decider) => this.folded(snapshot, decider),
      append: async (stream, events, expectedRevision) => {
        const result = await deps.store.appendToStream(stream, events.map(toNewEvent), { expectedRevision: expectedRevision < 0 ? 'no-stream' : expectedRevision });
        this.cache.remember(stream, result.events);
        return result.events;
      },
      landed: (snapshot, eventId) => snapshot.events.find((e) => e.eventId === eventId),
      inTurn: (stream, work) => this.turns.run(stream, work),
    };
    this.quotas = new ExcellenceQuotas({
      store: deps.store,
      now: deps.now,
      today: () => this.today(),
      leaseMs: deps.quotaClaimLeaseMs ?? DEFAULT_QUOTA_CLAIM_LEASE_MS,
      executeUnit: (unitId, request, options) => this.executeUnitCommand(unitId, request, options),
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

  /** A command on a cadre's stream, through the one command path (`handleCommand`). */
  async executeCadreCommand(cadreId: string, request: Requested<CadreCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    const look = options.visible;
    const stream = cadreStream(cadreId);
    const result = await handleCommand(this.context, this.streams, stream, request, {
      eventId: options.eventId,
      expectedRevision: options.expectedRevision,
      retries: options.retries,
      inspect: look ? (snapshot) => look(this.profileOf(cadreId, snapshot)) : undefined,
      quota: this.quotas,
    });
    // A retracted excellent review gives its place back. Should this fail (the retraction stands),
    // the unit's next claim at its limit finds the dead claim and releases it.
    if (request.type === 'RetractEntry' && result.events.length > 0 && !result.alreadyStored && result.state) {
      const [snapshot] = await this.cache.read([stream]);
      const target = excellentReview(snapshot.facts, result.state as CadreState, request.data.eventId);
      if (target) await this.quotas.releaseRetracted(target.unitId, target.review, cadreId).catch(() => undefined);
    }
    return result;
  }

  /** A command on a unit's stream, through the one command path. */
  async executeUnitCommand(unitId: string, request: Requested<UnitCommand>, options: WriteOptions = {}): Promise<CommandResult> {
    return handleCommand(this.context, this.streams, unitStream(unitId), request, { eventId: options.eventId, expectedRevision: options.expectedRevision, retries: options.retries });
  }

  /** A stream's state at the snapshot's revision, extended from the one held for an earlier revision. */
  private folded<S>(snapshot: StreamSnapshot, decider: Decider<S, never, Message<string, unknown>, never>): S {
    return this.cache.derived<S>(snapshot, decider, (earlier) => {
      const facts = snapshot.facts as readonly Fact<never>[];
      if (!earlier) return fold(decider, facts);
      let state = earlier.value;
      for (let revision = earlier.revision + 1; revision <= snapshot.revision; revision++) state = decider.evolve(state, facts[revision]);
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
    const needed: string[] = [];
    const unitFacts = await unitFactsThrough(async (streams) => {
      needed.push(...streams);
      const missing = streams.filter((stream) => !held.has(stream));
      for (const snapshot of missing.length > 0 ? await this.cache.read(missing) : []) held.set(snapshot.stream, snapshot);
      return streams.map((stream) => held.get(stream)!);
    }, facts);
    if (of) this.cache.setCompanions(of, needed);
    return unitFacts;
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
    const state = this.folded<CadreState>(snapshot, cadreDecider);
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
