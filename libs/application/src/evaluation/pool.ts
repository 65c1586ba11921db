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
  /** Histories with at least this many facts go to a worker; smaller ones are answered in place. Default 5,000 (bench:long-history: below that the copy to a worker costs more than it saves). */
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
  // Created on the first long history: most deployments never see one. One thread stays up once
  // started (piscina 4 with minThreads 0 may leave a task waiting for a thread that never starts).
  let pool: Piscina | undefined;
  const started = () =>
    (pool ??= new Piscina({
      filename: fromSource ? join(__dirname, 'worker.ts') : compiled,
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
      workerData: { ruleSetsDir: options.ruleSetsDir },
      execArgv: fromSource ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [],
      env: fromSource ? { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', '..', '..', 'tsconfig.json') } : process.env,
    }));
  const minFacts = options.minFacts ?? 5_000;
  return {
    explain: (history, time) => (history.length < minFacts ? inline.explain(history, time) : started().run({ history, time })),
    close: async () => {
      await pool?.destroy();
    },
  };
}
