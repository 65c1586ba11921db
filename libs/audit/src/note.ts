import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note), transparency-log checkpoints (c2sp.org/tlog-checkpoint)
 * and Ed25519 cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`): the common format in which
 * the ledger publishes its tree heads, so that witnesses run by other organs can cosign them and
 * any verifier written from the specifications can check them. Written from the specifications with
 * Node's crypto (no npm library implements them); checked against their own examples in note.spec.ts.
 */

/** Signature type 0x01: Ed25519 over the note text (the log's own signature). */
export const NOTE_ED25519 = 0x01;
/** Signature type 0x04: timestamped Ed25519 checkpoint cosignature, `cosignature/v1` (a witness's). */
export const NOTE_COSIGNATURE_V1 = 0x04;

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

/** A verifier key: who (name), which (key id), what algorithm (signature type) and the public key. */
export interface NoteKey {
  name: string;
  /** uint32: SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian. */
  keyId: number;
  type: typeof NOTE_ED25519 | typeof NOTE_COSIGNATURE_V1;
  /** The 32-byte Ed25519 public key (RFC 8032 encoding). */
  raw: Buffer;
  publicKey: KeyObject;
}

/** The 32 bytes of an Ed25519 public key (from a public or a private KeyObject). */
export function ed25519Raw(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new NoteError(`the key is ${publicKey.asymmetricKeyType}, not Ed25519`);
  return Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
}

const ed25519FromRaw = (raw: Buffer): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

/** A key name: non-empty, no Unicode spaces, no plus, no control characters. */
export function isKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f\u0085]/u.test(name);
}

export function noteKeyId(name: string, type: number, raw: Buffer): number {
  return createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), raw])).digest().readUInt32BE(0);
}

export function noteKey(name: string, type: NoteKey['type'], key: KeyObject): NoteKey {
  if (!isKeyName(name)) throw new NoteError(`"${name}" is not a key name (non-empty, no spaces, no +)`);
  const raw = ed25519Raw(key);
  return { name, keyId: noteKeyId(name, type, raw), type, raw, publicKey: key.type === 'private' ? createPublicKey(key) : key };
}

const hex8 = (keyId: number) => keyId.toString(16).padStart(8, '0');

/** `<name>+<hex key id>+<base64(type ‖ public key)>`. */
export function formatVkey(key: NoteKey): string {
  return `${key.name}+${hex8(key.keyId)}+${Buffer.concat([Buffer.from([key.type]), key.raw]).toString('base64')}`;
}

/** Strict standard base64 (RFC 4648 §4): what re-encodes to the same text. */
function base64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (text.length === 0 || bytes.toString('base64') !== text) throw new NoteError(`${what} is not base64`);
  return bytes;
}

/** A vkey of an Ed25519 note key (type 0x01) or an Ed25519 cosigner (type 0x04); its key id must be the one derived. */
export function parseVkey(text: string): NoteKey {
  // The key's base64 may hold pluses; the name may not, and the id is 8 digits.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text.trim());
  if (!match) throw new NoteError(`"${text}" is not a vkey (name+keyid+key)`);
  const [, name, id, material] = match;
  if (!isKeyName(name)) throw new NoteError(`the vkey's name "${name}" is not a key name`);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new NoteError(`the vkey's key id "${id}" is not 8 lower-case hex digits`);
  const bytes = base64(material, 'the vkey\'s key');
  const type = bytes[0];
  if (type !== NOTE_ED25519 && type !== NOTE_COSIGNATURE_V1) throw new NoteError(`the vkey's signature type 0x${type.toString(16).padStart(2, '0')} is neither Ed25519 (0x01) nor cosignature/v1 (0x04)`);
  const raw = bytes.subarray(1);
  if (raw.length !== 32) throw new NoteError(`the vkey's Ed25519 key has ${raw.length} bytes, not 32`);
  const keyId = noteKeyId(name, type, raw);
  if (hex8(keyId) !== id) throw new NoteError(`the vkey's key id ${id} is not the one its name and key give (${hex8(keyId)})`);
  return { name, keyId, type, raw: Buffer.from(raw), publicKey: ed25519FromRaw(raw) };
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the key id. */
  signature: Buffer;
  /** The whole line, with its final newline. */
  line: string;
}

export interface Note {
  /** The signed text, with its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Verifiers must accept at least 16 signatures; more than this is refused as malformed. */
const MAX_SIGNATURES = 100;

/** `— <name> base64(key id ‖ signature)⏎`. */
export function signatureLine(name: string, keyId: number, signature: Buffer): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `— ${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

function parseSignatureLine(line: string): NoteSignature {
  const match = /^— (\S+) (\S+)$/u.exec(line);
  if (!match || !isKeyName(match[1])) throw new NoteError(`"${line}" is not a signature line (— name base64)`);
  const bytes = base64(match[2], 'a signature');
  if (bytes.length <= 4) throw new NoteError('a signature has no bytes after its key id');
  return { name: match[1], keyId: bytes.readUInt32BE(0), signature: Buffer.from(bytes.subarray(4)), line: `${line}\n` };
}

/** Decodes bytes as UTF-8, refusing invalid sequences (a note must be valid UTF-8). */
export function decodeNote(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NoteError('the note is not valid UTF-8');
  }
}

/** Text, a blank line, one or more signature lines; no control characters but newline. */
export function parseNote(message: string): Note {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) throw new NoteError('the note holds a control character other than newline');
  if (!message.endsWith('\n')) throw new NoteError('the note does not end with a newline');
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line before its signatures');
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2, -1).split('\n');
  if (lines.length === 1 && lines[0] === '') throw new NoteError('the note has no signature');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`the note has more than ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map((s) => s.line).join('')}`;
}

/** The log's signature line over `text` (type 0x01). */
export function signNoteEd25519(text: string, key: NoteKey, privateKey: KeyObject): string {
  return signatureLine(key.name, key.keyId, sign(null, Buffer.from(text, 'utf8'), privateKey));
}

/** What a `cosignature/v1` signs: the header line, the time line, then the checkpoint's text. */
export function cosignedMessage(text: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${text}`;
}

/** A witness's cosignature line over a checkpoint's text (type 0x04): key id ‖ u64 timestamp ‖ Ed25519 signature. */
export function cosignCheckpoint(text: string, key: NoteKey, privateKey: KeyObject, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new NoteError(`a cosignature's timestamp must be a positive whole number of seconds, not ${timestamp}`);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  return signatureLine(key.name, key.keyId, Buffer.concat([time, sign(null, Buffer.from(cosignedMessage(text, timestamp), 'utf8'), privateKey)]));
}

/** Checks one signature of `text` with the key it names; a cosignature also gives its time. */
export function verifyNoteSignature(text: string, signature: NoteSignature, key: NoteKey): { ok: boolean; timestamp?: number } {
  if (signature.name !== key.name || signature.keyId !== key.keyId) return { ok: false };
  try {
    if (key.type === NOTE_ED25519) return { ok: signature.signature.length === 64 && verify(null, Buffer.from(text, 'utf8'), key.publicKey, signature.signature) };
    if (signature.signature.length !== 72) return { ok: false };
    const time = signature.signature.readBigUInt64BE(0);
    if (time >= 2n ** 63n || time > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false };
    const timestamp = Number(time);
    return { ok: verify(null, Buffer.from(cosignedMessage(text, timestamp), 'utf8'), key.publicKey, signature.signature.subarray(8)), timestamp };
  } catch {
    return { ok: false };
  }
}

export interface VerifiedNote {
  note: Note;
  /** The known keys whose signatures verified, each with its cosignature's time. */
  verified: { key: NoteKey; timestamp?: number }[];
}

/**
 * Opens a note as the specification says: signatures of unknown keys (name and id) are ignored; a
 * known key's signature that fails rejects the whole note; a note with no verified signature is
 * rejected.
 */
export function openNote(message: string, keys: readonly NoteKey[]): VerifiedNote {
  const note = parseNote(message);
  const verified: VerifiedNote['verified'] = [];
  for (const signature of note.signatures) {
    const key = keys.find((k) => k.name === signature.name && k.keyId === signature.keyId);
    if (!key) continue;
    const result = verifyNoteSignature(note.text, signature, key);
    if (!result.ok) throw new NoteError(`the signature of ${signature.name}+${hex8(signature.keyId)} does not verify`);
    if (!verified.some((v) => v.key === key)) verified.push({ key, ...(result.timestamp === undefined ? {} : { timestamp: result.timestamp }) });
  }
  if (verified.length === 0) throw new NoteError('the note has no signature of a known key');
  return { note, verified };
}

/** What a checkpoint's text states: origin, tree size and root (RFC 6962 SHA-256, here in hex). */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** Lower-case hex, as the rest of the ledger writes hashes. */
  rootHash: string;
  extensions: string[];
}

export function checkpointText(checkpoint: Omit<Checkpoint, 'extensions'> & { extensions?: string[] }): string {
  const root = Buffer.from(checkpoint.rootHash, 'hex');
  if (root.length !== 32) throw new NoteError('a checkpoint\'s root is a 32-byte SHA-256 hash');
  return [checkpoint.origin, String(checkpoint.treeSize), root.toString('base64'), ...(checkpoint.extensions ?? [])].map((line) => `${line}\n`).join('');
}

export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw new NoteError('a checkpoint has at least three lines, each ending in a newline');
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') throw new NoteError('the checkpoint\'s origin is empty');
  if (!/^(0|[1-9]\d{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) throw new NoteError(`the checkpoint's tree size "${size}" is not a decimal number without leading zeros`);
  const hash = base64(root, 'the checkpoint\'s root hash');
  if (hash.length !== 32) throw new NoteError(`the checkpoint's root hash has ${hash.length} bytes, not 32 (SHA-256)`);
  if (extensions.some((line) => line === '')) throw new NoteError('a checkpoint\'s extension line is empty');
  return { origin, treeSize: Number(size), rootHash: hash.toString('hex'), extensions };
}
