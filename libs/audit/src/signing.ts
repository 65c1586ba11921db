import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { HASH_ALGORITHMS, type HashAlgorithm } from '@cadre-ledger/event-store';

/**
 * Signed tree heads (Ed25519, Node's crypto). The private key lives outside the database (a file
 * or the configuration): whoever can rewrite the database cannot re-sign a rewritten log without
 * it, and a verifier needs only the public key and a head saved outside the database.
 */
export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What a head states; the signature covers its canonical JSON (RFC 8785). */
export interface UnsignedTreeHead {
  log: 'cadre-ledger';
  treeSize: number;
  rootHash: string;
  /** Global position of the last event in the tree (0 for the empty tree). */
  lastPosition: number;
  hashAlgorithm: HashAlgorithm;
  /** RFC 3339 UTC. */
  signedAt: string;
  keyId: string;
  /** The read audit as it stood: its last record's seq (0 when empty) and hash. */
  accessSeq: number;
  accessHash: string;
}

export interface TreeHead extends UnsignedTreeHead {
  /** Ed25519 over canonicalize(UnsignedTreeHead), base64. */
  signature: string;
}

/** First 16 hex digits of SHA-256 over the key's SPKI DER: names the key in every head. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the public key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${privateKey.asymmetricKeyType}, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/**
 * The signing key: `pem` (LEDGER_SIGNING_KEY), else the file `file` (LEDGER_SIGNING_KEY_FILE),
 * else one generated once into `generateInto` (the data directory of the zero-set-up start), mode 0600.
 */
export function loadSigningKey(options: { pem?: string; file?: string; generateInto?: string }): SigningKey | null {
  if (options.pem) return fromPrivatePem(options.pem);
  if (options.file) return fromPrivatePem(readFileSync(options.file, 'utf8'));
  if (!options.generateInto) return null;
  if (!existsSync(options.generateInto)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(options.generateInto, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
  }
  return fromPrivatePem(readFileSync(options.generateInto, 'utf8'));
}

const payload = (head: UnsignedTreeHead): Buffer => {
  const { log, treeSize, rootHash, lastPosition, hashAlgorithm, signedAt, keyId, accessSeq, accessHash } = head;
  return Buffer.from(canonicalize({ log, treeSize, rootHash, lastPosition, hashAlgorithm, signedAt, keyId, accessSeq, accessHash }) ?? '', 'utf8');
};

export function signHead(head: Omit<UnsignedTreeHead, 'keyId' | 'log'>, key: SigningKey): TreeHead {
  const unsigned: UnsignedTreeHead = { log: 'cadre-ledger', ...head, keyId: key.keyId };
  return { ...unsigned, signature: sign(null, payload(unsigned), key.privateKey).toString('base64') };
}

/** True when `head` was signed by `publicKey` and says what it says. */
export function verifyHead(head: TreeHead, publicKey: KeyObject): boolean {
  try {
    return head.keyId === keyIdOf(publicKey) && verify(null, payload(head), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const whole = z.number().int().nonnegative();

/** A head as saved outside the database (`GET /v1/audit/digest`, `ledger digest`, a heads file line); other fields (the key) pass. */
const treeHeadShape = z.object({
  log: z.literal('cadre-ledger'),
  treeSize: whole,
  rootHash: z.string().regex(HEX64),
  lastPosition: whole,
  hashAlgorithm: z.enum(HASH_ALGORITHMS),
  signedAt: z.string().min(1),
  keyId: z.string().min(1),
  accessSeq: whole,
  accessHash: z.string().regex(HEX64),
  signature: z.string().min(1),
});

/** Parses a saved head; throws naming what is wrong with it. */
export function parseTreeHead(value: unknown): TreeHead {
  const parsed = treeHeadShape.safeParse(value);
  if (!parsed.success) throw new Error(`not a signed tree head: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(head)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** One head (a JSON document) or many (a heads file: one JSON object a line). */
export function parseTreeHeads(text: string): TreeHead[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('no tree head in it (empty)');
  try {
    return [parseTreeHead(JSON.parse(trimmed))];
  } catch (whole) {
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) throw whole;
    return lines.map((line, i) => {
      try {
        return parseTreeHead(JSON.parse(line));
      } catch (error) {
        throw new Error(`line ${i + 1}: ${(error as Error).message}`);
      }
    });
  }
}

/** The public half of a PEM: a public key, or the private key it derives from. */
export function publicKeyFromPem(pem: string): KeyObject {
  return pem.includes('PRIVATE KEY') ? fromPrivatePem(pem).publicKey : parsePublicKey(pem);
}
