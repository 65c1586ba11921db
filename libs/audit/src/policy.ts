import { NOTE_COSIGNATURE_V1, NOTE_ED25519, NoteError, openNote, parseCheckpointText, parseVkey, type Checkpoint, type NoteKey } from './note';

/**
 * A witness policy in the C2SP tlog-policy format (the one Sigsum's policy files grew into): which
 * log keys are trusted, which witnesses' keys, and the quorum of witnesses whose cosignatures a
 * checkpoint needs before a verifier accepts it.
 *
 *     log zzb.sx.example/cadre-ledger+1a2b3c4d+AX…
 *     witness 纪委 jw.sx.example/witness+5e6f7a8b+BB… https://jw.sx.example/witness
 *     witness 审计 sj.sx.example/witness+9c0d1e2f+BB…
 *     group both all 纪委 审计
 *     quorum both
 */
export interface PolicyWitness {
  name: string;
  key: NoteKey;
  /** Its tlog-witness submission prefix, where given (a monitor may read its latest checkpoint there). */
  url?: string;
}

export type Quorum = { kind: 'none' } | { kind: 'witness'; name: string } | { kind: 'group'; name: string; threshold: number; members: Quorum[] };

export interface WitnessPolicy {
  logs: { key: NoteKey; url?: string }[];
  witnesses: PolicyWitness[];
  quorum: Quorum;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const key = (text: string, type: NoteKey['type'], line: number): NoteKey => {
  let parsed: NoteKey;
  try {
    parsed = parseVkey(text);
  } catch (error) {
    throw new PolicyError(`line ${line}: ${(error as Error).message}`);
  }
  if (parsed.type !== type) {
    throw new PolicyError(`line ${line}: ${type === NOTE_ED25519 ? 'a log key is an Ed25519 note key (type 0x01)' : 'a witness key is an Ed25519 cosignature/v1 key (type 0x04)'}`);
  }
  return parsed;
};

export function parsePolicy(text: string): WitnessPolicy {
  const logs: WitnessPolicy['logs'] = [];
  const witnesses: PolicyWitness[] = [];
  const names = new Map<string, Quorum>([['none', { kind: 'none' }]]);
  let quorum: Quorum | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(raw)) throw new PolicyError(`line ${line}: a control character other than tab`);
    const words = raw.trim().split(/[ \t]+/);
    if (words[0] === '' || words[0].startsWith('#')) return;
    const defineName = (name: string) => {
      if (names.has(name)) throw new PolicyError(`line ${line}: "${name}" is defined already`);
    };
    switch (words[0]) {
      case 'log': {
        if (words.length < 2 || words.length > 3) throw new PolicyError(`line ${line}: log <vkey> [<url>]`);
        const log = key(words[1], NOTE_ED25519, line);
        if (logs.some((l) => l.key.raw.equals(log.raw))) throw new PolicyError(`line ${line}: that log key is listed already`);
        logs.push({ key: log, ...(words[2] ? { url: words[2] } : {}) });
        return;
      }
      case 'witness': {
        if (words.length < 3 || words.length > 4) throw new PolicyError(`line ${line}: witness <name> <vkey> [<url>]`);
        defineName(words[1]);
        const witness = key(words[2], NOTE_COSIGNATURE_V1, line);
        if (witnesses.some((w) => w.key.raw.equals(witness.raw))) throw new PolicyError(`line ${line}: that witness key is listed already`);
        witnesses.push({ name: words[1], key: witness, ...(words[3] ? { url: words[3] } : {}) });
        names.set(words[1], { kind: 'witness', name: words[1] });
        return;
      }
      case 'group': {
        if (words.length < 4) throw new PolicyError(`line ${line}: group <name> all|any|<k> <name>...`);
        defineName(words[1]);
        const memberNames = words.slice(3);
        if (new Set(memberNames).size !== memberNames.length) throw new PolicyError(`line ${line}: a member is listed twice`);
        const members = memberNames.map((name) => {
          const member = names.get(name);
          if (!member || member.kind === 'none') throw new PolicyError(`line ${line}: "${name}" is not a witness or group defined above`);
          return member;
        });
        const threshold = words[2] === 'all' ? members.length : words[2] === 'any' ? 1 : /^[1-9]\d*$/.test(words[2]) ? Number(words[2]) : NaN;
        if (!(threshold >= 1 && threshold <= members.length)) throw new PolicyError(`line ${line}: the threshold must be all, any or a number from 1 to ${members.length}`);
        names.set(words[1], { kind: 'group', name: words[1], threshold, members });
        return;
      }
      case 'quorum': {
        if (words.length !== 2) throw new PolicyError(`line ${line}: quorum <name>`);
        if (quorum) throw new PolicyError(`line ${line}: a policy has one quorum line`);
        quorum = names.get(words[1]);
        if (!quorum) throw new PolicyError(`line ${line}: "${words[1]}" is not a witness or group defined above`);
        return;
      }
      default:
        throw new PolicyError(`line ${line}: "${words[0]}" is not log, witness, group or quorum`);
    }
  });
  if (!quorum) throw new PolicyError('the policy has no quorum line');
  return { logs, witnesses, quorum };
}

/** Whether the witnesses that cosigned (by policy name) make the quorum. */
export function quorumMet(quorum: Quorum, cosigned: ReadonlySet<string>): boolean {
  if (quorum.kind === 'none') return true;
  if (quorum.kind === 'witness') return cosigned.has(quorum.name);
  return quorum.members.filter((member) => quorumMet(member, cosigned)).length >= quorum.threshold;
}

/** "2 of 2 (纪委, 审计)", "纪委", "none". */
export function describeQuorum(quorum: Quorum): string {
  if (quorum.kind === 'none') return 'no witness';
  if (quorum.kind === 'witness') return quorum.name;
  return `${quorum.threshold} of ${quorum.members.length} (${quorum.members.map(describeQuorum).join(', ')})`;
}

export type CheckpointCheck =
  | { ok: true; checkpoint: Checkpoint; cosigners: string[] }
  | { ok: false; problem: string; checkpoint?: Checkpoint; cosigners?: string[] };

/**
 * A checkpoint as the policy accepts it: signed by one of its logs (whose key name is the origin),
 * every signature of a known key valid, and cosigned by a quorum of its witnesses.
 */
export function checkCheckpoint(message: string, policy: WitnessPolicy): CheckpointCheck {
  let opened: ReturnType<typeof openNote>;
  let checkpoint: Checkpoint;
  try {
    opened = openNote(message, [...policy.logs.map((l) => l.key), ...policy.witnesses.map((w) => w.key)]);
    checkpoint = parseCheckpointText(opened.note.text);
  } catch (error) {
    if (error instanceof NoteError) return { ok: false, problem: `not a checkpoint the policy accepts: ${error.message}` };
    throw error;
  }
  const log = opened.verified.find((v) => v.key.type === NOTE_ED25519);
  if (!log) return { ok: false, problem: 'the checkpoint is not signed by a log of the policy', checkpoint };
  if (log.key.name !== checkpoint.origin) return { ok: false, problem: `the checkpoint's origin "${checkpoint.origin}" is not the log's key name "${log.key.name}"`, checkpoint };
  const cosigners = policy.witnesses.filter((w) => opened.verified.some((v) => v.key === w.key)).map((w) => w.name);
  if (!quorumMet(policy.quorum, new Set(cosigners))) {
    return { ok: false, problem: `cosigned by ${cosigners.length === 0 ? 'no witness of the policy' : cosigners.join(', ')}: the quorum is ${describeQuorum(policy.quorum)}`, checkpoint, cosigners };
  }
  return { ok: true, checkpoint, cosigners };
}
