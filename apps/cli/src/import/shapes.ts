import { z } from 'zod';
import {
  ADJUSTMENT_KINDS,
  CLEARANCE_FINDINGS,
  COMMENDATION_KINDS,
  COMMENDATION_LEVELS,
  FILING_BODIES,
  IDENTIFIER_PATTERN,
  LEDGER_EVENT_TYPES,
  MAX_DOCUMENT_REF_LENGTH,
  MAX_NOTE_LENGTH,
  POSITION_LEVELS,
  REVIEW_GRADES,
  REVIEW_TRIGGER_KINDS,
  SANCTION_SYSTEMS,
  TALK_HOLDERS,
  TALK_KINDS,
  TOLERANCE_INITIATORS,
  TOLERANCE_OUTCOMES,
  UNIT_GRADES,
  type LedgerEventType,
  AWARDED_BY,
  COMMENDATION_FIELDS,
  MANAGED_BY,
  PORTFOLIOS,
  UNIT_LEVELS,
  CRITICISED_BY,
  INCIDENT_LEVELS,
  UNIT_EVENT_TYPES,
  cadreIdOfStream,
  cadreStream,
  unitIdOfStream,
  unitStream,
  QUOTA_RELEASE_REASONS,
} from '@cadre-ledger/domain';
import { HASH_FORMATS } from '@cadre-ledger/event-store';

/**
 * The shape of an import line: the export's StoredEvent. The deciders check meaning, not shape
 * (the HTTP layer's DTOs do that for the API), so the shapes of API.md are checked here, strictly:
 * an unknown field is refused, as the API refuses it.
 */
const text = z.string().min(1);
const identifier = z.string().regex(IDENTIFIER_PATTERN, 'not an identifier (^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$)');
const note = { note: z.string().max(MAX_NOTE_LENGTH).optional() };
const position = z
  .object({ title: text, level: z.enum(POSITION_LEVELS), leadership: z.boolean(), principal: z.boolean(), portfolios: z.array(z.enum(PORTFOLIOS)).optional(), partySecretary: z.boolean().optional() })
  .strict();
const managed = { managedBy: z.enum(MANAGED_BY).optional() };
const takenBy = { measureTakenBy: z.enum(MANAGED_BY).optional() };
const mitigatedTo = z.union([
  z.object({ system: z.enum(SANCTION_SYSTEMS), kind: z.string().min(1), probationMonths: z.number().int().optional() }).strict(),
  z.object({ system: z.literal('organizational'), kind: z.enum(ADJUSTMENT_KINDS) }).strict(),
  z.object({ system: z.literal('caution') }).strict(),
]);
const year = z.number().int();
const sanctionKind = z.string().min(1);

const DATA_SHAPES: Record<LedgerEventType, z.ZodTypeAny> = {
  CadreRegistered: z.object({ ...note, ...managed, cadreId: identifier, name: text, unitId: identifier, jurisdiction: text, position }).strict(),
  CadreTransferred: z.object({ ...note, ...managed, unitId: identifier, position }).strict(),
  CadrePromoted: z.object({ ...note, ...managed, newPosition: position, consultationRef: text.optional() }).strict(),
  EntryRetracted: z.object({ ...note, eventId: text, reason: text }).strict(),
  InfluencePeriodEnded: z.object({ lockId: text, ruleId: text, sourceEventId: text }).strict(),
  ConflictDetected: z.object({ promotionEventId: text, lockId: text, ruleId: text, sourceEventId: text, promotedOn: text, occurrence: z.number().int().min(1) }).strict(),
  ConflictResolved: z.object({ promotionEventId: text, lockId: text, ruleId: text, occurrence: z.number().int().min(1) }).strict(),
  AnnualReviewRecorded: z.object({ ...note, year, grade: z.enum(REVIEW_GRADES), unfavourableVoteShare: z.number().optional(), quotaOverrideRef: text.optional() }).strict(),
  CommendationIssued: z
    .object({ ...note, level: z.enum(COMMENDATION_LEVELS), kind: z.enum(COMMENDATION_KINDS), title: text, field: z.enum(COMMENDATION_FIELDS).optional(), awardedBy: z.enum(AWARDED_BY).optional() })
    .strict(),
  CautionIssued: z.object({ ...note, reason: text }).strict(),
  TalkHeld: z.object({ ...note, kind: z.enum(TALK_KINDS), reason: text, heldBy: z.enum(TALK_HOLDERS).optional() }).strict(),
  SanctionImposed: z.object({ ...note, ...takenBy, system: z.enum(SANCTION_SYSTEMS), kind: sanctionKind, probationMonths: z.number().int().optional() }).strict(),
  InvestigationOpened: z.object({ ...note, caseId: identifier }).strict(),
  InvestigationClosed: z.object({ ...note, caseId: identifier }).strict(),
  ToleranceRequested: z
    .object({ ...note, caseId: identifier, situation: text, covers: z.array(text), initiatedBy: z.enum(TOLERANCE_INITIATORS) })
    .strict(),
  ToleranceInvestigated: z
    .object({ ...note, caseId: identifier, personalGain: z.boolean(), knowingViolation: z.boolean(), expresslyProhibited: z.boolean(), summary: text })
    .strict(),
  ToleranceDecided: z
    .object({
      ...note,
      caseId: identifier,
      outcome: z.enum(TOLERANCE_OUTCOMES),
      mitigatedTo: mitigatedTo.optional(),
      reason: text,
    })
    .strict(),
  ToleranceNotified: z.object({ ...note, caseId: identifier, disclosed: z.boolean() }).strict(),
  ToleranceFiled: z.object({ ...note, caseId: identifier, filedWith: z.array(z.enum(FILING_BODIES)) }).strict(),
  AllegationCleared: z.object({ ...note, covers: z.array(text), finding: z.enum(CLEARANCE_FINDINGS) }).strict(),
  CadreAdjusted: z
    .object({ ...note, ...managed, ...takenBy, kind: z.enum(ADJUSTMENT_KINDS), newPosition: position.optional(), trigger: z.enum(REVIEW_TRIGGER_KINDS).optional(), caseId: identifier.optional() })
    .strict(),
  UnitAssessmentRecorded: z.object({ ...note, unitId: identifier, year, grade: z.enum(UNIT_GRADES) }).strict(),
  UnitRegistered: z.object({ ...note, unitId: identifier, name: text, level: z.enum(UNIT_LEVELS), parentUnitId: identifier.optional(), jurisdiction: text }).strict(),
  // Category, kind and which fields go together: the decider checks (requireFinding).
  UnitFindingRecorded: z
    .object({ ...note, unitId: identifier, category: text, kind: text, year: year.optional(), criticisedBy: z.enum(CRITICISED_BY).optional(), level: z.enum(INCIDENT_LEVELS).optional(), cadreIds: z.array(identifier).optional() })
    .strict(),
  CadreFindingRecorded: z.object({ ...note, category: text, kind: text }).strict(),
  AdjustmentReported: z.object({ ...note, caseId: identifier, triggers: z.array(text), report: z.object({ proposedKind: z.enum(ADJUSTMENT_KINDS) }).strict() }).strict(),
  AdjustmentReviewed: z.object({ ...note, caseId: identifier, cadreStatementHeard: z.boolean(), summary: text }).strict(),
  AdjustmentApproved: z.object({ ...note, caseId: identifier, approved: z.boolean(), kind: z.enum(ADJUSTMENT_KINDS).optional() }).strict(),
  AdjustmentTalkHeld: z.object({ ...note, caseId: identifier }).strict(),
  UnitQuotaSet: z.object({ ...note, unitId: identifier, year, assessedHeadcount: z.number().int().nonnegative() }).strict(),
  ExcellenceQuotaClaimed: z
    .object({ unitId: identifier, year, cadreId: identifier, reviewEventId: text, ruleId: text, limit: z.number().int().nonnegative(), quotaOverrideRef: text.optional() })
    .strict(),
  ExcellenceQuotaReleased: z.object({ unitId: identifier, year, cadreId: identifier, reviewEventId: text, reason: z.enum(QUOTA_RELEASE_REASONS) }).strict(),
};

const HASH = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One line. `stream`, `eventId`, `type`, `effectiveAt`, `actor` and `data` are required; `revision`,
 * `prevHash` and `hash`, when present, must agree with what the import computes (so an export
 * re-imports to the same chain, and a hand-written file may leave them out); `recordedAt` and
 * `globalPosition` are the new store's to assign and are ignored.
 */
export const importLineShape = z
  .object({
    eventId: z.string().regex(UUID, 'not a UUID'),
    type: z.enum(LEDGER_EVENT_TYPES as [LedgerEventType, ...LedgerEventType[]]),
    schemaVersion: z.number().int().positive().optional(),
    stream: z.string().regex(/^(cadre|unit)-[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'not cadre-{cadreId} or unit-{unitId}'),
    revision: z.number().int().nonnegative().optional(),
    globalPosition: z.number().optional(),
    effectiveAt: z.string(),
    recordedAt: z.string().optional(),
    actor: z.string().min(1).max(200),
    documentRef: z.string().max(MAX_DOCUMENT_REF_LENGTH).nullable().optional(),
    data: z.record(z.unknown()),
    prevHash: z.string().regex(HASH, 'not a 64-digit hex digest').optional(),
    hash: z.string().regex(HASH, 'not a 64-digit hex digest').optional(),
    /** How the exporting store computed `hash` (absent in exports from before formats were recorded: v1). */
    hashFormat: z.enum(HASH_FORMATS).optional(),
  })
  .strict();

export type ImportLine = z.infer<typeof importLineShape>;

const describeIssues = (error: z.ZodError, prefix = ''): string =>
  error.issues.map((issue) => `${[prefix, ...issue.path].filter((p) => p !== '').join('.') || '(line)'}: ${issue.message}`).join('; ');

/** Parses and shape-checks one line; answers the reason it is refused, or the line. */
export function parseImportLine(raw: string): ImportLine | { refused: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { refused: `not JSON (${(error as Error).message})` };
  }
  const envelope = importLineShape.safeParse(json);
  if (!envelope.success) return { refused: `bad shape: ${describeIssues(envelope.error)}` };
  const line = envelope.data;
  const data = DATA_SHAPES[line.type].safeParse(line.data);
  if (!data.success) return { refused: `bad ${line.type} data: ${describeIssues(data.error, 'data')}` };
  const unitEvent = UNIT_EVENT_TYPES.has(line.type);
  const owner = unitEvent ? unitIdOfStream(line.stream) : cadreIdOfStream(line.stream);
  if (owner === undefined) return { refused: `a ${line.type} belongs in a ${unitEvent ? unitStream('…') : cadreStream('…')} stream, not ${line.stream}` };
  const named = line.type === 'CadreRegistered' ? line.data.cadreId : UNIT_EVENT_TYPES.has(line.type) ? line.data.unitId : owner;
  if (named !== owner) return { refused: `stream ${line.stream} does not belong to ${String(named)}` };
  return line;
}
