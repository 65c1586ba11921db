import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { emptyRoot, Frontier, leafHash } from './merkle';
import {
  NOTE_COSIGNATURE_V1,
  NOTE_ED25519,
  NoteError,
  checkpointText,
  cosignCheckpoint,
  cosignedMessage,
  formatVkey,
  noteKey,
  openNote,
  parseCheckpointText,
  parseNote,
  parseVkey,
  signNoteEd25519,
} from './note';

/** An Ed25519 private key from its 32-byte seed (RFC 8410 PKCS#8). */
const fromSeed = (seed: Buffer) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });

/**
 * The encodings checked against the specifications' own examples: C2SP signed-note (its example
 * vkey and note), Go's golang.org/x/mod/sumdb/note test vectors (a fixed seed, so the exact
 * signature line), the tlog-checkpoint and tlog-cosignature examples (parsing, the cosigned
 * message, the timestamp in the signature), and RFC 6962's tree for the checkpoint's root.
 */
describe('signed notes, checkpoints and cosignatures (C2SP)', () => {
  it('derives the key id of the signed-note example and verifies its note', () => {
    const vkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
    const key = parseVkey(vkey);
    expect(key).toMatchObject({ name: 'example.com/foo', keyId: 0x530d903a, type: NOTE_ED25519 });
    expect(formatVkey(key)).toBe(vkey);
    const note = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect(openNote(note, [key]).note.text).toBe('This is an example message.\n');
    expect(() => openNote(note.replace('example message', 'exemplary message'), [key])).toThrow(NoteError);
  });

  it('signs exactly as Go\'s sumdb/note does for its test key (Ed25519 is deterministic)', () => {
    // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: type byte 0x01, then the seed.
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const privateKey = fromSeed(seed);
    const key = noteKey('PeterNeumann', NOTE_ED25519, privateKey);
    expect(formatVkey(key)).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const text = 'If you think cryptography is the answer to your problem,\nthen you don\'t know what your problem is.\n';
    expect(signNoteEd25519(text, key, privateKey)).toBe('— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n');
    // Go's Open: a note with Peter's and Enoch's signatures, only Peter's key known: Enoch's is ignored.
    const enoch = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
    const opened = openNote(`${text}\n${signNoteEd25519(text, key, privateKey)}${enoch}`, [key]);
    expect(opened.verified.map((v) => v.key.name)).toEqual(['PeterNeumann']);
    expect(opened.note.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    const enochKey = parseVkey('EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop');
    expect(openNote(`${text}\n${enoch}`, [enochKey]).verified).toHaveLength(1);
    expect(() => openNote(`${text}\n${enoch}`, [key])).toThrow('no signature of a known key');
  });

  it('reads a vkey whose key holds a plus (transparency-dev/formats\' test key)', () => {
    const vkey = 'KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj';
    expect(parseVkey(vkey)).toMatchObject({ name: 'KnownAgain', keyId: 0x4893b26c, type: NOTE_ED25519 });
    expect(formatVkey(parseVkey(vkey))).toBe(vkey);
  });

  it('refuses vkeys whose id is not derived from name and key, or of another algorithm', () => {
    expect(() => parseVkey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow('not the one its name and key give');
    expect(() => parseVkey('PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(NoteError);
    expect(() => parseVkey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow('signature type');
    expect(() => parseVkey('a b+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(NoteError);
  });

  it('parses the tlog-checkpoint example and the cosignature example\'s timestamp and key id', () => {
    const example =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
      '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
    const note = parseNote(example);
    expect(parseCheckpointText(note.text)).toEqual({
      origin: 'example.com/behind-the-sofa',
      treeSize: 20852163,
      rootHash: Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64').toString('hex'),
      extensions: [],
    });
    const [log, witness] = note.signatures;
    expect(log.signature).toHaveLength(64);
    // timestamped_signature: u64 time, then 64 bytes; the time is the one of the spec's signed-message example.
    expect(witness).toMatchObject({ name: 'witness.example.com/w1', keyId: 0x8d66cf3f });
    expect(witness.signature).toHaveLength(72);
    expect(Number(witness.signature.readBigUInt64BE(0))).toBe(1679315147);
    expect(cosignedMessage(note.text, 1679315147)).toBe('cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(checkpointText(parseCheckpointText(note.text))).toBe(note.text);
  });

  it('cosigns with a key id of type 0x04, verifiable only as a cosignature of that checkpoint', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const witness = noteKey('jw.sx.example/witness', NOTE_COSIGNATURE_V1, privateKey);
    const asLogKey = noteKey('jw.sx.example/witness', NOTE_ED25519, privateKey);
    expect(witness.keyId).not.toBe(asLogKey.keyId);
    const text = checkpointText({ origin: 'zzb.sx.example/ledger', treeSize: 3, rootHash: 'ab'.repeat(32) });
    const note = `${text}\n${cosignCheckpoint(text, witness, privateKey, 1700000000)}`;
    expect(openNote(note, [witness]).verified).toEqual([{ key: witness, timestamp: 1700000000 }]);
    expect(() => openNote(note.replace('\n3\n', '\n4\n'), [witness])).toThrow('does not verify');
    expect(() => openNote(note, [asLogKey])).toThrow(NoteError);
  });

  it('refuses malformed notes and checkpoints', () => {
    const text = 'example.com/log\n0\n' + Buffer.from(emptyRoot('sha256'), 'hex').toString('base64') + '\n';
    for (const bad of [text, `${text}\n`, `${text}\n— a\n`, `${text}\n— a b c\n`, `${text}\n— a+b AAAAAAA=\n`, `${text}\tx\n\n— a AAAAAAA=\n`, `${text}\n— a AAAAAAA=`]) {
      expect(() => parseNote(bad)).toThrow(NoteError);
    }
    for (const bad of ['a\n01\nAAAA\n', 'a\n1\n', '\n1\nAAAA\n', `a\n1\n${Buffer.alloc(20).toString('base64')}\n`, `a\n1\n${Buffer.alloc(32).toString('base64')}\n\n`]) {
      expect(() => parseCheckpointText(bad)).toThrow(NoteError);
    }
  });

  it('commits to the RFC 6962 root the ledger keeps: the empty tree and one empty leaf', () => {
    // RFC 6962 2.1: MTH({}) = SHA-256(""); MTH of two leaves = H(0x01 ‖ H(0x00 ‖ d0) ‖ H(0x00 ‖ d1)).
    expect(emptyRoot('sha256')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const frontier = Frontier.empty('sha256');
    frontier.append(leafHash('sha256', ''));
    expect(frontier.root()).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'); // H(0x00), the RFC 6962 test vector of the empty leaf
    const text = checkpointText({ origin: 'o', treeSize: 1, rootHash: frontier.root() });
    expect(text.split('\n')[2]).toBe(Buffer.from(frontier.root(), 'hex').toString('base64'));
  });
});
