import type {
  ADJUSTMENT_KINDS,
  ADMINISTRATIVE_SANCTIONS,
  AWARDED_BY,
  COMMENDATION_FIELDS,
  COMMENDATION_KINDS,
  COMMENDATION_LEVELS,
  MANAGED_BY,
  PARTY_SANCTIONS,
  PORTFOLIOS,
  POSITION_LEVELS,
  REVIEW_GRADES,
  SANCTION_SYSTEMS,
  TALK_HOLDERS,
  TALK_KINDS,
  TOLERANCE_OUTCOMES,
  UNIT_GRADES,
  UNIT_LEVELS,
  VERDICT_NOTE_KINDS,
} from './vocabulary';
import type { LedgerEventType } from '../events';

/**
 * The Chinese names of the API's enumerations, as HR departments write them (spreadsheets, the
 * dashboard, the dossier, Chinese messages). Typed by the vocabularies: a new code without its
 * Chinese name does not compile.
 */
type Labels<T extends readonly string[]> = Record<T[number], string>;

export const ZH = {
  positionLevel: {
    'township-deputy': '乡科级副职',
    'township-chief': '乡科级正职',
    'county-deputy': '县处级副职',
    'county-chief': '县处级正职',
    'bureau-deputy': '厅局级副职',
    'bureau-chief': '厅局级正职',
    'province-deputy': '省部级副职',
    'province-chief': '省部级正职',
  } satisfies Labels<typeof POSITION_LEVELS>,
  reviewGrade: { excellent: '优秀', competent: '称职', 'basically-competent': '基本称职', incompetent: '不称职' } satisfies Labels<typeof REVIEW_GRADES>,
  unitGrade: { excellent: '优秀', good: '良好', average: '一般', poor: '较差' } satisfies Labels<typeof UNIT_GRADES>,
  commendationLevel: { national: '国家级', provincial: '省级', municipal: '市级', county: '县级' } satisfies Labels<typeof COMMENDATION_LEVELS>,
  commendationKind: {
    'merit-first-class': '一等功',
    'merit-second-class': '二等功',
    'merit-third-class': '三等功',
    citation: '嘉奖',
    'honour-title': '荣誉称号',
    'public-praise': '通报表扬',
  } satisfies Labels<typeof COMMENDATION_KINDS>,
  commendationField: { 'party-building': '党的建设', 'poverty-alleviation': '脱贫攻坚', ecology: '生态环保', safety: '安全生产', stability: '综治维稳', other: '其他' } satisfies Labels<typeof COMMENDATION_FIELDS>,
  awardedBy: { 'central-committee-or-state-council': '党中央、国务院', 'provincial-committee-or-government': '省委、省政府', other: '其他' } satisfies Labels<typeof AWARDED_BY>,
  talkKind: { reminder: '提醒谈话', admonition: '约谈' } satisfies Labels<typeof TALK_KINDS>,
  talkHolder: { 'organization-department-head': '组织部长', 'discipline-commission': '纪委监委', 'unit-principal': '单位主要负责同志', other: '其他' } satisfies Labels<typeof TALK_HOLDERS>,
  sanctionSystem: { party: '党纪', administrative: '政务' } satisfies Labels<typeof SANCTION_SYSTEMS>,
  partySanction: { warning: '警告', 'serious-warning': '严重警告', 'removal-from-party-post': '撤销党内职务', probation: '留党察看', expulsion: '开除党籍' } satisfies Labels<typeof PARTY_SANCTIONS>,
  administrativeSanction: { warning: '警告', demerit: '记过', 'major-demerit': '记大过', downgrade: '降级', dismissal: '撤职', expulsion: '开除' } satisfies Labels<typeof ADMINISTRATIVE_SANCTIONS>,
  adjustmentKind: { 'transfer-out': '调离岗位', 'non-leadership': '改任非领导职务', removal: '免职', demotion: '降职' } satisfies Labels<typeof ADJUSTMENT_KINDS>,
  managedBy: { central: '中管', provincial: '省管', municipal: '市管', county: '县管' } satisfies Labels<typeof MANAGED_BY>,
  portfolio: {
    'party-building': '党建',
    ideology: '意识形态',
    safety: '安全生产',
    'food-drug-safety': '食品药品安全',
    ecology: '生态环保',
    'poverty-alleviation': '脱贫攻坚',
    stability: '综治维稳',
    economy: '经济',
    other: '其他',
  } satisfies Labels<typeof PORTFOLIOS>,
  unitLevel: { province: '省级', city: '市(区)', county: '县(市、区)', township: '乡镇(街道)', department: '部门' } satisfies Labels<typeof UNIT_LEVELS>,
  verdictNote: {
    'managed-by-assumed': '管理权限未登记,按适用情形推定',
    'unit-not-registered': '单位未登记,无法按单位层级判断',
    'no-rule-for-date': '事实发生时无已编码的规定',
    'local-rules-not-held': '适用本地配套办法,其文本未收录',
    'commendation-scope-assumed': '表彰领域或授予机关未登记,按符合推定',
    'talk-holder-unknown': '谈话人未登记,按符合推定',
  } satisfies Labels<typeof VERDICT_NOTE_KINDS>,
  /** The conditions rule sets attach to a verdict (rule data names them; a test checks each has a name here). */
  condition: {
    'impact-may-still-apply': '影响期满后仍可能影响使用',
    'consultation-required': '提拔前须征求上一级组织人事部门意见',
    'qualities-to-confirm': '须由组织部门确认的条件(本台账无法判断)',
  } as Record<string, string>,
  toleranceOutcome: { exempted: '免责', mitigated: '减责', rejected: '不予容错' } satisfies Labels<typeof TOLERANCE_OUTCOMES>,
  eventType: {
    CadreRegistered: '登记',
    CadreTransferred: '调任',
    CadrePromoted: '提拔',
    EntryRetracted: '撤回错误记录',
    InfluencePeriodEnded: '影响期届满',
    ConflictDetected: '发现影响期内提拔',
    ConflictResolved: '影响期内提拔已消除',
    AnnualReviewRecorded: '年度考核',
    CommendationIssued: '表彰奖励',
    CautionIssued: '诫勉',
    TalkHeld: '谈话',
    SanctionImposed: '处分',
    InvestigationOpened: '立案审查调查',
    InvestigationClosed: '审查调查结束',
    ToleranceRequested: '容错申请',
    ToleranceInvestigated: '容错核实',
    ToleranceDecided: '容错认定',
    ToleranceNotified: '容错反馈',
    ToleranceFiled: '容错报备',
    AllegationCleared: '澄清正名',
    CadreAdjusted: '调整(能下)',
    UnitAssessmentRecorded: '单位考核',
    UnitRegistered: '单位登记',
    UnitFindingRecorded: '单位问题认定',
    CadreFindingRecorded: '班子考察问题认定',
    AdjustmentReported: '调整报告',
    AdjustmentReviewed: '调整审核',
    AdjustmentApproved: '调整报批',
    AdjustmentTalkHeld: '调整谈话',
    UnitQuotaSet: '优秀等次名额',
    ExcellenceQuotaClaimed: '占用优秀名额',
    ExcellenceQuotaReleased: '退还优秀名额',
  } satisfies Record<LedgerEventType, string>,
} as const;

/**
 * A lock's kind in Chinese (API.md, "The eligibility verdict": an adjustment kind, `caution`,
 * `investigation`, `annual-review`, `party-<kind>`, `administrative-<kind>`); the code itself for
 * a kind a newer rule set may add.
 */
export function lockKindZh(kind: string): string {
  if (kind in ZH.adjustmentKind) return ZH.adjustmentKind[kind as keyof typeof ZH.adjustmentKind];
  if (kind === 'caution') return '诫勉';
  if (kind === 'investigation') return '立案审查调查';
  if (kind === 'annual-review') return '年度考核基本称职或不称职';
  const sanction = /^(party|administrative)-(.+)$/.exec(kind);
  if (sanction) {
    const labels: Record<string, string> = sanction[1] === 'party' ? ZH.partySanction : ZH.administrativeSanction;
    if (sanction[2] in labels) return `${ZH.sanctionSystem[sanction[1] as 'party' | 'administrative']}${labels[sanction[2]]}`;
  }
  return kind;
}

/** Every lock kind the vocabularies can produce, with its Chinese name (the dashboard's labels). */
export function lockKindLabels(): Record<string, string> {
  const kinds = [
    ...Object.keys(ZH.adjustmentKind),
    'caution',
    'investigation',
    'annual-review',
    ...Object.keys(ZH.partySanction).map((k) => `party-${k}`),
    ...Object.keys(ZH.administrativeSanction).map((k) => `administrative-${k}`),
  ];
  return Object.fromEntries(kinds.map((kind) => [kind, lockKindZh(kind)]));
}
