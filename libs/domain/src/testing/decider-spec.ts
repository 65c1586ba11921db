import type { CadreCommand } from '../commands';
import type { CadreEvent, DecidedEvent } from '../events';
import type { PolicyPort } from '../policy-port';
import type { Decided } from '../shared/messages';
import { DomainError } from '../shared/errors';
import { decide } from '../cadre-stream/decide';
import { evolve, initialCadreState } from '../cadre-stream/state';

/**
 * Decider specs read as given(events).when(command).then(events) / .thenThrows(code) (Emmett's
 * DeciderSpecification). Events in `given` are folded with `evolve`; `then` compares the decided
 * events exactly.
 */
export function cadreDeciderSpec(policy: PolicyPort) {
  return {
    given(events: Decided<CadreEvent>[]) {
      const state = events.reduce(evolve, initialCadreState());
      return {
        when(command: CadreCommand) {
          const run = () => decide(command, state, policy);
          return {
            then(expected: DecidedEvent<CadreEvent>[]) {
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
