/**
 * `npm run bench:policy`: how many facts per second `evaluate` folds, in memory, on synthetic
 * histories (200 facts is the reference; 50 and 1000 show how it scales). This is the ceiling the
 * projections will be compared with. Prints one table.
 */
import { performance } from 'node:perf_hooks';
import { evaluate } from '@cadre-ledger/policy';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { syntheticHistory } from './synthetic-history';

const ruleBook = readRuleBook();
const budgetMs = Number(process.env.BENCH_MS ?? 3000);
const asOfs = ['2012-06-30', '2018-10-26', '2021-03-15', '2026-11-22'];

function measure(size: number) {
  const history = syntheticHistory(size);
  const knownAt = '2026-11-22T23:59:59Z';
  for (let i = 0; i < 50; i++) evaluate(ruleBook, history, { asOf: asOfs[i % asOfs.length], knownAt }); // warm-up
  let evaluations = 0;
  let locks = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    locks += evaluate(ruleBook, history, { asOf: asOfs[evaluations % asOfs.length], knownAt }).locks.length;
    evaluations += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    'facts in history': history.length,
    evaluations,
    'ms per evaluation': Number(((seconds * 1000) / evaluations).toFixed(3)),
    'evaluations/s': Math.round(evaluations / seconds),
    'facts folded/s': Math.round((evaluations * history.length) / seconds),
    'locks seen (sanity)': locks,
  };
}

console.log(`evaluate() on synthetic 陕西 histories, ${budgetMs} ms each, Node ${process.version}`);
console.table([50, 200, 1000].map(measure));
