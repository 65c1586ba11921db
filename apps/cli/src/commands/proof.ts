import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  checkCheckpoint,
  checkConsistency,
  checkInclusion,
  checkpointNote,
  checkpointOfSize,
  inclusionProof,
  parseCheckpointText,
  parseNote,
  parseTreeHead,
  parseTreeHeads,
  type ProofCheck,
  type TreeHead,
  type WitnessPolicy,
} from '@cadre-ledger/audit';
import { cadreIdOfStream } from '@cadre-ledger/domain';
import type { StoredEvent } from '@cadre-ledger/event-store';
import { withLedger } from '../context';
import { EXIT_REFUSED, refused, usageError } from '../exit-codes';
import { policyAnchor, publicKeyFile, readCheckpoints, readPolicy } from '../keys';
import { write, writeJson } from '../output';

export function registerProof(program: Command): void {
  program
    .command('proof')
    .description('print the inclusion proof of one event in a signed tree head (JSON: the head, the event, the path); `ledger check-proof` checks it offline')
    .argument('<eventId>', 'the event')
    .option('--digest <file>', 'prove it against this saved head (its tree size); default: the newest signed head')
    .option('--checkpoint <file>', 'prove it against this saved checkpoint (its tree size), and carry it in the proof for check-proof --witness-policy')
    .action(async (eventId: string, options: { digest?: string; checkpoint?: string }) => {
      if (options.digest && options.checkpoint) throw usageError('give --digest or --checkpoint, not both');
      const savedCheckpoint = options.checkpoint ? readOneCheckpoint(options.checkpoint) : undefined;
      const treeSize = options.digest ? readOneHead(options.digest).treeSize : savedCheckpoint?.treeSize;
      const proof = await withLedger(async ({ store, pool, recordAccess }) => {
        const found = await inclusionProof(pool, store, eventId, treeSize);
        if (found === 'no-such-event') throw refused(`no event ${eventId} in the log (not stored, or not yet taken in)`);
        if (found === 'no-such-head') throw refused(treeSize !== undefined ? `no signed head of tree size ${treeSize} in this ledger` : 'no tree head has been signed yet');
        if (found === 'not-yet-covered') throw refused(`event ${eventId} came after that head; ask again once a later head is signed`);
        // The proof carries the event: a read of the cadre's history, recorded before it is shown.
        const cadreId = cadreIdOfStream(found.event.stream);
        if (cadreId) await recordAccess([cadreId], 'history', 'ledger proof');
        // The head's checkpoint with its cosignatures: the saved one, else the one stored.
        const stored = savedCheckpoint ? undefined : await checkpointOfSize(pool, found.head.treeSize);
        const checkpoint = savedCheckpoint?.note ?? (stored ? checkpointNote(stored) : undefined);
        return checkpoint ? { ...found, checkpoint } : found;
      });
      await writeJson(proof);
    });

  program
    .command('check-proof')
    .description('check a proof offline, with only the proof and the public key: an inclusion proof (`ledger proof`, GET /v1/audit/proof) or a consistency proof (GET /v1/audit/consistency)')
    .argument('<file>', 'the proof, JSON')
    .option('--public-key <file>', 'the key the heads must be signed with (PEM); with --witness-policy, default: its log key')
    .option('--digest <file>', 'also require the proof\'s head to be this saved head (an inclusion proof) or to extend it (a consistency proof\'s first head)')
    .option('--witness-policy <file>', 'a C2SP tlog-policy file: an inclusion proof holds only against a checkpoint signed by its log and cosigned by its quorum of witnesses (the proof\'s `checkpoint`, or --checkpoint)')
    .option('--checkpoint <file>', 'the checkpoint to check the inclusion proof against, with --witness-policy (default: the one the proof carries)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { publicKey?: string; digest?: string; witnessPolicy?: string; checkpoint?: string; json?: boolean }) => {
      const policy = options.witnessPolicy ? readPolicy(options.witnessPolicy) : undefined;
      if (!options.publicKey && !policy) throw usageError('give --public-key, or --witness-policy (whose log key is then the key)');
      if (options.checkpoint && !policy) throw usageError('--checkpoint is checked with --witness-policy');
      const anchor = options.publicKey ? publicKeyFile(options.publicKey) : policyAnchor(options.witnessPolicy!, policy!);
      if (!anchor) throw usageError(`--witness-policy ${options.witnessPolicy}: it names ${policy!.logs.length} logs; give --public-key`);
      const proof = readProof(file);
      const saved = options.digest ? readOneHead(options.digest) : undefined;
      let result: ProofCheck = proof.kind === 'inclusion' ? checkInclusion(proof.event, proof, anchor.key) : checkConsistency(proof, anchor.key);
      const head = proof.kind === 'inclusion' ? proof.head : proof.from;
      if (result.ok && saved && (saved.treeSize !== head.treeSize || saved.rootHash !== head.rootHash)) {
        result = { ok: false, problem: `the proof's head (tree size ${head.treeSize}) is not the saved head (tree size ${saved.treeSize}, root ${saved.rootHash})` };
      }
      if (result.ok && policy) {
        if (proof.kind !== 'inclusion') throw usageError('--witness-policy checks an inclusion proof');
        const checkpoint = options.checkpoint ? readOneCheckpoint(options.checkpoint).note : proof.checkpoint;
        result = checkpoint === undefined ? { ok: false, problem: 'the proof carries no checkpoint (and no --checkpoint was given): nothing witnessed to check it against' } : witnessedHead(checkpoint, proof.head, policy);
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

/** The proof's head against a checkpoint the policy accepts: the same tree (size and root), signed by its log, cosigned by its quorum. */
function witnessedHead(checkpoint: string, head: TreeHead, policy: WitnessPolicy): ProofCheck {
  const check = checkCheckpoint(checkpoint, policy);
  if (!check.ok) return { ok: false, problem: `the checkpoint does not meet the witness policy: ${check.problem}` };
  if (check.checkpoint.treeSize !== head.treeSize || check.checkpoint.rootHash !== head.rootHash) {
    return { ok: false, problem: `the proof's head (tree size ${head.treeSize}) is not the witnessed checkpoint (tree size ${check.checkpoint.treeSize})` };
  }
  return { ok: true };
}

/** The last checkpoint of a file, with its size. */
function readOneCheckpoint(file: string): { note: string; treeSize: number } {
  const notes = readCheckpoints(file);
  const note = notes[notes.length - 1].note;
  try {
    return { note, treeSize: parseCheckpointText(parseNote(note).text).treeSize };
  } catch (error) {
    throw usageError(`--checkpoint ${file}: ${(error as Error).message}`);
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
const inclusionShape = z.object({ head: z.unknown(), leafIndex: z.number().int().nonnegative(), event: z.record(z.unknown()), path: hashes, checkpoint: z.string().optional() });
const consistencyShape = z.object({ from: z.unknown(), to: z.unknown(), proof: hashes });

type ReadProof =
  | { kind: 'inclusion'; head: TreeHead; leafIndex: number; event: StoredEvent; path: string[]; checkpoint?: string }
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
