import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { parseImportLine, type ImportLine } from './shapes';
import { StreamViews } from '@cadre-ledger/intake';
import { validateLine, type ValidationContext } from './validate';

const ruleBook = readRuleBook();
const position = { title: '局长', level: 'county-chief', leadership: true, principal: true };

const line = (type: string, effectiveAt: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ eventId: randomUUID(), type, stream: 'cadre-c-1', effectiveAt, actor: 'org-陕西', data, ...extra });

const parsed = (raw: string): ImportLine => {
  const result = parseImportLine(raw);
  if ('refused' in result) throw new Error(result.refused);
  return result;
};

describe('import line shape', () => {
  it('refuses what is not JSON, unknown fields, a wrong enum and a stream of the wrong family', () => {
    expect(parseImportLine('{"eventId":')).toEqual({ refused: expect.stringMatching(/^not JSON/) });
    expect(parseImportLine(line('CautionIssued', '2020-01-01', { reason: 'r' }, { colour: 'red' }))).toEqual({ refused: expect.stringContaining("Unrecognized key(s) in object: 'colour'") });
    expect(parseImportLine(line('TalkHeld', '2020-01-01', { kind: 'chat', reason: 'r' }))).toEqual({ refused: expect.stringMatching(/^bad TalkHeld data: data\.kind/) });
    expect(parseImportLine(line('UnitAssessmentRecorded', '2020-01-01', { unitId: 'u', year: 2019, grade: 'good' }))).toEqual({
      refused: expect.stringContaining('belongs in a unit-… stream'),
    });
    expect(parseImportLine(line('CadreRegistered', '2015-01-01', { cadreId: 'someone-else', name: '周伟', unitId: 'u', jurisdiction: 'CN-SN', position }))).toEqual({
      refused: 'stream cadre-c-1 does not belong to someone-else',
    });
  });
});

describe('who held a talk, which level took a measure', () => {
  it('takes heldBy on a talk and measureTakenBy on an adjustment or a sanction, and refuses values outside their vocabularies', () => {
    expect(parsed(line('TalkHeld', '2022-02-01', { kind: 'admonition', reason: 'r', heldBy: 'organization-department-head' })).data).toMatchObject({ heldBy: 'organization-department-head' });
    expect(parsed(line('CadreAdjusted', '2022-03-01', { kind: 'removal', managedBy: 'municipal', measureTakenBy: 'provincial' })).data).toMatchObject({ measureTakenBy: 'provincial' });
    expect(parsed(line('SanctionImposed', '2022-03-01', { system: 'party', kind: 'warning', measureTakenBy: 'county' })).data).toMatchObject({ measureTakenBy: 'county' });
    expect(parseImportLine(line('TalkHeld', '2022-02-01', { kind: 'admonition', reason: 'r', heldBy: 'mayor' }))).toEqual({ refused: expect.stringMatching(/^bad TalkHeld data: data\.heldBy/) });
    expect(parseImportLine(line('SanctionImposed', '2022-03-01', { system: 'party', kind: 'warning', measureTakenBy: 'township' }))).toEqual({ refused: expect.stringMatching(/^bad SanctionImposed data: data\.measureTakenBy/) });
  });
});

describe('import validation through the deciders', () => {
  const context = (): ValidationContext => ({ ruleBook, views: new StreamViews(new InMemoryEventStore()), today: '2026-11-22', hashFormat: 'v2-sha256' });
  const register = line('CadreRegistered', '2015-01-01', { cadreId: 'c-1', name: '周伟', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position });

  async function feed(ctx: ValidationContext, raws: string[]) {
    const verdicts = [];
    for (const [index, raw] of raws.entries()) {
      const l = parsed(raw);
      verdicts.push(await validateLine(l, index + 1, await ctx.views.get(l.stream), ctx));
    }
    return verdicts;
  }

  it('accepts facts the deciders accept and queues them at consecutive revisions', async () => {
    const ctx = context();
    const verdicts = await feed(ctx, [register, line('AnnualReviewRecorded', '2016-01-10', { year: 2015, grade: 'excellent' })]);
    expect(verdicts.every((v) => 'accepted' in v)).toBe(true);
    expect((await ctx.views.get('cadre-c-1')).pending.map((p) => p.revision)).toEqual([0, 1]);
  });

  it('refuses a promotion while a lock holds, as the command path would', async () => {
    const ctx = context();
    const verdicts = await feed(ctx, [
      register,
      line('CadreAdjusted', '2019-03-15', { kind: 'demotion', newPosition: { ...position, level: 'county-deputy' } }),
      line('CadrePromoted', '2020-01-01', { newPosition: position }),
    ]);
    expect(verdicts[2]).toEqual({ refused: expect.stringContaining('promotion-locked') });
  });

  it('recognises a re-sent event as already stored, and refuses the same id with other content', async () => {
    const ctx = context();
    const review = JSON.parse(line('AnnualReviewRecorded', '2016-01-10', { year: 2015, grade: 'competent' }));
    const verdicts = await feed(ctx, [register, JSON.stringify(review), JSON.stringify(review), JSON.stringify({ ...review, data: { year: 2015, grade: 'excellent' } })]);
    expect(verdicts[2]).toEqual({ alreadyStored: true });
    expect(verdicts[3]).toEqual({ refused: expect.stringContaining('with different content') });
  });

  it('refuses a schema version the ledger has no upcaster for', async () => {
    const ctx = context();
    const verdicts = await feed(ctx, [register, line('CautionIssued', '2020-01-01', { reason: '迟到' }, { schemaVersion: 2 })]);
    expect(verdicts[1]).toEqual({ refused: 'CautionIssued has schema version 1, not 2' });
  });
});
