import { unitIdOfStream, type Citation } from '@cadre-ledger/domain';
import type { Verdict } from '@cadre-ledger/policy';
import { table } from '../output';
import { columns, t } from '../lang';
import type { Replay, TimelineEffect, TimelineEntry } from '@cadre-ledger/application';

/** `《document》article「text」`: the clause as a nomination would quote it. */
export const quote = (c: Citation): string => `《${c.document}》${c.article}「${c.text}」`;

const period = (from: string, until: string | null | undefined) =>
  until === undefined ? t('since', from) : until === null ? `${from} → ${t('openEnded')}` : `${from} → ${until}`;

function effectLines(effect: TimelineEffect): string[] {
  const state = effect.holds ? t('holds') : t('ended');
  return [`${effect.effect} ${effect.kind} · ${effect.ruleId} [${effect.ruleSet}] · ${period(effect.from, effect.until)} · ${state}`, `  ${quote(effect.citation)}`];
}

/** The gist of a fact's data for a table cell; `--json` has all of it. */
export function describe(entry: TimelineEntry): string {
  const d = entry.data as Record<string, unknown>;
  const position = (p: unknown) => (p && typeof p === 'object' ? `${(p as { title: string }).title} (${(p as { level: string }).level})` : '');
  const parts: string[] = [entry.type];
  switch (entry.type) {
    case 'CadreRegistered':
      parts.push(`${String(d.name)} · ${String(d.jurisdiction)} · ${String(d.unitId)} · ${position(d.position)}`);
      break;
    case 'CadreTransferred':
      parts.push(`→ ${String(d.unitId)} · ${position(d.position)}`);
      break;
    case 'CadrePromoted':
      parts.push(`→ ${position(d.newPosition)}`);
      break;
    case 'CadreAdjusted':
      parts.push(`${String(d.kind)}${d.newPosition ? ` → ${position(d.newPosition)}` : ''}`);
      break;
    default:
      for (const [key, value] of Object.entries(d)) {
        if (key === 'note' || typeof value === 'object') continue;
        parts.push(`${key}=${String(value)}`);
      }
  }
  if (unitIdOfStream(entry.stream) !== undefined) parts.push(`(${entry.stream})`);
  if (entry.neutralisedBy) parts.push(`[${entry.neutralisedBy.outcome} by ${entry.neutralisedBy.eventId}]`);
  return parts.join('\n');
}

export function renderReplay(replay: Replay): string {
  const timeline = table(columns('replayColumns'));
  replay.timeline.forEach((entry, index) => {
    const effects = entry.effects.flatMap(effectLines).join('\n') || '—';
    timeline.push([String(index + 1), entry.effectiveAt, entry.recordedAt, describe(entry), entry.actor, entry.documentRef ?? '—', effects]);
  });
  const header = t('replayHeader', replay.cadreId, replay.asOf, replay.knownAt);
  const later = replay.laterFacts > 0 ? `\n${t('laterFacts', replay.laterFacts, replay.asOf)}` : '';
  return `${header}\n${timeline.toString()}${later}\n\n${renderVerdict(replay.verdict)}\n`;
}

export function renderVerdict(v: Verdict): string {
  const out = table(t('verdictColumns', v.asOf).split('|'));
  out.push([t('promotable'), v.promotable ? t('yes') : t('no')]);
  out.push([t('ruleSets'), v.ruleSets.join(', ') || '—']);
  const rows: [string, string[]][] = [
    [t('locks'), v.locks.map((l) => `${l.kind} · ${l.ruleId} · ${period(l.from, l.until)}\n  ${quote(l.citation)}`)],
    [t('priorities'), v.priorities.map((e) => `${e.kind} · ${e.ruleId} · ${period(e.since, e.until)}\n  ${quote(e.citation)}`)],
    [t('reviewTriggers'), v.reviewTriggers.map((e) => `${e.kind} · ${e.ruleId} · ${period(e.since, e.until)}\n  ${quote(e.citation)}`)],
    [t('conditions'), v.conditions.map((e) => `${e.kind} · ${e.ruleId} · ${period(e.since, e.until)}\n  ${quote(e.citation)}`)],
    [t('benefits'), v.benefits.map((e) => `${e.kind} · ${e.ruleId} · ${period(e.since, e.until)}\n  ${quote(e.citation)}`)],
  ];
  for (const [label, lines] of rows) out.push([label, lines.join('\n') || '—']);
  return out.toString();
}
