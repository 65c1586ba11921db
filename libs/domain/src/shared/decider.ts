import type { Decided, Message, Recorded } from './messages';

/**
 * The one shape of an aggregate (Emmett's `Decider`): `decide(command, state) → events`,
 * `evolve(state, event) → state`, `initialState()`. `Ports` is what a decider asks of the world
 * beyond its own stream (the rules): passed in by the command path, never fetched by the decider.
 * One decider per stream kind: `cadreDecider` for `cadre-{cadreId}`, `unitDecider` for `unit-{unitId}`.
 */
export interface Decider<State, Command, Event extends Message<string, unknown>, Ports = void> {
  /** The events to append (none when the command is already satisfied); throws a DomainError on refusal. */
  decide(command: Command, state: State, ports: Ports): Decided<Event>[];
  evolve(state: State, event: Decided<Event> | Recorded<Event>): State;
  initialState(): State;
  /** The same state as folding `evolve` from `initialState()`, built faster (the cadre's: transient collections). */
  fold?(events: readonly (Decided<Event> | Recorded<Event>)[]): State;
}

/** Folds events from the decider's initial state. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any decider: its own types come back through D
export function fold<D extends Decider<any, never, any, never>>(decider: D, events: readonly Parameters<D['evolve']>[1][]): ReturnType<D['initialState']> {
  return decider.fold ? decider.fold(events) : events.reduce(decider.evolve, decider.initialState());
}
