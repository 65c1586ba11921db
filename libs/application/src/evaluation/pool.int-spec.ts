import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { explain } from '@cadre-ledger/policy';
import { syntheticHistory } from '../../../../bench/synthetic-history';
import { poolEvaluator } from './pool';

/** Long histories are explained on worker threads, with exactly the answer of the calling thread. */
jest.setTimeout(60_000);

describe('poolEvaluator', () => {
  const ruleBook = readRuleBook();

  it('answers a long history from a worker thread as the inline evaluation does', async () => {
    const evaluator = poolEvaluator({ ruleBook, ruleSetsDir: undefined, threads: 2, minFacts: 100 });
    try {
      const time = { asOf: '2026-06-01', knownAt: '2030-01-01T00:00:00Z' };
      const histories = [syntheticHistory(3_000, 3), syntheticHistory(500, 5), syntheticHistory(50, 9)];
      const answers = await Promise.all(histories.map((h) => evaluator.explain(h, time)));
      answers.forEach((answer, i) => expect(answer).toEqual(explain(ruleBook, histories[i], time)));
      expect(answers[0].verdict.cadreId).toBe('bench-1');
    } finally {
      await evaluator.close();
    }
  });

  it('keeps everything inline with no threads', async () => {
    const evaluator = poolEvaluator({ ruleBook, ruleSetsDir: undefined, threads: 0 });
    const history = syntheticHistory(200);
    const time = { asOf: '2026-06-01', knownAt: '2030-01-01T00:00:00Z' };
    expect(await evaluator.explain(history, time)).toEqual(explain(ruleBook, history, time));
    await evaluator.close();
  });
});
