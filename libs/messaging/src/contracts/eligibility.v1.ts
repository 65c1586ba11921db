import type { Verdict } from '@cadre-ledger/policy';
import type { KafkaRecord } from './ledger-event.v1';

/** Compacted topic: the latest verdict per cadre (key = cadreId). */
export const ELIGIBILITY_TOPIC = 'cadre-ledger.eligibility.v1';

export interface EligibilityMessageV1 {
  contract: 'cadre-ledger.eligibility.v1';
  cadreId: string;
  unitId: string;
  asOf: string;
  promotable: boolean;
  verdict: Verdict;
}

export function eligibilityRecord(unitId: string, verdict: Verdict): KafkaRecord {
  const message: EligibilityMessageV1 = {
    contract: 'cadre-ledger.eligibility.v1',
    cadreId: verdict.cadreId,
    unitId,
    asOf: verdict.asOf,
    promotable: verdict.promotable,
    verdict,
  };
  return { key: verdict.cadreId, value: JSON.stringify(message), headers: { contract: message.contract } };
}
