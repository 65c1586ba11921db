import type { RecordCadreFinding } from '../commands';
import type { CadreFindingRecorded, DecidedEvent } from '../events';
import { emit, requireEffectiveDate, requireRegistered } from '../cadre-stream/guards';
import type { CadreState } from '../cadre-stream/state';
import { requireFinding } from './validate';

/** A 领导班子研判 finding about the cadre (陕西 能上能下办法 第七条). */
export function recordCadreFinding(command: RecordCadreFinding, state: CadreState): DecidedEvent<CadreFindingRecorded>[] {
  requireRegistered(state);
  const { category, kind, effectiveAt } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  requireFinding('cadre', category, kind, {}, effectiveAt);
  return emit<CadreFindingRecorded>(command, 'CadreFindingRecorded', command.data, effectiveAt);
}
