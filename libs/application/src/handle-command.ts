import {
  asksHistory,
  cadreDecider,
  cadreIdOfStream,
  isDomainError,
  isUnitCommand,
  unitDecider,
  unitStream,
  type AnnualReviewRecorded,
  type CadreCommand,
  type CadreState,
  type DecidedEvent,
  type Decider,
  type DomainError,
  type LedgerCommand,
  type LedgerEvent,
  type LocalDate,
  type Message,
  type PolicyPort,
  type Requested,
  type Timestamp,
  type UnitCommand,
  type UnitContext,
  type UnitState,
} from '@cadre-ledger/domain';
import { policyPortFor, rulesOnlyPolicyPort, type RuleBook } from '@cadre-ledger/policy';
import { WrongExpectedRevision } from '@cadre-ledger/event-store';
import { latestRecordedAt, unitFactsThrough } from './history';
import { claimOf } from './excellence-quota';
import type { StreamSnapshot } from './stream-cache';

/**
 * Where the command path reads streams and appends to them, the one thing that differs between its
 * users: the event store, one stream per append, for the API, the CLI and the reactions (`Ledger`);
 * an import's views, whose accepted events are appended later in batches of streams (libs/intake).
 * `Appended` is what an append gives back (a stored event; an import's queued one).
 */
export interface CommandStreams<Appended> {
  /** The streams as they stand now, in the order asked. */
  read(streams: readonly string[]): Promise<readonly StreamSnapshot[]>;
  /** The state of a stream as read, folded by its decider (kept and extended where the streams can). */
  state<S>(snapshot: StreamSnapshot, decider: Decider<S, never, Message<string, unknown>, never>): S;
  /** Appends at `expectedRevision` (-1: no stream yet), or raises `WrongExpectedRevision` after a lost race. */
  append(stream: string, events: readonly DecidedEvent[], expectedRevision: number): Promise<Appended[]>;
  /** The event of this id, when the stream as read holds it (a retry whose answer was lost). */
  landed(snapshot: StreamSnapshot, eventId: string): Appended | undefined;
  /** Runs the work on `stream` after the work already queued on it in this process (none: at once). */
  inTurn?<T>(stream: string, work: () => Promise<T>): Promise<T>;
}

/** What every command is decided with, whichever streams it is read from. */
export interface CommandPathContext {
  ruleBook: RuleBook;
  /** Today in China Standard Time: no `effectiveAt` after it. */
  today(): LocalDate;
  /** Now: a decider asking about the history knows everything read, even what the store's clock dated later. */
  now(): Timestamp;
  /** The earliest `effectiveAt` accepted (LEDGER_EARLIEST_DATE). */
  earliest?: LocalDate;
  newEventId(): string;
  /** Lost races retried when the caller pinned no revision. */
  retries: number;
  /** The longest pause between two attempts (each random up to a doubling bound). */
  maxPauseMs?: number;
  /** The most events one stream may hold. */
  maxStreamEvents?: number;
}

export interface HandleOptions {
  /** A derived event id (Idempotency-Key, the clock's, an import row's): a repeat never appends twice. */
  eventId?: string;
  /** `If-Match`: the append must find the stream at this revision (WrongExpectedRevision otherwise, never retried). */
  expectedRevision?: number;
  /** Lost races to retry (default: the context's). */
  retries?: number;
  /** A look at the stream as read, before anything is decided; it may throw (an adapter's scope check). */
  inspect?: (snapshot: StreamSnapshot) => void;
  /** Changes the rules' answers (the historical import records a promotion made inside a lock). */
  policy?: (port: PolicyPort) => PolicyPort;
  /** Replaces parts of a unit command's context (`parent` present, even undefined: no parent is read). */
  unitContext?: Partial<UnitContext>;
  /** How an excellent review's claim on its unit's quota is made; none: not claimed (the NDJSON import holds claims as lines). */
  quota?: QuotaClaim;
}

/**
 * How the path counts an excellent review against its unit's quota (API.md, "Excellence quotas,
 * exactly"): the claim itself is the same everywhere (`claimOf`); its id, and what a unit at its
 * limit means, are the caller's (the store releases dead claims and tries again; the historical
 * import records a conflict; the live import refuses the row).
 */
export interface QuotaClaim {
  /** The claim's event id (the import derives it from the review's, so a re-run claims once); default a fresh one. */
  eventId?(reviewEventId: string): string;
  /** Lost races of the claim to retry: claims on a busy unit race every writer of excellent reviews in it. */
  retries?: number;
  /** The claim was handled (appended, or nothing to count). */
  claimed?(reviewEventId: string, claim: Handled<unknown>): void;
  /** The unit is at its limit: `again` retries the claim; throwing refuses the review. */
  exceeded(error: DomainError, unitId: string, year: number, again: () => Promise<void>): Promise<void>;
}

/** What a command did: the events it appended (none when it was already satisfied) and the stream's revision after it. */
export interface Handled<Appended> {
  stream: string;
  events: Appended[];
  revision: number;
  /** The command's derived event id was already in the stream: `events` is that event, nothing was appended. */
  alreadyStored?: boolean;
  /** The stream's state the command was decided on. */
  state?: CadreState | UnitState;
}

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


/**
 * The one command path (ARCHITECTURE.md, "Shape"), for the API, the CLI, both imports and the
 * reactions: read the stream, fold it with its decider, ask the rules what the decider needs, decide,
 * count an excellent review against its unit's quota (a command of its own on the unit's stream,
 * through this same path), append at the revision read. A lost race (someone appended in between)
 * is decided again on the new history after a random pause below a doubling bound (full jitter),
 * unless the caller pinned a revision: then the conflict is the caller's to see. The event id stays
 * the same across attempts, so a retry can never append the decision twice.
 */
export function handleCommand<Appended>(
  context: CommandPathContext,
  streams: CommandStreams<Appended>,
  stream: string,
  request: Requested<LedgerCommand>,
  options: HandleOptions = {},
): Promise<Handled<Appended>> {
  const attempt = () => attemptCommand(context, streams, stream, request, options);
  return streams.inTurn ? streams.inTurn(stream, attempt) : attempt();
}

async function attemptCommand<Appended>(context: CommandPathContext, streams: CommandStreams<Appended>, stream: string, request: Requested<LedgerCommand>, options: HandleOptions): Promise<Handled<Appended>> {
  const eventId = options.eventId ?? context.newEventId();
  for (let attempt = 0; ; attempt++) {
    const [snapshot] = await streams.read([stream]);
    options.inspect?.(snapshot);
    if (options.eventId !== undefined) {
      // A retry of a command whose event landed (the answer was lost): that event is the answer.
      const landed = streams.landed(snapshot, options.eventId);
      if (landed) return { stream, events: [landed], revision: revisionOf(snapshot, options.eventId), alreadyStored: true };
    }
    if (options.expectedRevision !== undefined && options.expectedRevision !== snapshot.revision) {
      throw new WrongExpectedRevision(stream, options.expectedRevision, snapshot.revision < 0 ? 'no-stream' : snapshot.revision);
    }
    const command = { ...request, metadata: { ...request.metadata, eventId, today: context.today(), earliest: context.earliest } } as LedgerCommand;
    const { decided, state } = await decideOn(context, streams, snapshot, command, options);
    if (decided.length === 0) return { stream, events: [], revision: snapshot.revision, state };
    if (context.maxStreamEvents !== undefined && snapshot.revision + 1 + decided.length > context.maxStreamEvents) throw new StreamFull(stream, context.maxStreamEvents);
    // An excellent review counts against its unit's quota before it is stored.
    if (options.quota && !isUnitCommand(command)) {
      for (const event of decided) await claimQuota(context, streams, stream, state as CadreState, event, options.quota);
    }
    try {
      const events = await streams.append(stream, decided, snapshot.revision);
      return { stream, events, revision: snapshot.revision + decided.length, state };
    } catch (error) {
      const lostRace = error instanceof WrongExpectedRevision;
      if (!lostRace || options.expectedRevision !== undefined || attempt >= (options.retries ?? context.retries)) throw error;
      const bound = Math.min(context.maxPauseMs ?? 250, 5 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
    }
  }
}

const revisionOf = (snapshot: StreamSnapshot, eventId: string): number => snapshot.facts.find((f) => f.metadata.eventId === eventId)?.metadata.revision ?? snapshot.revision;

/**
 * The decide step, the same for every user of the path: the stream's state, and what its decider
 * asks beyond it. A cadre command asks the rule book; a promotion and a 第十五条 report also ask
 * about the cadre's history, which includes the facts of the units it sat in (read through the
 * same streams). A unit command asks whether the jurisdiction is known, today's quota rule, and,
 * for a registration, its parent's registration.
 */
async function decideOn<Appended>(
  context: CommandPathContext,
  streams: CommandStreams<Appended>,
  snapshot: StreamSnapshot,
  command: LedgerCommand,
  options: HandleOptions,
): Promise<{ decided: DecidedEvent<LedgerEvent>[]; state: CadreState | UnitState }> {
  const { ruleBook } = context;
  if (isUnitCommand(command)) {
    const state = streams.state(snapshot, unitDecider);
    const ports: UnitContext = {
      isKnownJurisdiction: (j) => ruleBook.hasJurisdiction(j),
      // "the rate in force when the review is recorded": today's rule.
      excellenceQuota: (j, grade) => ruleBook.excellenceQuota(j, command.metadata.today, grade),
      ...options.unitContext,
    };
    if (command.type === 'RegisterUnit' && command.data.parentUnitId !== undefined && command.data.parentUnitId !== command.data.unitId && !('parent' in (options.unitContext ?? {}))) {
      const [parent] = await streams.read([unitStream(command.data.parentUnitId)]);
      ports.parent = streams.state(parent, unitDecider).registration;
    }
    return { decided: unitDecider.decide(command as UnitCommand, state, ports), state };
  }
  const state = streams.state(snapshot, cadreDecider);
  let policy = rulesOnlyPolicyPort(ruleBook, command.type);
  if (asksHistory(command.type)) {
    const history = [...snapshot.facts, ...(await unitFactsThrough((names) => streams.read(names), snapshot.facts))];
    policy = policyPortFor(ruleBook, history, latestRecordedAt(history, context.now()));
  }
  return { decided: cadreDecider.decide(command as CadreCommand, state, options.policy ? options.policy(policy) : policy), state };
}

/** The claim an excellent review makes on its unit's quota, through this same path; what the unit's limit does is the `quota`'s to say. */
async function claimQuota<Appended>(context: CommandPathContext, streams: CommandStreams<Appended>, stream: string, state: CadreState, event: DecidedEvent<LedgerEvent>, quota: QuotaClaim): Promise<void> {
  if (event.type !== 'AnnualReviewRecorded' || event.data.grade !== 'excellent') return;
  const claim = claimOf(cadreIdOfStream(stream) ?? '', state, event as DecidedEvent<AnnualReviewRecorded>);
  if (!claim) return;
  const handle = async () => {
    const handled = await handleCommand(context, streams, unitStream(claim.unitId), claim.request, { eventId: quota.eventId?.(event.metadata.eventId), retries: quota.retries });
    quota.claimed?.(event.metadata.eventId, handled);
  };
  try {
    await handle();
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'excellence-quota-exceeded') throw error;
    await quota.exceeded(error, claim.unitId, claim.request.data.year, handle);
  }
}
