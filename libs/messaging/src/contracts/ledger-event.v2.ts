import { z } from 'zod/v4';
import {
  ADJUSTMENT_KINDS,
  ADMINISTRATIVE_SANCTIONS,
  AWARDED_BY,
  CLEARANCE_FINDINGS,
  COMMENDATION_FIELDS,
  COMMENDATION_KINDS,
  COMMENDATION_LEVELS,
  CRITICISED_BY,
  FILING_BODIES,
  FINDING_CATEGORIES,
  FINDING_KINDS,
  INCIDENT_LEVELS,
  MANAGED_BY,
  PARTY_SANCTIONS,
  PORTFOLIOS,
  POSITION_LEVELS,
  QUOTA_RELEASE_REASONS,
  REVIEW_GRADES,
  REVIEW_TRIGGER_KINDS,
  SANCTION_SYSTEMS,
  TALK_KINDS,
  TOLERANCE_INITIATORS,
  TOLERANCE_OUTCOMES,
  UNIT_GRADES,
  UNIT_LEVELS,
  type LedgerEvent,
  type LedgerEventType,
  type MitigatedTo,
  type Position,
} from '@cadre-ledger/domain';
import type { StoredEvent } from '@cadre-ledger/event-store';
import { subjectOf, type KafkaRecord } from './ledger-event.v1';

/**
 * `cadre-ledger.event.v2`: the public shape of every ledger event on Kafka, one explicit payload
 * per event type, grouped in families. Unlike v1 (the stored `data` as it is), a payload is
 * built field by field by `eventPayloadV2`, an exhaustive function over the domain's events: a
 * change inside the domain either keeps this contract or fails to compile, and a change of this
 * contract changes its JSON Schema (docs/contracts/), which a test holds to its published version.
 * Fields marked `personal` (names, reasons, summaries, notes) are personal data; a downstream
 * system that must not hold them gets them dropped by KAFKA_OMIT_FIELDS.
 */
export const LEDGER_EVENTS_TOPIC_V2 = 'cadre-ledger.events.v2';
export const LEDGER_EVENT_CONTRACT_V2 = 'cadre-ledger.event.v2';

/** A personal field: present unless this deployment omits it (KAFKA_OMIT_FIELDS; the message's `omitted` says so). */
const personal = <T extends z.ZodType>(schema: T, description: string) => schema.meta({ personal: true, description: `${description}; absent when the deployment omits it` }).optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: 'date' });
const id = z.string().min(1).max(64);
const note = personal(z.string().max(2000), 'free text written with the decision (personal data)');

export const PositionV2 = z
  .object({
    title: z.string().max(200),
    level: z.enum(POSITION_LEVELS),
    leadership: z.boolean(),
    principal: z.boolean(),
    portfolios: z.array(z.enum(PORTFOLIOS)).optional(),
    partySecretary: z.boolean().optional(),
  })
  .strict();

const MitigatedToV2 = z.union([
  z.object({ system: z.enum(SANCTION_SYSTEMS), kind: z.enum([...PARTY_SANCTIONS, ...ADMINISTRATIVE_SANCTIONS]), probationMonths: z.number().int().optional() }).strict(),
  z.object({ system: z.literal('organizational'), kind: z.enum(ADJUSTMENT_KINDS) }).strict(),
  z.object({ system: z.literal('caution') }).strict(),
]);

const managedBy = z.enum(MANAGED_BY).optional();

/** Every payload, by event type: what a consumer may rely on. */
export const PAYLOADS_V2 = {
  // cadre: who the cadre is and where they serve
  CadreRegistered: z.object({ cadreId: id, name: personal(z.string().max(100), 'the cadre\'s name (personal data)'), unitId: id, jurisdiction: z.string(), position: PositionV2, managedBy, note }).strict(),
  CadreTransferred: z.object({ unitId: id, position: PositionV2, managedBy, note }).strict(),
  CadrePromoted: z.object({ newPosition: PositionV2, consultationRef: z.string().optional(), managedBy, note }).strict(),
  // incentives (鼓励激励)
  AnnualReviewRecorded: z.object({ year: z.number().int(), grade: z.enum(REVIEW_GRADES), unfavourableVoteShare: z.number().min(0).max(1).optional(), quotaOverrideRef: z.string().optional(), note }).strict(),
  CommendationIssued: z.object({ level: z.enum(COMMENDATION_LEVELS), kind: z.enum(COMMENDATION_KINDS), title: z.string().max(200), field: z.enum(COMMENDATION_FIELDS).optional(), awardedBy: z.enum(AWARDED_BY).optional(), note }).strict(),
  // accountability (问责)
  CautionIssued: z.object({ reason: personal(z.string().max(2000), 'why (personal data)'), note }).strict(),
  TalkHeld: z.object({ kind: z.enum(TALK_KINDS), reason: personal(z.string().max(2000), 'why (personal data)'), note }).strict(),
  SanctionImposed: z.object({ system: z.enum(SANCTION_SYSTEMS), kind: z.enum([...PARTY_SANCTIONS, ...ADMINISTRATIVE_SANCTIONS]), probationMonths: z.number().int().optional(), note }).strict(),
  InvestigationOpened: z.object({ caseId: id, note }).strict(),
  InvestigationClosed: z.object({ caseId: id, note }).strict(),
  // tolerance (容错纠错)
  ToleranceRequested: z.object({ caseId: id, situation: z.string(), covers: z.array(z.string()), initiatedBy: z.enum(TOLERANCE_INITIATORS), note }).strict(),
  ToleranceInvestigated: z.object({ caseId: id, personalGain: z.boolean(), knowingViolation: z.boolean(), expresslyProhibited: z.boolean(), summary: personal(z.string().max(2000), 'what was found (personal data)'), note }).strict(),
  ToleranceDecided: z.object({ caseId: id, outcome: z.enum(TOLERANCE_OUTCOMES), mitigatedTo: MitigatedToV2.optional(), reason: personal(z.string().max(2000), 'why (personal data)'), note }).strict(),
  ToleranceNotified: z.object({ caseId: id, disclosed: z.boolean(), note }).strict(),
  ToleranceFiled: z.object({ caseId: id, filedWith: z.array(z.enum(FILING_BODIES)), note }).strict(),
  AllegationCleared: z.object({ covers: z.array(z.string()), finding: z.enum(CLEARANCE_FINDINGS), note }).strict(),
  // adjustments (能上能下)
  CadreAdjusted: z.object({ kind: z.enum(ADJUSTMENT_KINDS), newPosition: PositionV2.optional(), trigger: z.enum(REVIEW_TRIGGER_KINDS).optional(), caseId: id.optional(), managedBy, note }).strict(),
  AdjustmentReported: z.object({ caseId: id, triggers: z.array(z.string()), proposedKind: z.enum(ADJUSTMENT_KINDS), note }).strict(),
  AdjustmentReviewed: z.object({ caseId: id, cadreStatementHeard: z.boolean(), summary: personal(z.string().max(2000), 'the review\'s account (personal data)'), note }).strict(),
  AdjustmentApproved: z.object({ caseId: id, approved: z.boolean(), kind: z.enum(ADJUSTMENT_KINDS).optional(), note }).strict(),
  AdjustmentTalkHeld: z.object({ caseId: id, note }).strict(),
  // findings (the 能下 situations)
  CadreFindingRecorded: z.object({ category: z.enum(Object.keys(FINDING_CATEGORIES) as [string, ...string[]]), kind: z.enum(FINDING_KINDS as [string, ...string[]]), note }).strict(),
  UnitFindingRecorded: z
    .object({
      unitId: id,
      category: z.enum(Object.keys(FINDING_CATEGORIES) as [string, ...string[]]),
      kind: z.enum(FINDING_KINDS as [string, ...string[]]),
      year: z.number().int().optional(),
      criticisedBy: z.enum(CRITICISED_BY).optional(),
      level: z.enum(INCIDENT_LEVELS).optional(),
      cadreIds: z.array(id).optional(),
      note,
    })
    .strict(),
  // units
  UnitRegistered: z.object({ unitId: id, name: z.string().max(200), level: z.enum(UNIT_LEVELS), parentUnitId: id.optional(), jurisdiction: z.string(), note }).strict(),
  UnitAssessmentRecorded: z.object({ unitId: id, year: z.number().int(), grade: z.enum(UNIT_GRADES), note }).strict(),
  UnitQuotaSet: z.object({ unitId: id, year: z.number().int(), assessedHeadcount: z.number().int(), note }).strict(),
  ExcellenceQuotaClaimed: z.object({ unitId: id, year: z.number().int(), cadreId: id, reviewEventId: z.string(), ruleId: z.string(), limit: z.number().int(), quotaOverrideRef: z.string().optional() }).strict(),
  ExcellenceQuotaReleased: z.object({ unitId: id, year: z.number().int(), cadreId: id, reviewEventId: z.string(), reason: z.enum(QUOTA_RELEASE_REASONS) }).strict(),
  // the ledger's own
  EntryRetracted: z.object({ eventId: z.string(), reason: personal(z.string().max(2000), 'why the entry was wrong (personal data)'), note }).strict(),
  InfluencePeriodEnded: z.object({ lockId: z.string(), ruleId: z.string(), sourceEventId: z.string() }).strict(),
  ConflictDetected: z.object({ promotionEventId: z.string(), lockId: z.string(), ruleId: z.string(), sourceEventId: z.string(), promotedOn: date, occurrence: z.number().int() }).strict(),
  ConflictResolved: z.object({ promotionEventId: z.string(), lockId: z.string(), ruleId: z.string(), occurrence: z.number().int() }).strict(),
} as const satisfies Record<LedgerEventType, z.ZodType>;

export type PayloadV2<T extends LedgerEventType = LedgerEventType> = z.infer<(typeof PAYLOADS_V2)[T]>;

/** The families, as the domain's modules group the events (a consumer subscribes by family). */
export const EVENT_FAMILIES_V2 = {
  cadre: ['CadreRegistered', 'CadreTransferred', 'CadrePromoted'],
  incentives: ['AnnualReviewRecorded', 'CommendationIssued'],
  accountability: ['CautionIssued', 'TalkHeld', 'SanctionImposed', 'InvestigationOpened', 'InvestigationClosed'],
  tolerance: ['ToleranceRequested', 'ToleranceInvestigated', 'ToleranceDecided', 'ToleranceNotified', 'ToleranceFiled', 'AllegationCleared'],
  adjustments: ['CadreAdjusted', 'AdjustmentReported', 'AdjustmentReviewed', 'AdjustmentApproved', 'AdjustmentTalkHeld'],
  findings: ['CadreFindingRecorded', 'UnitFindingRecorded'],
  units: ['UnitRegistered', 'UnitAssessmentRecorded', 'UnitQuotaSet', 'ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased'],
  ledger: ['EntryRetracted', 'InfluencePeriodEnded', 'ConflictDetected', 'ConflictResolved'],
} as const satisfies Record<string, readonly LedgerEventType[]>;
export type EventFamilyV2 = keyof typeof EVENT_FAMILIES_V2;

const FAMILY_OF = new Map<string, EventFamilyV2>(Object.entries(EVENT_FAMILIES_V2).flatMap(([family, types]) => types.map((t) => [t, family as EventFamilyV2] as const)));

/** The fields marked personal in each type's payload. */
const PERSONAL_BY_TYPE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(PAYLOADS_V2).map(([type, schema]) => [
    type,
    new Set(
      Object.entries((schema as z.ZodObject).shape).flatMap(([field, member]) => {
        const inner = member instanceof z.ZodOptional ? member.unwrap() : member;
        return (inner as z.ZodType).meta()?.personal === true ? [field] : [];
      }),
    ),
  ]),
);

/** Every field name marked personal in some payload: what KAFKA_OMIT_FIELDS may name (`personal`: all of them). */
export const PERSONAL_FIELDS_V2: readonly string[] = [...new Set([...PERSONAL_BY_TYPE.values()].flatMap((fields) => [...fields]))].sort();

const position = (p: Position): z.infer<typeof PositionV2> => ({
  title: p.title,
  level: p.level,
  leadership: p.leadership,
  principal: p.principal,
  ...(p.portfolios ? { portfolios: [...p.portfolios] } : {}),
  ...(p.partySecretary === undefined ? {} : { partySecretary: p.partySecretary }),
});
const mitigation = (m: MitigatedTo): z.infer<typeof MitigatedToV2> =>
  m.system === 'caution' ? { system: 'caution' } : m.system === 'organizational' ? { system: 'organizational', kind: m.kind } : { system: m.system, kind: m.kind, ...(m.probationMonths === undefined ? {} : { probationMonths: m.probationMonths }) };

/** Optional members only when present: absent stays absent (never `null`, never `undefined` in JSON). */
export function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The v2 payload of a domain event, field by field. Exhaustive: a new event type does not compile
 * until it has a payload here and in PAYLOADS_V2.
 */
export function eventPayloadV2(event: LedgerEvent): PayloadV2 {
  const d = event.data as Record<string, unknown> & { note?: string };
  const n = { note: d.note };
  switch (event.type) {
    case 'CadreRegistered':
      return defined({ cadreId: event.data.cadreId, name: event.data.name, unitId: event.data.unitId, jurisdiction: event.data.jurisdiction, position: position(event.data.position), managedBy: event.data.managedBy, ...n });
    case 'CadreTransferred':
      return defined({ unitId: event.data.unitId, position: position(event.data.position), managedBy: event.data.managedBy, ...n });
    case 'CadrePromoted':
      return defined({ newPosition: position(event.data.newPosition), consultationRef: event.data.consultationRef, managedBy: event.data.managedBy, ...n });
    case 'AnnualReviewRecorded':
      return defined({ year: event.data.year, grade: event.data.grade, unfavourableVoteShare: event.data.unfavourableVoteShare, quotaOverrideRef: event.data.quotaOverrideRef, ...n });
    case 'CommendationIssued':
      return defined({ level: event.data.level, kind: event.data.kind, title: event.data.title, field: event.data.field, awardedBy: event.data.awardedBy, ...n });
    case 'CautionIssued':
      return defined({ reason: event.data.reason, ...n });
    case 'TalkHeld':
      return defined({ kind: event.data.kind, reason: event.data.reason, ...n });
    case 'SanctionImposed':
      return defined({ system: event.data.system, kind: event.data.kind, probationMonths: event.data.probationMonths, ...n });
    case 'InvestigationOpened':
    case 'InvestigationClosed':
      return defined({ caseId: event.data.caseId, ...n });
    case 'ToleranceRequested':
      return defined({ caseId: event.data.caseId, situation: event.data.situation, covers: [...event.data.covers], initiatedBy: event.data.initiatedBy, ...n });
    case 'ToleranceInvestigated':
      return defined({ caseId: event.data.caseId, personalGain: event.data.personalGain, knowingViolation: event.data.knowingViolation, expresslyProhibited: event.data.expresslyProhibited, summary: event.data.summary, ...n });
    case 'ToleranceDecided':
      return defined({ caseId: event.data.caseId, outcome: event.data.outcome, mitigatedTo: event.data.mitigatedTo ? mitigation(event.data.mitigatedTo) : undefined, reason: event.data.reason, ...n });
    case 'ToleranceNotified':
      return defined({ caseId: event.data.caseId, disclosed: event.data.disclosed, ...n });
    case 'ToleranceFiled':
      return defined({ caseId: event.data.caseId, filedWith: [...event.data.filedWith], ...n });
    case 'AllegationCleared':
      return defined({ covers: [...event.data.covers], finding: event.data.finding, ...n });
    case 'CadreAdjusted':
      return defined({ kind: event.data.kind, newPosition: event.data.newPosition ? position(event.data.newPosition) : undefined, trigger: event.data.trigger, caseId: event.data.caseId, managedBy: event.data.managedBy, ...n });
    case 'AdjustmentReported':
      return defined({ caseId: event.data.caseId, triggers: [...event.data.triggers], proposedKind: event.data.report.proposedKind, ...n });
    case 'AdjustmentReviewed':
      return defined({ caseId: event.data.caseId, cadreStatementHeard: event.data.cadreStatementHeard, summary: event.data.summary, ...n });
    case 'AdjustmentApproved':
      return defined({ caseId: event.data.caseId, approved: event.data.approved, kind: event.data.kind, ...n });
    case 'AdjustmentTalkHeld':
      return defined({ caseId: event.data.caseId, ...n });
    case 'CadreFindingRecorded':
      return defined({ category: event.data.category, kind: event.data.kind, ...n });
    case 'UnitFindingRecorded':
      return defined({ unitId: event.data.unitId, category: event.data.category, kind: event.data.kind, year: event.data.year, criticisedBy: event.data.criticisedBy, level: event.data.level, cadreIds: event.data.cadreIds ? [...event.data.cadreIds] : undefined, ...n });
    case 'UnitRegistered':
      return defined({ unitId: event.data.unitId, name: event.data.name, level: event.data.level, parentUnitId: event.data.parentUnitId, jurisdiction: event.data.jurisdiction, ...n });
    case 'UnitAssessmentRecorded':
      return defined({ unitId: event.data.unitId, year: event.data.year, grade: event.data.grade, ...n });
    case 'UnitQuotaSet':
      return defined({ unitId: event.data.unitId, year: event.data.year, assessedHeadcount: event.data.assessedHeadcount, ...n });
    case 'ExcellenceQuotaClaimed':
      return defined({ unitId: event.data.unitId, year: event.data.year, cadreId: event.data.cadreId, reviewEventId: event.data.reviewEventId, ruleId: event.data.ruleId, limit: event.data.limit, quotaOverrideRef: event.data.quotaOverrideRef });
    case 'ExcellenceQuotaReleased':
      return { unitId: event.data.unitId, year: event.data.year, cadreId: event.data.cadreId, reviewEventId: event.data.reviewEventId, reason: event.data.reason };
    case 'EntryRetracted':
      return defined({ eventId: event.data.eventId, reason: event.data.reason, ...n });
    case 'InfluencePeriodEnded':
      return { lockId: event.data.lockId, ruleId: event.data.ruleId, sourceEventId: event.data.sourceEventId };
    case 'ConflictDetected':
      return { promotionEventId: event.data.promotionEventId, lockId: event.data.lockId, ruleId: event.data.ruleId, sourceEventId: event.data.sourceEventId, promotedOn: event.data.promotedOn, occurrence: event.data.occurrence };
    case 'ConflictResolved':
      return { promotionEventId: event.data.promotionEventId, lockId: event.data.lockId, ruleId: event.data.ruleId, occurrence: event.data.occurrence };
    default: {
      const unknown: never = event;
      throw new Error(`no v2 payload for ${(unknown as { type: string }).type}`);
    }
  }
}

/** The envelope: where the event stands and who recorded it, then the typed payload. */
export const LedgerEventMessageV2 = z
  .object({
    contract: z.literal(LEDGER_EVENT_CONTRACT_V2),
    eventId: z.string(),
    type: z.enum(Object.keys(PAYLOADS_V2) as [LedgerEventType, ...LedgerEventType[]]),
    family: z.enum(Object.keys(EVENT_FAMILIES_V2) as [EventFamilyV2, ...EventFamilyV2[]]),
    schemaVersion: z.number().int().meta({ description: 'the stored event\'s own schema version (after upcasting)' }),
    subject: z.object({ kind: z.enum(['cadre', 'unit']), id }).strict(),
    revision: z.number().int(),
    globalPosition: z.number().int(),
    effectiveAt: date,
    recordedAt: z.string().meta({ format: 'date-time' }),
    actor: z.string(),
    documentRef: z.string().nullable().meta({ description: '文号' }),
    hash: z.string(),
    prevHash: z.string(),
    payload: z.union(Object.values(PAYLOADS_V2) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
    omitted: z.array(z.string()).optional().meta({ description: 'payload fields this deployment leaves out (KAFKA_OMIT_FIELDS)' }),
  })
  .strict();
export type LedgerEventMessageV2 = Omit<z.infer<typeof LedgerEventMessageV2>, 'payload'> & { payload: PayloadV2 };

/** Headers of every v2 event record: what a consumer may route on without parsing the value. */
export const EVENT_HEADERS_V2 = ['contract', 'eventId', 'type', 'family', 'subjectKind', 'schemaVersion'] as const;

/**
 * The record of one stored event: key = the cadre or unit id (one subject's events stay in order
 * on one partition), headers as EVENT_HEADERS_V2, value the message. `omit`: personal fields to
 * leave out (a field of that name that is not personal in this type, a unit's name, stays).
 */
export function ledgerEventRecordV2(event: StoredEvent, omit: ReadonlySet<string> = new Set()): KafkaRecord {
  return eventRecord(event, omit, LEDGER_EVENT_CONTRACT_V2, eventPayloadV2);
}

/**
 * The record of one stored event under an event contract from v2 on (the envelope and headers of
 * v2, the contract's name, the payload its `payloadOf` builds): v3 adds fields to some payloads.
 */
export function eventRecord(event: StoredEvent, omit: ReadonlySet<string>, contract: string, payloadOf: (event: LedgerEvent) => PayloadV2): KafkaRecord {
  const subject = subjectOf(event.stream);
  const domainEvent = { type: event.type, data: event.data } as LedgerEvent;
  const full = payloadOf(domainEvent) as Record<string, unknown>;
  const personal = PERSONAL_BY_TYPE.get(event.type) ?? new Set<string>();
  const left = (field: string) => omit.has(field) && personal.has(field);
  const omitted = Object.keys(full).filter(left);
  const payload = Object.fromEntries(Object.entries(full).filter(([field]) => !left(field))) as PayloadV2;
  const family = FAMILY_OF.get(event.type)!;
  const message: Omit<LedgerEventMessageV2, 'contract'> & { contract: string } = {
    contract,
    eventId: event.eventId,
    type: event.type as LedgerEventType,
    family,
    schemaVersion: event.schemaVersion,
    subject,
    revision: event.revision,
    globalPosition: event.globalPosition,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    documentRef: event.documentRef,
    hash: event.hash,
    prevHash: event.prevHash,
    payload,
    ...(omitted.length > 0 ? { omitted } : {}),
  };
  return {
    key: subject.id,
    value: JSON.stringify(message),
    headers: { contract, eventId: event.eventId, type: event.type, family, subjectKind: subject.kind, schemaVersion: String(event.schemaVersion) },
  };
}

/** Parses and checks a v2 message (its payload against its type's schema). */
export function parseLedgerEventMessageV2(value: string): LedgerEventMessageV2 {
  const message = LedgerEventMessageV2.parse(JSON.parse(value));
  PAYLOADS_V2[message.type].partial().parse(message.payload);
  return message as LedgerEventMessageV2;
}
