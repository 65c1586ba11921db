import { decide, foldCadre, DomainError, type CadreCommand, type CadreEvent, type Decided, type Fact } from '@cadre-ledger/domain';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { policyPortFor } from './policy-port';

/**
 * The deciders ask the rules through `PolicyPort`; here the real rule book answers, over the
 * history the command handler would have loaded.
 */
const ruleBook = readRuleBook();
const NOW = '2026-11-22T08:00:00Z';
const position = { title: '副局长', level: 'county-deputy', leadership: true, principal: false } as const;

function stored(events: Decided<CadreEvent>[]): Fact[] {
  return events.map((e, revision) => ({ ...e, metadata: { ...e.metadata, recordedAt: `${e.metadata.effectiveAt}T09:00:00Z`, revision } })) as Fact[];
}

function run(history: Decided<CadreEvent>[], command: CadreCommand) {
  const facts = stored(history);
  return decide(command, foldCadre(facts as Fact<CadreEvent>[]), policyPortFor(ruleBook, facts, NOW));
}

const meta = (eventId: string) => ({ eventId, actor: 'hr-陕西', today: '2026-11-22' });
const registered = (jurisdiction: string): Decided<CadreEvent> => ({
  type: 'CadreRegistered',
  data: { cadreId: 'c-001', name: '赵敏', unitId: 'sx-fgw', jurisdiction, position: { ...position, title: '局长', level: 'county-chief', principal: true } },
  metadata: { eventId: 'e-reg', effectiveAt: '2015-01-01', actor: 'hr' },
});
const demoted: Decided<CadreEvent> = {
  type: 'CadreAdjusted',
  data: { kind: 'demotion', newPosition: position },
  metadata: { eventId: 'e-dem', effectiveAt: '2019-03-15', actor: 'hr', documentRef: '陕组干〔2019〕8号' },
};
const promote = (effectiveAt: string, consultationRef?: string): CadreCommand => ({
  type: 'PromoteCadre',
  data: { newPosition: { ...position, title: '局长', level: 'county-chief' }, effectiveAt, ...(consultationRef ? { consultationRef } : {}) },
  metadata: meta('e-pro'),
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('policyPortFor, asked by the deciders', () => {
  it('refuses a promotion while the 陕西 demotion lock holds, listing the lock and its clause', () => {
    const error = refusal(() => run([registered('CN-SN'), demoted], promote('2021-03-14')));
    expect(error.code).toBe('promotion-locked');
    expect(error.details.locks).toEqual([
      expect.objectContaining({
        ruleId: 'CN-SN/NSX-16b',
        kind: 'demotion',
        from: '2019-03-15',
        until: '2021-03-15',
        sourceEventId: 'e-dem',
        citation: expect.objectContaining({ article: '第十六条', text: '降职的,两年内不得提拔' }),
      }),
    ]);
  });

  it('then refuses it without a consultation reference, and accepts it with one', () => {
    expect(refusal(() => run([registered('CN-SN'), demoted], promote('2021-03-15'))).code).toBe('consultation-required');
    const [event] = run([registered('CN-SN'), demoted], promote('2021-03-15', '陕组函〔2021〕3号'));
    expect(event).toMatchObject({ type: 'CadrePromoted', data: { consultationRef: '陕组函〔2021〕3号' } });
  });

  it('asks no consultation of a cadre whose rule sets do not require it', () => {
    const [event] = run([registered('CN'), demoted], promote('2021-03-15'));
    expect(event.type).toBe('CadrePromoted');
  });

  it('offers the situation codes of the cadre’s rule sets to a tolerance request', () => {
    const request = (situation: string): CadreCommand => ({
      type: 'RequestTolerance',
      data: { caseId: 'RC-1', situation, covers: ['e-dem'], initiatedBy: 'applicant', effectiveAt: '2019-04-01' },
      metadata: meta('e-tol'),
    });
    expect(run([registered('CN-SN'), demoted], request('SN-11'))[0].type).toBe('ToleranceRequested');
    expect(refusal(() => run([registered('CN-SN'), demoted], request('ZJJ-1'))).code).toBe('unknown-situation');
    expect(refusal(() => run([registered('CN'), demoted], request('SN-1'))).code).toBe('unknown-situation');
  });

  it('refuses to register a cadre in a jurisdiction the configuration does not know', () => {
    const command: CadreCommand = {
      type: 'RegisterCadre',
      data: { ...(registered('CN-XY').data as Extract<CadreEvent, { type: 'CadreRegistered' }>['data']), effectiveAt: '2020-01-01' },
      metadata: meta('e-1'),
    };
    expect(refusal(() => run([], command)).code).toBe('unknown-jurisdiction');
  });
});
