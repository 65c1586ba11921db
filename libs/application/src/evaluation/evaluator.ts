import type { Fact } from '@cadre-ledger/domain';
import { explain, type EvaluationTime, type Explanation, type RuleBook } from '@cadre-ledger/policy';

/**
 * Where verdicts are computed. `evaluate` is pure and fast for real histories (tens to hundreds of
 * facts: well under a millisecond), but a stream may hold up to 20,000 facts, and a tenth of a
 * second of CPU on the event loop holds up every other request, liveness included. An evaluator
 * answers small histories in place and may hand large ones to worker threads.
 */
export interface Evaluator {
  explain(history: readonly Fact[], time: EvaluationTime): Promise<Explanation>;
  close(): Promise<void>;
}

/** Everything on the calling thread (tests, the CLI). */
export function inlineEvaluator(ruleBook: RuleBook): Evaluator {
  return {
    explain: async (history, time) => explain(ruleBook, history, time),
    close: async () => undefined,
  };
}
