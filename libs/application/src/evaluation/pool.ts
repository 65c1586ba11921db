import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Piscina from 'piscina';
import type { RuleBook } from '@cadre-ledger/policy';
import { inlineEvaluator, type Evaluator } from './evaluator';

export interface PoolEvaluatorOptions {
  ruleBook: RuleBook;
  /** The directory the rule book was read from (undefined: the shipped sets): each worker reads it too. */
  ruleSetsDir: string | undefined;
  /** Worker threads; 0 keeps everything inline. Default: the machine's parallelism. */
  threads?: number;
  /** Histories with at least this many facts go to a worker; smaller ones are answered in place. Default 1,000. */
  minFacts?: number;
}

/**
 * Large histories are explained on worker threads (piscina), small ones in place: copying a
 * history to a worker costs more than evaluating a short one. From TypeScript sources (npm start,
 * the tests) the workers load ts-node; from `dist/` they run the compiled worker.
 */
export function poolEvaluator(options: PoolEvaluatorOptions): Evaluator {
  const inline = inlineEvaluator(options.ruleBook);
  const threads = options.threads ?? availableParallelism();
  if (threads <= 0) return inline;
  const compiled = join(__dirname, 'worker.js');
  const fromSource = !existsSync(compiled);
  const pool = new Piscina({
    filename: fromSource ? join(__dirname, 'worker.ts') : compiled,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
    workerData: { ruleSetsDir: options.ruleSetsDir },
    execArgv: fromSource ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [],
    env: fromSource ? { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', '..', '..', 'tsconfig.json') } : process.env,
  });
  const minFacts = options.minFacts ?? 1_000;
  return {
    explain: (history, time) => (history.length < minFacts ? inline.explain(history, time) : pool.run({ history, time })),
    close: () => pool.destroy(),
  };
}
