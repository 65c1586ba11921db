/**
 * @cadre-ledger/policy: rule sets as dated, cited data, and `evaluate`. Pure: it parses the text of
 * rule-set files it is given; reading them from disk is an adapter's job
 * (`@cadre-ledger/platform/rule-book`).
 *
 * Public surface:
 * - `loadRuleBook(versionSources, jurisdictionsSource)` → `RuleBook` (throws `RuleBookError` listing every problem);
 * - `evaluate(ruleBook, history, {asOf, knownAt})` → `Verdict` (the shape of API.md);
 * - `policyPortFor(ruleBook, history, knownAt)` → the `PolicyPort` the deciders ask;
 * - `promotionConflicts(ruleBook, history, knownAt)` → the 选人用人 audit's (promotion, lock) pairs.
 */
export { loadRuleBook, RuleBookError, type RuleSource } from './loader';
export { RuleBook, type Rule, type RuleSetVersion, type SourceQuality } from './rule-book';
export { evaluate, explain, EvaluationInputError, type Explanation } from './evaluate/evaluate';
export { policyPortFor, rulesOnlyPolicyPort, CONSULTATION_REQUIRED } from './policy-port';
export { promotionConflicts, type PromotionConflict } from './conflicts';
export type { Verdict, VerdictLock, VerdictEntry, NeutralisedFact, EvaluationTime } from './verdict';
export { SOURCE_QUALITIES } from './schema';
export { catalogueMarkdown, catalogueRows, describeEffect, type CatalogueRow } from './catalogue';
export type { VerdictNote } from './verdict';
