import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { checkConsistency, checkInclusion, inclusionProof, parseTreeHead, parseTreeHeads, type ProofCheck, type TreeHead } from '@cadre-ledger/audit';
import { cadreIdOfStream } from '@cadre-ledger/domain';
import type { StoredEvent } from '@cadre-ledger/event-store';
import { withLedger } from '../context';
import { EXIT_REFUSED, refused, usageError } from '../exit-codes';
import { publicKeyFile } from '../keys';
import { write, writeJson } from '../output';

export function registerProof(program: Command): void {
  program
    .command('proof')
    .description('print the inclusion proof of one event in a signed tree head (JSON: the head, the event, the path); `ledger check-proof` checks it offline')
    .argument('<eventId>', 'the event')
    .option('--digest <file>', 'prove it against this saved head (its tree size); default: the newest signed head')
    .action(async (eventId: string, options: { digest?: string }) => {
      const saved = options.digest ? readOneHead(options.digest) : undefined;
      const proof = await withLedger(async ({ store, pool, recordAccess }) => {
        const found = await inclusionProof(pool, store, eventId, saved?.treeSize);
        if (found === 'no-such-event') throw refused(`no event ${eventId} in the log (not stored, or not yet taken in)`);
        if (found === 'no-such-head') throw refused(saved ? `no signed head of tree size ${saved.treeSize} in this ledger` : 'no tree head has been signed yet');
        if (found === 'not-yet-covered') throw refused(`event ${eventId} came after that head; ask again once a later head is signed`);
        // The proof carries the event: a read of the cadre's history, recorded before it is shown.
        const cadreId = cadreIdOfStream(found.event.stream);
        if (cadreId) await recordAccess([cadreId], 'history', 'ledger proof');
        return found;
      });
      await writeJson(proof);
    });

  program
    .command('check-proof')
    .description('check a proof offline, with only the proof and the public key: an inclusion proof (`ledger proof`, GET /v1/audit/proof) or a consistency proof (GET /v1/audit/consistency)')
    .argument('<file>', 'the proof, JSON')
    .requiredOption('--public-key <file>', 'the key the heads must be signed with (PEM)')
    .option('--digest <file>', 'also require the proof\'s head to be this saved head (an inclusion proof) or to extend it (a consistency proof\'s first head)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { publicKey: string; digest?: string; json?: boolean }) => {
      const anchor = publicKeyFile(options.publicKey);
      const proof = readProof(file);
      const saved = options.digest ? readOneHead(options.digest) : undefined;
      let result: ProofCheck = proof.kind === 'inclusion' ? checkInclusion(proof.event, proof, anchor.key) : checkConsistency(proof, anchor.key);
      const head = proof.kind === 'inclusion' ? proof.head : proof.from;
      if (result.ok && saved && (saved.treeSize !== head.treeSize || saved.rootHash !== head.rootHash)) {
        result = { ok: false, problem: `the proof's head (tree size ${head.treeSize}) is not the saved head (tree size ${saved.treeSize}, root ${saved.rootHash})` };
      }
      const what =
        proof.kind === 'inclusion'
          ? `event ${proof.event.eventId} (${proof.event.stream} revision ${proof.event.revision}, recorded ${proof.event.recordedAt}) in the tree of ${proof.head.treeSize} events signed ${proof.head.signedAt}`
          : `the tree of ${proof.to.treeSize} events extends the tree of ${proof.from.treeSize}`;
      if (options.json) await writeJson({ ...result, kind: proof.kind, what });
      else await write(result.ok ? `proof holds: ${what}\n` : `proof FAILS: ${result.problem}\n`);
      if (!result.ok) process.exitCode = EXIT_REFUSED;
    });
}

function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`${option}${file}: ${(error as Error).message}`);
  }
}

function readOneHead(file: string): TreeHead {
  try {
    const heads = parseTreeHeads(readText(file, '--digest '));
    return heads[heads.length - 1];
  } catch (error) {
    throw usageError(`--digest ${file}: ${(error as Error).message}`);
  }
}

const hashes = z.array(z.string().regex(/^[0-9a-f]{64}$/));
const inclusionShape = z.object({ head: z.unknown(), leafIndex: z.number().int().nonnegative(), event: z.record(z.unknown()), path: hashes });
const consistencyShape = z.object({ from: z.unknown(), to: z.unknown(), proof: hashes });

type ReadProof =
  | { kind: 'inclusion'; head: TreeHead; leafIndex: number; event: StoredEvent; path: string[] }
  | { kind: 'consistency'; from: TreeHead; to: TreeHead; proof: string[] };

function readProof(file: string): ReadProof {
  let json: unknown;
  try {
    json = JSON.parse(readText(file, ''));
  } catch (error) {
    throw usageError(`${file}: ${(error as Error).message}`);
  }
  try {
    const inclusion = inclusionShape.safeParse(json);
    if (inclusion.success) return { kind: 'inclusion', ...inclusion.data, head: parseTreeHead(inclusion.data.head), event: inclusion.data.event as unknown as StoredEvent };
    const consistency = consistencyShape.safeParse(json);
    if (consistency.success) return { kind: 'consistency', from: parseTreeHead(consistency.data.from), to: parseTreeHead(consistency.data.to), proof: consistency.data.proof };
  } catch (error) {
    throw usageError(`${file}: ${(error as Error).message}`);
  }
  throw usageError(`${file}: neither an inclusion proof {head, leafIndex, event, path} nor a consistency proof {from, to, proof}`);
}
