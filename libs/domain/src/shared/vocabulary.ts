/**
 * The closed vocabularies of API.md ("Enumerations"), as `const` arrays so that the API's DTOs,
 * the rule-set schema and the deciders share one list.
 */

export const POSITION_LEVELS = [
  'township-deputy', // 乡科级副职
  'township-chief', // 乡科级正职
  'county-deputy', // 县处级副职
  'county-chief', // 县处级正职
  'bureau-deputy', // 厅局级副职
  'bureau-chief', // 厅局级正职
  'province-deputy', // 省部级副职
  'province-chief', // 省部级正职
] as const;
export type PositionLevel = (typeof POSITION_LEVELS)[number];

export const REVIEW_GRADES = [
  'excellent', // 优秀
  'competent', // 称职
  'basically-competent', // 基本称职
  'incompetent', // 不称职
] as const;
export type ReviewGrade = (typeof REVIEW_GRADES)[number];

export const UNIT_GRADES = ['excellent', 'good', 'average', 'poor'] as const; // 优秀 良好 一般 较差
export type UnitGrade = (typeof UNIT_GRADES)[number];

export const COMMENDATION_LEVELS = ['national', 'provincial', 'municipal', 'county'] as const;
export type CommendationLevel = (typeof COMMENDATION_LEVELS)[number];

export const COMMENDATION_KINDS = [
  'merit-first-class', // 一等功
  'merit-second-class', // 二等功
  'merit-third-class', // 三等功
  'citation', // 嘉奖
  'honour-title', // 荣誉称号
  'public-praise', // 通报表扬
] as const;
export type CommendationKind = (typeof COMMENDATION_KINDS)[number];

export const TALK_KINDS = [
  'reminder', // 提醒谈话
  'admonition', // 约谈
] as const;
export type TalkKind = (typeof TALK_KINDS)[number];

/** Who held a talk (API.md, "Who took a measure, who decided it, who held a talk"). */
export const TALK_HOLDERS = [
  'organization-department-head', // 组织部长
  'discipline-commission', // 纪委监委
  'unit-principal', // 单位主要负责同志
  'other',
] as const;
export type TalkHolder = (typeof TALK_HOLDERS)[number];

export const PARTY_SANCTIONS = [
  'warning', // 警告
  'serious-warning', // 严重警告
  'removal-from-party-post', // 撤销党内职务
  'probation', // 留党察看
  'expulsion', // 开除党籍
] as const;
export const ADMINISTRATIVE_SANCTIONS = [
  'warning', // 警告
  'demerit', // 记过
  'major-demerit', // 记大过
  'downgrade', // 降级
  'dismissal', // 撤职
  'expulsion', // 开除
] as const;
export const SANCTION_SYSTEMS = ['party', 'administrative'] as const; // 党纪, 政务
export type SanctionSystem = (typeof SANCTION_SYSTEMS)[number];
export type PartySanctionKind = (typeof PARTY_SANCTIONS)[number];
export type AdministrativeSanctionKind = (typeof ADMINISTRATIVE_SANCTIONS)[number];
export type SanctionKind = PartySanctionKind | AdministrativeSanctionKind;
export const SANCTION_KINDS_BY_SYSTEM: Record<SanctionSystem, readonly string[]> = {
  party: PARTY_SANCTIONS,
  administrative: ADMINISTRATIVE_SANCTIONS,
};
/** 留党察看 lasts one or two years. */
export const PROBATION_MONTHS = [12, 24] as const;

export const TOLERANCE_INITIATORS = ['applicant', 'authority'] as const;
export type ToleranceInitiator = (typeof TOLERANCE_INITIATORS)[number];

export const TOLERANCE_OUTCOMES = [
  'exempted', // 免责
  'mitigated', // 减责 (从轻/减轻)
  'rejected', // 不予容错
] as const;
export type ToleranceOutcome = (typeof TOLERANCE_OUTCOMES)[number];

export const FILING_BODIES = ['discipline-commission', 'organization-department'] as const;
export type FilingBody = (typeof FILING_BODIES)[number];

export const ADJUSTMENT_KINDS = [
  'transfer-out', // 调离岗位
  'non-leadership', // 改任非领导职务
  'removal', // 免职
  'demotion', // 降职
] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export const CLEARANCE_FINDINGS = [
  'unfounded', // 查无实据
  'false-accusation', // 诬告
] as const;
export type ClearanceFinding = (typeof CLEARANCE_FINDINGS)[number];

/** Review-trigger kinds of RULEBOOK.md; an adjustment may name the one that prompted it. */
export const REVIEW_TRIGGER_KINDS = [
  'caution-required',
  'demote-one-level',
  'dismissal-review',
  'unit-assessment-principal',
  'democratic-evaluation',
  'annual-review',
  'reminder-talk-required',
  'caution-talk-required',
  'organizational-handling',
  'admonished-twice',
  // 陕西 能上能下办法 第六–十三条
  'nsx-6-1', 'nsx-6-2', 'nsx-6-3', 'nsx-6-4',
  'nsx-7-disunity', 'nsx-7-long-ineffective', 'nsx-7-low-satisfaction', 'nsx-7-lax-self-discipline', 'nsx-7-negative-after-talk',
  'nsx-8-4', 'nsx-9-1', 'nsx-9-2', 'nsx-10-1', 'nsx-10-2', 'nsx-10-3', 'nsx-10-4', 'nsx-11-1', 'nsx-11-2',
  'nsx-12-1', 'nsx-12-2', 'nsx-13-1', 'nsx-13-2',
  // 张家界 措施5, 工作落实
  'organizational-adjustment',
  'written-self-criticism',
  'admonition-required',
] as const;
export type ReviewTriggerKind = (typeof REVIEW_TRIGGER_KINDS)[number];

/** 干部管理权限: which level's party committee manages the cadre (API.md, "Additions of 2026-12"). */
export const MANAGED_BY = [
  'central', // 中管
  'provincial', // 省管
  'municipal', // 市管
  'county', // 县管
] as const;
export type ManagedBy = (typeof MANAGED_BY)[number];

/** 分管领域: what a leading cadre is in charge of. */
export const PORTFOLIOS = [
  'party-building',
  'ideology',
  'safety',
  'food-drug-safety',
  'ecology',
  'poverty-alleviation',
  'stability',
  'economy',
  'other',
] as const;
export type Portfolio = (typeof PORTFOLIOS)[number];

/** What a commendation was for (陕西 鼓励激励办法 第七条(四) names five fields). */
export const COMMENDATION_FIELDS = ['party-building', 'poverty-alleviation', 'ecology', 'safety', 'stability', 'other'] as const;
export type CommendationField = (typeof COMMENDATION_FIELDS)[number];

/** Who awarded it: 党中央、国务院; 省委、省政府; or anyone else (a department, a city). */
export const AWARDED_BY = ['central-committee-or-state-council', 'provincial-committee-or-government', 'other'] as const;
export type AwardedBy = (typeof AWARDED_BY)[number];

/**
 * What a verdict's `notes` may say it assumed or could not judge (API.md, "Verdict additions";
 * `talk-holder-unknown` from 2026-12b: a talk whose holder was not recorded was taken to answer).
 */
export const VERDICT_NOTE_KINDS = ['managed-by-assumed', 'unit-not-registered', 'no-rule-for-date', 'local-rules-not-held', 'commendation-scope-assumed', 'talk-holder-unknown'] as const;
export type VerdictNoteKind = (typeof VERDICT_NOTE_KINDS)[number];

/** `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$` (API.md, "Conventions"). */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const MAX_DOCUMENT_REF_LENGTH = 200;
export const MAX_NOTE_LENGTH = 2000;

export interface Position {
  title: string;
  level: PositionLevel;
  leadership: boolean;
  /** 主要负责同志 of the unit. */
  principal: boolean;
  /** 分管领域 of a deputy (or a principal's own charge). */
  portfolios?: Portfolio[];
  /** 党委(党组)书记 of the unit. */
  partySecretary?: boolean;
}

/**
 * A registered unit's level (API.md, "Units are registered"): 省级, 市(区), 县(市、区), 乡镇(街道),
 * or a department (部门) of the level of its parent unit.
 */
export const UNIT_LEVELS = ['province', 'city', 'county', 'township', 'department'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** 通报批评 or 批评 by whom (陕西 能上能下办法 第六、十、十一、十二条). */
export const CRITICISED_BY = [
  'central-organization-department', // 中组部
  'central-propaganda-department', // 中宣部
  'central-committee-or-state-council', // 党中央、国务院
  'provincial-committee', // 省委
  'provincial-committee-or-government', // 省委、省政府
] as const;
export type CriticisedBy = (typeof CRITICISED_BY)[number];

/** Accident and incident grades: 一般, 较大, 重大, 特别重大 (in this order). */
export const INCIDENT_LEVELS = ['ordinary', 'relatively-major', 'major', 'especially-major'] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];

/**
 * The findings the 能下 situations are judged on (API.md, "Findings"): each category, the kinds
 * it allows, and the extra fields a finding of it may carry. `leadership-review` is the one
 * category recorded on a cadre; the others are recorded on a unit.
 */
export const FINDING_CATEGORIES = {
  'party-building': { on: 'unit', kinds: ['irregular-appointments', 'weak-party-organization', 'ideological-misdirection', 'rectification-failure'], fields: ['criticisedBy', 'cadreIds'] },
  'leadership-review': { on: 'cadre', kinds: ['disunity', 'long-ineffective', 'low-satisfaction', 'lax-self-discipline', 'negative-after-talk'], fields: [] },
  'national-evaluation': { on: 'unit', kinds: ['last-tier', 'bottom-five'], fields: ['year', 'cadreIds'] },
  'county-monitoring': { on: 'unit', kinds: ['rank-drop-top3', 'largest-rank-drop', 'bottom-three-indicators', 'last-indicators'], fields: ['year'] },
  'poverty-alleviation': { on: 'unit', kinds: ['plan-not-met', 'criticised', 'poor-grade', 'falsified'], fields: ['year', 'criticisedBy', 'cadreIds'] },
  ecology: { on: 'unit', kinds: ['criticised', 'mishandled'], fields: ['criticisedBy', 'cadreIds'] },
  safety: { on: 'unit', kinds: ['production-accident', 'food-drug-accident', 'criticised'], fields: ['level', 'criticisedBy', 'cadreIds'] },
  stability: { on: 'unit', kinds: ['mass-incident', 'public-security-incident', 'priority-rectification-unit'], fields: ['level', 'year', 'cadreIds'] },
  'implementation-ranking': { on: 'unit', kinds: ['bottom-two', 'last-in-province'], fields: ['year', 'cadreIds'] },
  'performance-evaluation': { on: 'unit', kinds: ['failed'], fields: ['year', 'cadreIds'] },
} as const satisfies Record<string, { on: 'unit' | 'cadre'; kinds: readonly string[]; fields: readonly FindingField[] }>;
export type FindingCategory = keyof typeof FINDING_CATEGORIES;
export type FindingField = 'year' | 'criticisedBy' | 'level' | 'cadreIds';
export const UNIT_FINDING_CATEGORIES = (Object.keys(FINDING_CATEGORIES) as FindingCategory[]).filter((c) => FINDING_CATEGORIES[c].on === 'unit');
export const CADRE_FINDING_CATEGORIES = (Object.keys(FINDING_CATEGORIES) as FindingCategory[]).filter((c) => FINDING_CATEGORIES[c].on === 'cadre');
export const FINDING_KINDS = [...new Set(Object.values(FINDING_CATEGORIES).flatMap((c) => c.kinds as readonly string[]))];
