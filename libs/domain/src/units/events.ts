import type { Message, Noted } from '../shared/messages';
import type { UnitGrade } from '../shared/vocabulary';

/** Annual assessment of a unit; stored in the `unit-{unitId}` stream. */
export type UnitAssessmentRecorded = Message<
  'UnitAssessmentRecorded',
  Noted & { unitId: string; year: number; grade: UnitGrade }
>;
