import type { Message, Noted } from '../shared/messages';
import type { AdjustmentKind, Position, ReviewTriggerKind } from '../shared/vocabulary';
import type { Managed } from '../cadres/events';

/** 能下: 调离岗位, 改任非领导职务, 免职, 降职. */
export type CadreAdjusted = Message<
  'CadreAdjusted',
  Noted & Managed & {
    kind: AdjustmentKind;
    /** The post after the adjustment (none after a removal). */
    newPosition?: Position;
    /** The review trigger that prompted it, when one did. */
    trigger?: ReviewTriggerKind;
  }
>;
