import { randomUUID } from 'node:crypto';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore, type StoredEvent } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';

const position = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;
const org = { actor: 'org-陕西', documentRef: '陕组干〔2015〕3号' };

/**
 * One 陕西 cadre: registered 2015, demoted 2019-03-15 (a two-year lock, CN-SN/NSX-16b, 第十六条
 * "降职的,两年内不得提拔"), reviewed excellent for 2019. Written in-process through the ledger, so
 * the CLI under test reads what the command path stored.
 */
export async function writeKnownHistory(url: string, cadreId = 'c-001'): Promise<StoredEvent[]> {
  const store = await PostgresEventStore.open({ connectionString: url });
  try {
    const ledger = new Ledger({ store, ruleBook: readRuleBook(), now: () => new Date(), newEventId: randomUUID });
    await ledger.executeCadreCommand(cadreId, {
      type: 'RegisterCadre',
      data: { cadreId, name: '周伟', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position, effectiveAt: '2015-01-01' },
      metadata: org,
    });
    await ledger.executeCadreCommand(cadreId, {
      type: 'AdjustCadre',
      data: { kind: 'demotion', newPosition: { ...position, level: 'county-deputy', title: '副局长', principal: false }, effectiveAt: '2019-03-15' },
      metadata: { actor: 'org-陕西', documentRef: '陕组干〔2019〕8号' },
    });
    await ledger.executeCadreCommand(cadreId, {
      type: 'RecordAnnualReview',
      data: { year: 2019, grade: 'excellent', effectiveAt: '2020-01-20' },
      metadata: { actor: 'assess-陕西', documentRef: '陕考核办〔2020〕5号' },
    });
    return store.readStream(`cadre-${cadreId}`);
  } finally {
    await store.close();
  }
}
