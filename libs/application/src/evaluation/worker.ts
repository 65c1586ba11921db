/**
 * The body of an evaluation worker thread (see pool.ts): loads the rule book once, from the same
 * directory as the main thread, then explains the histories it is handed.
 */
import { workerData } from 'node:worker_threads';
import type { Fact } from '@cadre-ledger/domain';
import { explain, type EvaluationTime, type Explanation } from '@cadre-ledger/policy';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';

const ruleBook = readRuleBook((workerData as { ruleSetsDir?: string } | undefined)?.ruleSetsDir);

export default function evaluateTask(task: { history: Fact[]; time: EvaluationTime }): Explanation {
  return explain(ruleBook, task.history, task.time);
}
