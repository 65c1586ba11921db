import { z } from 'zod';
import {
  ADJUSTMENT_KINDS,
  AWARDED_BY,
  COMMENDATION_FIELDS,
  COMMENDATION_KINDS,
  MANAGED_BY,
  COMMENDATION_LEVELS,
  REVIEW_GRADES,
  SANCTION_SYSTEMS,
  TALK_HOLDERS,
  TALK_KINDS,
  UNIT_GRADES,
  TOLERANCE_OUTCOMES,
  isLocalDate,
  CRITICISED_BY,
  FINDING_CATEGORIES,
  INCIDENT_LEVELS,
  PORTFOLIOS,
  UNIT_FINDING_CATEGORIES,
} from '@cadre-ledger/domain';

/**
 * The shape of a rule-set version file (libs/policy/rulesets/*.yaml). Every rule is a template
 * from a small vocabulary (`when` says which facts it reads, `effect` what it produces), with the
 * clause it encodes quoted beside it, so that an answer can always name its rule and its text.
 */

const localDate = z.custom<string>((v) => isLocalDate(v), { message: 'expected a YYYY-MM-DD date' });
const name = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case name');
const positiveInt = z.number().int().positive();
const nonEmpty = <T extends z.ZodTypeAny>(item: T) => z.array(item).nonempty();

export const SOURCE_QUALITIES = ['verbatim', 'reprint', 'secondary', 'unverified'] as const;

export const citationSchema = z
  .object({ document: z.string().min(1), article: z.string().min(1), text: z.string().min(1) })
  .strict();

const reviewMatcher = z
  .object({
    fact: z.literal('AnnualReviewRecorded'),
    grades: nonEmpty(z.enum(REVIEW_GRADES)).optional(),
    /** The reviews of this many consecutive calendar years, ending with this one, all match. */
    runningYears: positiveInt.optional(),
    unfavourableVoteShareAtLeast: z.number().min(0).max(1).optional(),
  })
  .strict();

/**
 * A unit's level as a rule reads it: its registered level, and for a department the level of its
 * parent (`province-department` is a 省级部门).
 */
export const RULE_UNIT_LEVELS = ['province', 'city', 'county', 'township', 'province-department', 'city-department', 'county-department', 'township-department'] as const;
export type RuleUnitLevel = (typeof RULE_UNIT_LEVELS)[number];

const unitAssessmentMatcher = z
  .object({
    fact: z.literal('UnitAssessmentRecorded'),
    grades: nonEmpty(z.enum(UNIT_GRADES)),
    runningYears: positiveInt.optional(),
    /** The cadre is the unit's principal (主要负责同志) on the date of each assessment of the run. */
    principal: z.boolean().optional(),
    /** The unit's level (陕西 第七条(二): 市(区) and 省直部门); an unregistered unit matches none, and the verdict says so. */
    unitLevels: nonEmpty(z.enum(RULE_UNIT_LEVELS)).optional(),
  })
  .strict();

const sanctionMatcher = z
  .object({ fact: z.literal('SanctionImposed'), system: z.enum(SANCTION_SYSTEMS), kinds: nonEmpty(z.string()) })
  .strict();

const talkMatcher = z
  .object({
    fact: z.literal('TalkHeld'),
    kinds: nonEmpty(z.enum(TALK_KINDS)),
    /** At least `count` such talks (this one included) within `withinMonths` months. */
    atLeast: z.object({ count: positiveInt, withinMonths: positiveInt }).strict().optional(),
    /** Only talks held while the cadre was a unit's principal count (this one and the earlier ones). */
    principal: z.boolean().optional(),
  })
  .strict();

const commendationMatcher = z
  .object({
    fact: z.literal('CommendationIssued'),
    levels: nonEmpty(z.enum(COMMENDATION_LEVELS)).optional(),
    kinds: nonEmpty(z.enum(COMMENDATION_KINDS)).optional(),
    /** What it was for; a commendation recorded without `field` is taken to match, with a note. */
    fields: nonEmpty(z.enum(COMMENDATION_FIELDS)).optional(),
    /** Who awarded it; a commendation recorded without `awardedBy` is taken to match, with a note. */
    awardedBy: nonEmpty(z.enum(AWARDED_BY)).optional(),
  })
  .strict();

const adjustmentMatcher = z
  .object({ fact: z.literal('CadreAdjusted'), kinds: nonEmpty(z.enum(ADJUSTMENT_KINDS)) })
  .strict();

/**
 * Who a unit finding concerns, as the articles name them: the unit's principal (主要负责人); its
 * 党委(党组)书记 (the cadre with `partySecretary`, or the principal where none is recorded); both
 * (党政主要领导干部); the 分管领导干部 whose portfolios include `portfolio`; the cadres the finding
 * names (有关领导干部, `cadreIds`).
 */
export const CONCERNED = ['principal', 'secretary', 'party-government-principal', 'portfolio', 'named'] as const;
export type Concerned = (typeof CONCERNED)[number];

const unitFindingMatcher = z
  .object({
    fact: z.literal('UnitFindingRecorded'),
    category: z.enum(UNIT_FINDING_CATEGORIES as [string, ...string[]]),
    kinds: nonEmpty(z.string()),
    concerned: nonEmpty(z.enum(CONCERNED)),
    /** For `concerned: portfolio`: the 分管领域 that makes a deputy concerned. */
    portfolio: z.enum(PORTFOLIOS).optional(),
    /** The finding must say it was criticised by one of these. */
    criticisedBy: nonEmpty(z.enum(CRITICISED_BY)).optional(),
    /** The unit's level; an unregistered unit matches none, and the verdict says so. */
    unitLevels: nonEmpty(z.enum(RULE_UNIT_LEVELS)).optional(),
    /** The finding's grade (accidents, incidents) is one of these. */
    levels: nonEmpty(z.enum(INCIDENT_LEVELS)).optional(),
    /** At least `count` such findings of the unit dated after D − N months and on or before D (D: this one's date). */
    atLeast: z.object({ count: positiveInt, withinMonths: positiveInt }).strict().optional(),
    /** Such findings in each of N consecutive years ending with this one's (`year`, or the year of its date). */
    runningYears: positiveInt.optional(),
  })
  .strict(); // kinds of the category, and portfolio with `concerned: portfolio`: checked by the loader

const cadreFindingMatcher = z
  .object({ fact: z.literal('CadreFindingRecorded'), category: z.literal('leadership-review'), kinds: nonEmpty(z.enum(FINDING_CATEGORIES['leadership-review'].kinds)) })
  .strict();

export const matcherSchema = z.discriminatedUnion('fact', [
  reviewMatcher,
  unitAssessmentMatcher,
  sanctionMatcher,
  talkMatcher,
  commendationMatcher,
  adjustmentMatcher,
  z.object({ fact: z.literal('CautionIssued') }).strict(),
  z.object({ fact: z.literal('InvestigationOpened') }).strict(),
  unitFindingMatcher,
  cadreFindingMatcher,
]);
export type Matcher = z.infer<typeof matcherSchema>;

const lockDuration = z.union([
  /** N calendar months from the fact's date, plus the months named in a data field (留党察看). */
  z.object({ months: positiveInt, plusDataMonths: z.literal('probationMonths').optional() }).strict(),
  z.object({ permanent: z.literal(true) }).strict(),
  /** Until the matching InvestigationClosed (open-ended before it). */
  z.object({ untilInvestigationClosed: z.literal(true) }).strict(),
  /** Until 1 January of (review year + N). */
  z.object({ untilYearStartAfterReviewYear: positiveInt }).strict(),
]);

const lockEffect = z
  .object({
    kind: z.literal('lock'),
    /** The lock kind of API.md, or `{fromData: kind}` for the adjustment's own kind. */
    lock: z.union([name, z.object({ fromData: z.literal('kind') }).strict()]),
    duration: lockDuration,
  })
  .strict();

const priorityEffect = z
  .object({
    kind: z.literal('priority'),
    priority: name,
    /** Omitted for streaks: then it holds until a later review breaks the streak. */
    duration: z.object({ months: positiveInt }).strict().optional(),
  })
  .strict();

const benefitEffect = z
  .object({ kind: z.literal('benefit'), benefit: name, duration: z.object({ months: positiveInt }).strict() })
  .strict();

/**
 * A talk that answers a trigger (工作落实 三(五) "由市委组织部长对单位主要负责同志进行约谈"): of these
 * kinds, held by one of `heldBy`; a talk recorded without its holder is taken to answer, with the
 * note `talk-holder-unknown`.
 */
export const talkAnswerSchema = z
  .object({ fact: z.literal('TalkHeld'), kinds: nonEmpty(z.enum(TALK_KINDS)), heldBy: nonEmpty(z.enum(TALK_HOLDERS)).optional() })
  .strict();
export type TalkAnswer = z.infer<typeof talkAnswerSchema>;

const triggerEffect = z
  .object({
    kind: z.literal('trigger'),
    trigger: name,
    /** A later fact of one of these types (or a talk as described) resolves it; none: it only lapses. */
    resolvedBy: z.array(z.union([z.enum(['CadreAdjusted', 'CautionIssued', 'TalkHeld']), talkAnswerSchema])),
    /** It lapses this many months after `since` if nothing resolves it first. */
    lapsesAfterMonths: positiveInt,
  })
  .strict();

/** A bar from 评先评优 for the year the fact is of (张家界 措施5 "取消当年评先评优资格"). */
const exclusionEffect = z.object({ kind: z.literal('exclusion'), exclusion: name }).strict();

const conditionEffect = z
  .object({
    kind: z.literal('condition'),
    condition: name,
    /** Which ended locks give rise to it: by lock kind, or by the rule that produced the lock ... */
    after: z
      .union([
        z.object({ lockKinds: nonEmpty(name) }).strict(),
        z.object({ lockRules: nonEmpty(z.string()) }).strict(),
      ])
      .optional(),
    /**
     * ... or which priorities it stands beside, for as long as they hold: what the clause granting
     * them also asks and the ledger cannot judge (陕西 第七条(一) "信念过硬……实绩突出").
     */
    beside: z.object({ priorityRules: nonEmpty(z.string()) }).strict().optional(),
    /** With `after` only. */
    duration: z
      .union([
        z.object({ months: positiveInt }).strict(),
        /** Until a promotion that carries this field (a consultation reference). */
        z.object({ untilPromotionWith: z.literal('consultationRef') }).strict(),
      ])
      .optional(),
  })
  .strict(); // exactly one of after (with duration) and beside (without): checked by the loader

const situationEffect = z
  .object({ kind: z.literal('tolerance-situation'), code: z.string().regex(/^[A-Z]+-\d+$/), title: z.string().min(1) })
  .strict();

const reliefEffect = z
  .object({
    kind: z.literal('tolerance-relief'),
    outcomes: nonEmpty(z.enum(TOLERANCE_OUTCOMES).exclude(['rejected'])),
  })
  .strict();

/**
 * The share of a unit's assessed headcount that may be graded 优秀 in a year (API.md, "Excellence
 * quotas, exactly"): `rate` normally, up to `cap` with a quotaOverrideRef (default: the rate).
 * `unitAssessed`: only when the unit's own assessment for that year has one of these grades.
 */
const quotaEffect = z
  .object({
    kind: z.literal('excellence-quota'),
    rate: z.number().positive().max(1),
    cap: z.number().positive().max(1).optional(),
    unitAssessed: nonEmpty(z.enum(UNIT_GRADES)).optional(),
  })
  .strict(); // cap ≥ rate: checked by the loader

export const effectSchema = z.discriminatedUnion('kind', [
  lockEffect,
  priorityEffect,
  benefitEffect,
  triggerEffect,
  exclusionEffect,
  conditionEffect,
  situationEffect,
  reliefEffect,
  quotaEffect,
]);
export type Effect = z.infer<typeof effectSchema>;

const sourceQuality = z.enum(SOURCE_QUALITIES);

/**
 * One dated span of a rule (OpenFisca-style): from `from` (inclusive) to `to` (exclusive, open
 * when omitted) the rule holds with this citation, and with this effect where the text changed it
 * (the 2003 条例's one-year serious warning before the 2015 条例's eighteen months).
 */
const periodSchema = z
  .object({
    from: localDate,
    to: localDate.optional(),
    effect: effectSchema.optional(),
    citation: citationSchema,
    sourceQuality,
    note: z.string().optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[A-Z][A-Z0-9-]*\/[A-Za-z0-9-]+$/, 'expected SET/ID, e.g. CN-SN/NSX-16b'),
    /** Which facts the rule reads; any one of them matching is enough. */
    when: z.union([matcherSchema, z.object({ anyOf: nonEmpty(matcherSchema) }).strict()]).optional(),
    effect: effectSchema,
    /** One citation for the rule's whole life ... */
    citation: citationSchema.optional(),
    sourceQuality: sourceQuality.optional(),
    /** ... from and to these dates (default: the version's) ... */
    effectiveFrom: localDate.optional(),
    effectiveTo: localDate.optional(),
    /** ... or dated periods, each with its own citation. */
    periods: nonEmpty(periodSchema).optional(),
    /** The cadres the text covers, by 干部管理权限 (陕西 能上能下办法 第二条: 省管 only). */
    appliesTo: z.object({ managedBy: nonEmpty(z.enum(MANAGED_BY)) }).strict().optional(),
    /** Rules this one switches off for the facts it covers (RULEBOOK.md, "Terms used below"). */
    overrides: nonEmpty(z.string()).optional(),
    /** Where the quote comes from, for a text not held. */
    source: z.string().optional(),
    /** What the encoding assumes where the text is silent (shown in the rule catalogue). */
    assumptions: nonEmpty(z.string()).optional(),
    note: z.string().optional(),
  })
  .strict();
export type RuleSpec = z.infer<typeof ruleSchema>;

/**
 * How a period of N months from D ends. `same-day` (the default): it ends (exclusive) on D + N
 * calendar months, clamped to the month's end, so a lock of 12 months from 2020-03-15 last holds on
 * 2021-03-14. `civil-code-201` reads 民法典 第二百零一条/第二百零二条 ("开始的当日不计入", "到期月的
 * 对应日为期间的最后一日"): D itself is not counted and D + N months is the last day, so it ends
 * (exclusive) one day later.
 */
export const PERIOD_END_CONVENTIONS = ['same-day', 'civil-code-201'] as const;
export type PeriodEndConvention = (typeof PERIOD_END_CONVENTIONS)[number];

export const ruleSetVersionSchema = z
  .object({
    ruleSet: z.string().regex(/^[A-Z][A-Z0-9-]*$/),
    version: z.string().regex(/^[A-Z][A-Z0-9-]*(-\d{4})?$/, 'expected SET or SET-YEAR, e.g. CN or CN-SN-2018'),
    title: z.string().min(1),
    effectiveFrom: localDate,
    /** Exclusive; null while in force. */
    effectiveTo: localDate.nullable(),
    parameters: z.object({ periodEnd: z.enum(PERIOD_END_CONVENTIONS).default('same-day') }).strict().optional(),
    notes: z.string().optional(),
    rules: z.array(ruleSchema),
  })
  .strict();
export type RuleSetVersionSpec = z.infer<typeof ruleSetVersionSchema>;

const chainSchema = nonEmpty(z.string());

/** jurisdictions.yaml: each jurisdiction's chain of rule sets, most specific first. */
export const jurisdictionsSchema = z
  .object({
    jurisdictions: z.record(
      z.string(),
      z.union([
        chainSchema,
        z
          .object({
            chain: chainSchema,
            localRulesNotHeld: nonEmpty(z.object({ managedBy: nonEmpty(z.enum(MANAGED_BY)), document: z.string().min(1) }).strict()).optional(),
          })
          .strict(),
      ]),
    ),
  })
  .strict();

/** documents.yaml: what rules may cite, and where the held ones are. */
export const documentsSchema = z
  .object({
    documents: z.array(
      z
        .object({
          title: z.string().min(1),
          file: z.string().min(1).optional(),
          startsAt: z.string().min(1).optional(),
          endsBefore: z.string().min(1).optional(),
          inForce: localDate.nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type DocumentSpec = z.infer<typeof documentsSchema>['documents'][number];
