import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where tests leave what a person may want to look at after a run (screenshots, the dossier PDF):
 * `test-output/` at the top of the checkout (LEDGER_TEST_OUTPUT elsewhere), kept by CI as artifacts.
 */
export function testOutputDir(...parts: string[]): string {
  const dir = join(resolve(process.env.LEDGER_TEST_OUTPUT ?? join(__dirname, '..', '..', 'test-output')), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
