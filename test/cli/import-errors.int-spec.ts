import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { countEvents, writeNdjson } from './support/ndjson';

jest.setTimeout(180_000);

/** A hand-written file: no revisions or hashes (optional in the format), bad lines among good ones. */
function mixedFile(): string {
  const fact = (stream: string, type: string, effectiveAt: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type,
    stream,
    effectiveAt,
    actor: 'org-陕西',
    documentRef: '陕组干〔2017〕2号',
    data,
    ...extra,
  });
  const cadre = 'cadre-bad-1';
  const { actor: _actor, ...withoutActor } = fact(cadre, 'AnnualReviewRecorded', '2016-01-10', { year: 2015, grade: 'competent' });
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-bad-')), 'mixed.ndjson');
  writeNdjson(file, [
    /* 1 */ fact(cadre, 'CadreRegistered', '2015-01-01', { cadreId: 'bad-1', name: '李娜', unitId: 'sx-jtt', jurisdiction: 'CN-SN', position: { title: '科长', level: 'township-chief', leadership: true, principal: true } }),
    /* 2 */ '{"eventId": "not json',
    /* 3 */ withoutActor,
    /* 4 */ fact(cadre, 'AnnualReviewRecorded', '2999-01-10', { year: 2998, grade: 'competent' }),
    /* 5 */ fact(cadre, 'AnnualReviewRecorded', '2017-01-10', { year: 2016, grade: 'excellent' }),
    /* 6 */ fact(cadre, 'AnnualReviewRecorded', '2017-02-10', { year: 2016, grade: 'competent' }),
    /* 7 */ fact(cadre, 'CommendationIssued', '2017-05-04', { level: 'provincial', kind: 'citation', title: '优秀公务员' }),
    /* 8 */ fact(cadre, 'UnitAssessmentRecorded', '2017-02-01', { unitId: 'sx-jtt', year: 2016, grade: 'good' }),
    /* 9 */ '',
    /* 10 */ fact('unit-sx-jtt', 'UnitAssessmentRecorded', '2017-02-01', { unitId: 'sx-jtt', year: 2016, grade: 'good' }),
    /* 11 */ fact(cadre, 'CautionIssued', '2018-03-01', { reason: '迟到' }, { revision: 9 }),
  ]);
  return file;
}

// The same answers whether lines are validated on the main thread or on worker threads.
describe.each([
  ['on the main thread', ['--workers', '0']],
  ['on two worker threads', ['--workers', '2']],
])('ledger import: bad lines, validated %s (child process, PostgreSQL)', (_where, threads) => {
  const file = mixedFile();
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase('cli-import-errors');
  });
  afterEach(() => db.drop());

  it('--on-error skip: reports each bad line with its number and reason, imports the rest, exits 1', async () => {
    const { code, stdout, stderr } = await runLedger(['import', file, '--on-error', 'skip', '--json', ...threads], cliEnv(db.url));
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ lines: 10, imported: 4, refused: 6, stopped: false });
    expect(report.refusedLines.map((r: { line: number }) => r.line)).toEqual([2, 3, 4, 6, 8, 11]);
    expect(stderr).toMatch(/^line 2: not JSON/m);
    expect(stderr).toMatch(/^line 3: bad shape: actor: Required/m);
    expect(stderr).toMatch(/^line 4: effectiveAt 2999-01-10 is later than today/m);
    expect(stderr).toMatch(/^line 6: refused by the decider: annual-review-year-duplicate/m);
    expect(stderr).toMatch(/^line 8: a UnitAssessmentRecorded belongs in a unit-… stream, not cadre-bad-1/m);
    expect(stderr).toMatch(/^line 11: cadre-bad-1 is at revision 2, so the next event is revision 3, not 9/m);
    expect(await countEvents(db.url)).toBe(4);
  });

  it('--on-error stop: stops at the first bad line, keeps what came before it, exits 1', async () => {
    const { code, stdout, stderr } = await runLedger(['import', file, ...threads], cliEnv(db.url));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^line 2: not JSON/m);
    expect(stderr).not.toMatch(/^line 3:/m);
    expect(stdout).toContain('stopped at line 2');
    expect(await countEvents(db.url)).toBe(1);
  });

  it('refuses a line whose hash does not match its content (a file altered after export)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-hash-'));
    const altered = join(dir, 'altered.ndjson');
    writeNdjson(altered, [
      {
        eventId: randomUUID(),
        type: 'CautionIssued',
        stream: 'cadre-x',
        revision: 0,
        effectiveAt: '2018-01-01',
        actor: 'a',
        data: { reason: 'r' },
        prevHash: '0'.repeat(64),
        hash: 'f'.repeat(64),
      },
    ]);
    const { code, stderr } = await runLedger(['import', altered, ...threads], cliEnv(db.url));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^line 1: hash does not match the line's content/m);
  });

  it('refuses at append an eventId stored in another stream, and what its stream accepted after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-dup-'));
    const position = { title: '科长', level: 'township-chief', leadership: true, principal: true };
    const register = (cadreId: string, eventId = randomUUID()) => ({
      eventId,
      type: 'CadreRegistered',
      stream: `cadre-${cadreId}`,
      effectiveAt: '2015-01-01',
      actor: 'org-陕西',
      data: { cadreId, name: '王芳', unitId: 'sx-jtt', jurisdiction: 'CN-SN', position },
    });
    const review = (cadreId: string) => ({ eventId: randomUUID(), type: 'AnnualReviewRecorded', stream: `cadre-${cadreId}`, effectiveAt: '2016-01-10', actor: 'a', data: { year: 2015, grade: 'competent' } });
    const first = join(dir, 'first.ndjson');
    const second = join(dir, 'second.ndjson');
    const taken = randomUUID();
    writeNdjson(first, [register('dup-x', taken)]);
    writeNdjson(second, [register('dup-y', taken), review('dup-y'), register('dup-z'), review('dup-z')]);
    expect((await runLedger(['import', first], cliEnv(db.url))).code).toBe(0);

    // One line a batch: the review of dup-y is validated while the append of its registration is in flight.
    const { code, stdout, stderr } = await runLedger(['import', second, '--batch', '1', '--on-error', 'skip', '--json', ...threads], cliEnv(db.url));
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^line 1: eventId ${taken} is already stored with other content or in another stream than cadre-dup-y`, 'm'));
    expect(stderr).toMatch(/^line 2: not stored: an earlier line of cadre-dup-y was refused when appended/m);
    expect(JSON.parse(stdout)).toMatchObject({ imported: 2, refused: 2 });
    expect(await countEvents(db.url)).toBe(3);
  });

  it('exits 2 for a file that does not exist or a bad --on-error', async () => {
    expect((await runLedger(['import', '/nonexistent/file.ndjson'], cliEnv(db.url))).code).toBe(2);
    const bad = await runLedger(['import', file, '--on-error', 'ignore'], cliEnv(db.url));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--on-error');
  });
});
