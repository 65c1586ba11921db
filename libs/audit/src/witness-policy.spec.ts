import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { NOTE_COSIGNATURE_V1, NOTE_ED25519, checkpointText, cosignCheckpoint, formatVkey, noteKey, signNoteEd25519, type NoteKey } from './note';
import { PolicyError, checkCheckpoint, describeQuorum, parsePolicy, quorumMet } from './policy';

const keyPair = (name: string, type: NoteKey['type']): { key: NoteKey; privateKey: KeyObject } => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { key: noteKey(name, type, privateKey), privateKey };
};

/** The C2SP tlog-policy format: logs, witnesses, groups, one quorum; checkpoints accepted only with it. */
describe('witness policies (C2SP tlog-policy)', () => {
  const log = keyPair('zzb.sx.example/cadre-ledger', NOTE_ED25519);
  const jw = keyPair('jw.sx.example/witness', NOTE_COSIGNATURE_V1);
  const sj = keyPair('sj.sx.example/witness', NOTE_COSIGNATURE_V1);
  const policyText = [
    '# 陕西: the ledger of the 组织部, witnessed by the 纪委监委 and the 审计厅',
    `log ${formatVkey(log.key)} https://ledger.example`,
    '',
    `witness 纪委 ${formatVkey(jw.key)} http://127.0.0.1:1/witness`,
    `\twitness 审计 ${formatVkey(sj.key)}`,
    'group both all 纪委 审计',
    'quorum both',
  ].join('\n');
  const text = checkpointText({ origin: log.key.name, treeSize: 42, rootHash: '0f'.repeat(32) });
  const logLine = signNoteEd25519(text, log.key, log.privateKey);
  const jwLine = cosignCheckpoint(text, jw.key, jw.privateKey, 1_800_000_000);
  const sjLine = cosignCheckpoint(text, sj.key, sj.privateKey, 1_800_000_001);

  it('reads logs, witnesses with their URLs, groups and the quorum', () => {
    const policy = parsePolicy(policyText);
    expect(policy.logs).toEqual([{ key: log.key, url: 'https://ledger.example' }]);
    expect(policy.witnesses.map((w) => [w.name, w.key.name, w.url])).toEqual([
      ['纪委', 'jw.sx.example/witness', 'http://127.0.0.1:1/witness'],
      ['审计', 'sj.sx.example/witness', undefined],
    ]);
    expect(describeQuorum(policy.quorum)).toBe('2 of 2 (纪委, 审计)');
  });

  it('accepts a checkpoint only with the log\'s signature and the quorum\'s cosignatures', () => {
    const policy = parsePolicy(policyText);
    expect(checkCheckpoint(`${text}\n${logLine}${jwLine}${sjLine}`, policy)).toMatchObject({ ok: true, checkpoint: { treeSize: 42 }, cosigners: ['纪委', '审计'] });
    expect(checkCheckpoint(`${text}\n${logLine}${jwLine}`, policy)).toMatchObject({ ok: false, problem: 'cosigned by 纪委: the quorum is 2 of 2 (纪委, 审计)' });
    expect(checkCheckpoint(`${text}\n${jwLine}${sjLine}`, policy)).toMatchObject({ ok: false, problem: 'the checkpoint is not signed by a log of the policy' });
    // A cosignature of another checkpoint, under a known key: the whole note is refused.
    const other = checkpointText({ origin: log.key.name, treeSize: 43, rootHash: '0f'.repeat(32) });
    expect(checkCheckpoint(`${text}\n${logLine}${jwLine}${cosignCheckpoint(other, sj.key, sj.privateKey, 1_800_000_002)}`, policy)).toMatchObject({ ok: false, problem: expect.stringContaining('does not verify') });
    // Signed by the log's key under another origin.
    const elsewhere = checkpointText({ origin: 'elsewhere', treeSize: 42, rootHash: '0f'.repeat(32) });
    expect(checkCheckpoint(`${elsewhere}\n${signNoteEd25519(elsewhere, log.key, log.privateKey)}${cosignCheckpoint(elsewhere, jw.key, jw.privateKey, 1)}${cosignCheckpoint(elsewhere, sj.key, sj.privateKey, 1)}`, policy)).toMatchObject({ ok: false, problem: expect.stringContaining('is not the log\'s key name') });
  });

  it('evaluates nested groups with thresholds, any and none', () => {
    const keys = ['X1', 'X2', 'X3', 'Y1', 'Y2'].map((name) => ({ name, vkey: formatVkey(keyPair(`${name}.example`, NOTE_COSIGNATURE_V1).key) }));
    const policy = parsePolicy([...keys.map((k) => `witness ${k.name} ${k.vkey}`), 'group X 2 X1 X2 X3', 'group Y any Y1 Y2', 'group XY all X Y', 'quorum XY'].join('\n'));
    expect(quorumMet(policy.quorum, new Set(['X1', 'X3', 'Y2']))).toBe(true);
    expect(quorumMet(policy.quorum, new Set(['X1', 'Y1', 'Y2']))).toBe(false);
    expect(quorumMet(policy.quorum, new Set(['X1', 'X2']))).toBe(false);
    expect(quorumMet(parsePolicy('quorum none').quorum, new Set())).toBe(true);
  });

  it.each([
    ['no quorum', `witness a ${formatVkey(jw.key)}`, 'no quorum line'],
    ['an undefined member', `witness a ${formatVkey(jw.key)}\ngroup g 1 a b\nquorum g`, '"b" is not a witness or group defined above'],
    ['a threshold above the members', `witness a ${formatVkey(jw.key)}\ngroup g 2 a\nquorum g`, 'threshold'],
    ['a log key given as a witness', `witness a ${formatVkey(log.key)}\nquorum a`, 'cosignature/v1 key'],
    ['a witness key given as a log', `log ${formatVkey(jw.key)}\nquorum none`, 'Ed25519 note key'],
    ['the same witness key twice', `witness a ${formatVkey(jw.key)}\nwitness b ${formatVkey(jw.key)}\nquorum a`, 'listed already'],
    ['an unknown keyword', 'quorom none', 'not log, witness, group or quorum'],
    ['two quorums', 'quorum none\nquorum none', 'one quorum line'],
  ])('refuses %s, naming the line', (_what, text, message) => {
    expect(() => parsePolicy(text)).toThrow(PolicyError);
    expect(() => parsePolicy(text)).toThrow(message);
  });
});
