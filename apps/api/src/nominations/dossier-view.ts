import type { Dossier, DossierCandidate, DossierClause, DossierEffect } from '@cadre-ledger/application';
import { lockKindZh, ZH } from '@cadre-ledger/domain';

/**
 * What a printed dossier says, in Chinese, shared by its HTML and its PDF: the header, each
 * candidate's lines, each clause's effects and facts. The renderers only lay it out.
 */

export const DOSSIER_TITLE = '干部提名审查材料';

const EFFECT_ZH: Record<DossierEffect['effect'], string> = {
  lock: '影响期',
  condition: '提拔条件',
  'review-trigger': '调整情形',
  priority: '优先情形',
  benefit: '激励措施',
  exclusion: '评先评优限制',
};

export function headerLine(dossier: Dossier): string {
  return `${DOSSIER_TITLE} · ${dossier.purpose ?? '提名审查'} · 审查日期 ${dossier.asOf}`;
}

/** The lines under the title: purpose, dates, who drew it up, the proposed post. */
export function metaLines(dossier: Dossier): string[] {
  const post = dossier.proposedPosition;
  const title = post && typeof post.title === 'string' ? post.title : null;
  const level = post && typeof post.level === 'string' ? ((ZH.positionLevel as Record<string, string>)[post.level] ?? post.level) : null;
  return [
    `用途:${dossier.purpose ?? '(未填写)'}`,
    ...(title || level ? [`拟任职务:${[title, level].filter(Boolean).join(',')}`] : []),
    `审查日期(依据该日已生效的事实):${dossier.asOf}`,
    `记录截至:${dossier.knownAt}`,
    `生成:${dossier.generatedAt},${dossier.generatedBy}`,
    `候选人:${dossier.candidates.length} 名(逐人说明适用条款)`,
  ];
}

export function candidateHeading(candidate: DossierCandidate, index: number): string {
  return `${index + 1}. ${candidate.name}(${candidate.cadreId})`;
}

export function candidateLines(candidate: DossierCandidate): string[] {
  const p = candidate.position;
  const position = p ? `${p.title ?? ''}${p.level ? `(${(ZH.positionLevel as Record<string, string>)[p.level] ?? p.level})` : ''}` : '(无现任职务)';
  return [`单位:${candidate.unitId};现任:${position}`, `结论:${candidate.promotable ? '可以提名' : '不得提拔'}`];
}

export function clauseHeading(clause: DossierClause): string {
  return `${clause.ruleId} 《${clause.document}》${clause.article}`;
}

export function effectLine(effect: DossierEffect): string {
  const kind = effect.effect === 'lock' ? lockKindZh(effect.kind) : effect.kind;
  const until = effect.until === undefined ? '' : effect.until === null ? ',期限未定' : `,至 ${effect.until} 前`;
  return `${EFFECT_ZH[effect.effect]}:${kind},自 ${effect.from}${until}`;
}

export function factLine(fact: DossierClause['facts'][number]): string {
  return `依据事实:${fact.typeZh},${fact.effectiveAt} 生效,文号 ${fact.documentRef ?? '(未记录)'}`;
}

export function noteLines(candidate: DossierCandidate): string[] {
  return candidate.verdict.notes.map((n) => `说明(${n.kind}):${n.text}`);
}

export const NO_CLAUSE = '无适用条款:截至审查日期,记录中没有产生影响期、条件、调整情形或优先情形的事实。';
