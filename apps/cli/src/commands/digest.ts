import type { Command } from 'commander';
import { TransparencyLog, latestHead, publicKeyPem } from '@cadre-ledger/audit';
import { withLedger } from '../context';
import { refused } from '../exit-codes';
import { configuredSigningKey } from '../keys';
import { note, writeJson } from '../output';

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description('print the latest signed tree head (the ledger-wide digest) as JSON: save it outside the database, and check against it later with `ledger verify --digest`')
    .option('--no-sign', 'only print the newest stored head; do not take in new events or sign one')
    .addHelpText(
      'after',
      '\nWith the signing key configured (LEDGER_SIGNING_KEY, LEDGER_SIGNING_KEY_FILE, or the one in the data dir),\n' +
        'the events not yet in the log are taken in and a head is signed for them first, so the digest covers\n' +
        'everything stored now. Example: ledger digest > head-$(date +%F).json',
    )
    .action(async (options: { sign: boolean }) => {
      const { head, signing } = await withLedger(async ({ store, pool, config }) => {
        const signing = options.sign ? configuredSigningKey(config) : undefined;
        if (signing) {
          const log = new TransparencyLog(pool, store, store.hashAlgorithm);
          await log.catchUp();
          await log.signHead(signing.key);
        } else if (options.sign) {
          note('no signing key configured: printing the newest head the server signed');
        }
        return { head: await latestHead(pool), signing };
      });
      if (!head) throw refused('no tree head has been signed yet (the server signs one within LEDGER_HEAD_INTERVAL_SECONDS of an append)');
      // As GET /v1/audit/digest answers it: the head, and the key it is signed with (when it is this one).
      const key = signing && signing.key.keyId === head.keyId ? signing.key.publicKey : undefined;
      await writeJson(key ? { ...head, key: { keyId: head.keyId, algorithm: 'Ed25519', publicKey: publicKeyPem(key) } } : head);
    });
}
