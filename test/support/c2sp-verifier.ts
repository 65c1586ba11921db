import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * A verifier of C2SP signed notes, checkpoints and cosignature/v1 written from the specifications
 * alone (c2sp.org/signed-note, tlog-checkpoint, tlog-cosignature), sharing no code with the ledger:
 * what a 纪委 or 审计 engineer would write from the documents to check the ledger's checkpoints.
 */
export interface SpecVerifierKey {
  /** `name+hex id+base64(type ‖ key)`. */
  vkey: string;
}

export interface SpecCheckpoint {
  origin: string;
  size: number;
  /** The root, as the checkpoint writes it (base64). */
  root: string;
  /** Names of the keys whose signatures verified (a cosignature with its time). */
  verified: { name: string; time?: number }[];
}

export function specVerify(note: string, vkeys: readonly string[]): SpecCheckpoint {
  const keys = vkeys.map((vkey) => {
    const [name, id] = vkey.split('+', 2);
    const material = Buffer.from(vkey.slice(name.length + id.length + 2), 'base64');
    const type = material[0];
    const raw = material.subarray(1);
    // key ID = SHA-256(key name || 0x0A || signature type || public key)[:4]
    const derived = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), raw])).digest().subarray(0, 4).toString('hex');
    if (derived !== id) throw new Error(`vkey ${name}: id ${id} is not ${derived}`);
    return { name, id: Number.parseInt(id, 16), type, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }) };
  });
  const cut = note.lastIndexOf('\n\n');
  const text = note.slice(0, cut + 1);
  const [origin, size, root] = text.split('\n');
  const verified: SpecCheckpoint['verified'] = [];
  for (const line of note.slice(cut + 2).split('\n').filter((l) => l !== '')) {
    const [dash, name, b64] = line.split(' ');
    if (dash !== '—') throw new Error(`not a signature line: ${line}`);
    const bytes = Buffer.from(b64, 'base64');
    const key = keys.find((k) => k.name === name && k.id === bytes.readUInt32BE(0));
    if (!key) continue; // unknown keys are ignored
    let ok: boolean;
    let time: number | undefined;
    if (key.type === 0x01) {
      ok = verify(null, Buffer.from(text, 'utf8'), key.key, bytes.subarray(4));
    } else if (key.type === 0x04) {
      time = Number(bytes.readBigUInt64BE(4));
      ok = verify(null, Buffer.from(`cosignature/v1\ntime ${time}\n${text}`, 'utf8'), key.key, bytes.subarray(12));
    } else {
      throw new Error(`signature type ${key.type} is not one this verifier knows`);
    }
    if (!ok) throw new Error(`the signature of ${name} does not verify`);
    verified.push(time === undefined ? { name } : { name, time });
  }
  if (verified.length === 0) throw new Error('no signature of a known key');
  return { origin, size: Number(size), root, verified };
}
