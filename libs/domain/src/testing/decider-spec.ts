import type { CadreCommand } from '../commands';
import type { CadreEvent } from '../events';
import type { PolicyPort } from '../policy-port';
import type { Decided, Message } from '../shared/messages';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { cadreDecider } from '../cadre-stream/decide';

/**
 * Decider specs read as given(events).when(command).then(events) / .thenThrows(code) (Emmett's
 * DeciderSpecification), for any decider: events in `given` are folded with its `evolve`, `then`
 * compares the decided events exactly. `ports`: what the decider asks beyond its stream.
 */
export function deciderSpec<State, Command, Event extends Message<string, unknown>, Ports>(decider: Decider<State, Command, Event, Ports>, ports: Ports) {
  return {
    given(events: readonly Decided<Event>[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state, ports);
          return {
            then(expected: Decided<Event>[]) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            /** Asserts the DomainError's code and category, and returns it for further checks. */
            thenThrows(code: string, category?: DomainError['category']): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (category) expect(error.category).toBe(category);
              expect(error.message.length).toBeGreaterThan(0);
              return error;
            },
          };
        },
      };
    },
  };
}

/** `deciderSpec` of the cadre stream's decider, asking `policy`. */
export const cadreDeciderSpec = (policy: PolicyPort) => deciderSpec<Parameters<typeof cadreDecider.decide>[1], CadreCommand, CadreEvent, PolicyPort>(cadreDecider, policy);

/** A policy port for decider specs: a fixed answer per question, overridable per test. */
export function stubPolicy(overrides: Partial<PolicyPort> = {}): PolicyPort {
  return {
    isKnownJurisdiction: (j) => ['CN', 'CN-SN', 'CN-HN-ZJJ'].includes(j),
    toleranceSituations: () => ['SN-1', 'SN-2', 'SN-3'],
    promotionBlockers: () => ({ locks: [], consultationRequired: [] }),
    openReviewTriggers: () => [],
    excellenceQuota: () => null,
    ...overrides,
  };
}
