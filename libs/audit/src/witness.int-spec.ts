import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specVerify } from '../../../test/support/c2sp-verifier';
import { consistencyRanges, emptyRoot, leafHash, nodeHash, type Hash } from './merkle';
import { NOTE_ED25519, checkpointText, formatVkey, noteKey, signNoteEd25519 } from './note';
import { startWitness, type RunningWitness } from './witness';
import { originHash } from './witness-state';

jest.setTimeout(30_000);

/** RFC 6962's MTH, written out: the test's own tree. */
const mth = (leaves: Hash[]): Hash => {
  if (leaves.length === 0) return emptyRoot('sha256');
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash('sha256', mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const leaves = Array.from({ length: 40 }, (_, i) => leafHash('sha256', `event ${i}`));
const proofOf = (from: number, to: number, tree = leaves) => consistencyRanges(from, to).map((r) => mth(tree.slice(r.start, r.end)));
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/**
 * The witness (`ledger witness serve`) speaking C2SP tlog-witness on loopback: it cosigns a
 * trusted log's checkpoint only with a consistency proof from the size it last cosigned, answers
 * each refusal as the specification says, keeps its state durably before it answers, and keeps it
 * across a restart.
 */
describe('the witness (tlog-witness add-checkpoint)', () => {
  const origin = 'zzb.sx.example/cadre-ledger';
  const log = generateKeyPairSync('ed25519');
  const logKey = noteKey(origin, NOTE_ED25519, log.privateKey);
  const witnessKey = generateKeyPairSync('ed25519').privateKey;
  const stateDir = mkdtempSync(join(tmpdir(), 'witness-'));
  let witness: RunningWitness;
  const start = () => startWitness({ stateDir, name: 'jw.sx.example/witness', privateKey: witnessKey, logs: [logKey], port: 0 });

  const signed = (size: number, tree = leaves, signer = { key: logKey, privateKey: log.privateKey }) => {
    const text = checkpointText({ origin: signer.key.name, treeSize: size, rootHash: mth(tree.slice(0, size)) });
    return `${text}\n${signNoteEd25519(text, signer.key, signer.privateKey)}`;
  };
  const add = async (old: number, proof: Hash[], note: string) => {
    const res = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body: `old ${old}\n${proof.map((h) => `${b64(h)}\n`).join('')}\n${note}` });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const stateFile = () => JSON.parse(readFileSync(join(stateDir, 'logs', `${originHash(origin)}.json`), 'utf8')) as { treeSize: number };

  beforeAll(async () => {
    witness = await start();
  });
  afterAll(() => witness?.close());

  it('cosigns a first checkpoint with cosignature/v1, as a verifier written from the specification checks it', async () => {
    const note = signed(5);
    const answer = await add(0, [], note);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^— jw\.sx\.example\/witness [A-Za-z0-9+/]+=*\n$/);
    const checked = specVerify(`${note}${answer.body}`, [formatVkey(logKey), witness.vkey]);
    expect(checked).toMatchObject({ origin, size: 5, root: b64(mth(leaves.slice(0, 5))) });
    expect(checked.verified.map((v) => v.name)).toEqual([origin, 'jw.sx.example/witness']);
    expect(checked.verified[1].time).toBeGreaterThan(1_700_000_000);
    // Durable before the answer: the state file already holds it.
    expect(stateFile().treeSize).toBe(5);
  });

  it('cosigns a grown checkpoint only with a valid consistency proof from the size it last cosigned', async () => {
    expect(await add(5, proofOf(5, 13).reverse(), signed(13))).toMatchObject({ status: 422 });
    expect(stateFile().treeSize).toBe(5);
    expect(readdirSync(join(stateDir, 'evidence'))).toHaveLength(1); // the log's signature on a checkpoint that did not add up
    expect(await add(5, proofOf(5, 13), signed(13))).toMatchObject({ status: 200 });
    expect(await add(13, [], signed(13))).toMatchObject({ status: 200 }); // the same tree again: cosigned anew
    expect(stateFile().treeSize).toBe(13);
  });

  it('answers each refusal as the specification says, and cosigns nothing', async () => {
    // A stale old size: 409 with the size it last cosigned.
    expect(await add(5, proofOf(5, 20), signed(20))).toEqual({ status: 409, type: 'text/x.tlog.size', body: '13\n' });
    // The old size above the checkpoint's.
    expect(await add(20, [], signed(13))).toMatchObject({ status: 400 });
    // A log it does not witness; a signature by another key under the log's name.
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect(await add(13, proofOf(13, 20), signed(20, leaves, { key: noteKey('elsewhere.example/log', NOTE_ED25519, stranger), privateKey: stranger }))).toMatchObject({ status: 404 });
    expect(await add(13, proofOf(13, 20), signed(20, leaves, { key: logKey, privateKey: stranger }))).toMatchObject({ status: 403 });
    // A rewritten history: event 3 changed, the proof made from the rewritten tree.
    const rewritten = leaves.map((leaf, i) => (i === 3 ? leafHash('sha256', 'changed') : leaf));
    expect(await add(13, proofOf(13, 20, rewritten), signed(20, rewritten))).toMatchObject({ status: 422, body: expect.stringContaining('does not verify') });
    // The same size with another root.
    expect(await add(13, [], signed(13, rewritten))).toMatchObject({ status: 422 });
    // Malformed requests.
    for (const body of ['old 13\n', 'new 13\n\nx\n', 'old 013\n\n' + signed(13), `old 13\nnot-base64!\n\n${signed(13)}`]) {
      expect((await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body })).status).toBe(400);
    }
    expect(stateFile().treeSize).toBe(13);
  });

  it('serves the checkpoint it last cosigned to monitors, with the log\'s signature and its own', async () => {
    const res = await fetch(`${witness.url}/${originHash(origin)}/checkpoint`);
    expect(res.status).toBe(200);
    expect(specVerify(await res.text(), [formatVkey(logKey), witness.vkey])).toMatchObject({ size: 13, verified: [{ name: origin }, { name: 'jw.sx.example/witness' }] });
    expect((await fetch(`${witness.url}/${originHash('unknown')}/checkpoint`)).status).toBe(404);
  });

  it('fsyncs the state file and its directory before it answers a cosignature', async () => {
    const probe = await open(join(stateDir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = jest.spyOn(prototype, 'sync');
    try {
      expect(await add(13, proofOf(13, 21), signed(21))).toMatchObject({ status: 200 });
      expect(sync).toHaveBeenCalledTimes(2);
    } finally {
      sync.mockRestore();
    }
  });

  it('keeps its state across a restart', async () => {
    await witness.close();
    witness = await start();
    expect(await add(13, proofOf(13, 30), signed(30))).toEqual({ status: 409, type: 'text/x.tlog.size', body: '21\n' });
    expect(await add(21, proofOf(21, 30), signed(30))).toMatchObject({ status: 200 });
  });
});
