import type { CadreAdjusted, DecidedEvent } from '../events';
import type { AdjustCadre } from '../commands';
import { DomainError } from '../shared/errors';
import { emit, requireEffectiveDate, requireRegistered } from '../cadre-stream/guards';
import type { CadreState } from '../cadre-stream/state';

/** 能下. A removal (免职) leaves no post; every other adjustment names the post the cadre moves to. */
export function adjustCadre(command: AdjustCadre, state: CadreState): DecidedEvent<CadreAdjusted>[] {
  requireRegistered(state);
  const { kind, newPosition, effectiveAt } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  if (kind === 'removal' && newPosition) {
    throw new DomainError('removal-with-position', 'unprocessable', 'a removal (免职) leaves the cadre without a post: omit newPosition');
  }
  if (kind === 'non-leadership' && newPosition?.leadership) {
    throw new DomainError('non-leadership-position-is-leading', 'unprocessable', '改任非领导职务: newPosition.leadership must be false');
  }
  return emit(command, 'CadreAdjusted', command.data, effectiveAt);
}
