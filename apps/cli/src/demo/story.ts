import type { Ledger } from '@cadre-ledger/application';
import { isDomainError, type CadreCommand, type Position, type Requested, type SanctionSystem } from '@cadre-ledger/domain';
import { Random } from './random';
import { CAUTION_REASONS, COMMENDATION_TITLES, FINDINGS_SUMMARIES, GIVEN_NAMES, LADDER, SURNAMES, TALK_REASONS, type DemoJurisdiction } from './vocabulary';

/** The last year the demo writes facts for: every date stays before any plausible "today". */
export const LAST_YEAR = 2025;

const pad = (n: number) => String(n).padStart(2, '0');

/** One cadre's career, written command by command through the ledger (so the deciders pass every fact). */
export class CadreStory {
  private readonly cadreId: string;
  private ladder: number;
  private unitId: string;
  private leadership = true;
  private hasPost = true;
  private lastPromotion: number;
  private lastGrade = 'competent';
  written = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly random: Random,
    private readonly jurisdiction: DemoJurisdiction,
    private readonly unitIds: string[],
    cadreId: string,
    private readonly startYear: number,
  ) {
    this.cadreId = cadreId;
    this.ladder = random.int(0, 3);
    this.unitId = random.pick(unitIds);
    this.lastPromotion = startYear;
  }

  async tell(): Promise<number> {
    const r = this.random;
    const name = r.pick(SURNAMES) + r.pick(GIVEN_NAMES);
    await this.organization('RegisterCadre', {
      cadreId: this.cadreId,
      name,
      unitId: this.unitId,
      jurisdiction: this.jurisdiction.code,
      position: this.position(),
      effectiveAt: this.date(this.startYear, r.int(1, 6)),
    }, this.startYear);
    for (let year = this.startYear + 1; year <= LAST_YEAR; year++) await this.year(year);
    return this.written;
  }

  private async year(year: number): Promise<void> {
    const r = this.random;
    const review = r.next();
    this.lastGrade = review < 0.22 ? 'excellent' : review < 0.92 ? 'competent' : review < 0.97 ? 'basically-competent' : 'incompetent';
    const reviewData: Record<string, unknown> = { year: year - 1, grade: this.lastGrade, effectiveAt: `${year}-01-${pad(r.int(10, 28))}` };
    if (this.lastGrade !== 'excellent' || r.chance(0.3)) reviewData.unfavourableVoteShare = Number((this.lastGrade === 'competent' ? r.next() * 0.2 : 0.2 + r.next() * 0.4).toFixed(2));
    await this.send('RecordAnnualReview', reviewData, this.jurisdiction.actors.assessment, this.ref('assessment', year));

    if (this.hasPost && year - this.lastPromotion >= 3 && this.ladder < LADDER.length - 1 && r.chance(0.45)) await this.tryPromotion(year);
    if (r.chance(0.15)) {
      await this.organization('IssueCommendation', { level: r.pick(['provincial', 'municipal', 'county'] as const), kind: r.pick(['citation', 'merit-third-class', 'public-praise', 'honour-title'] as const), title: r.pick(COMMENDATION_TITLES), effectiveAt: this.date(year, 4) }, year);
    }
    let talkId: string | undefined;
    if (r.chance(0.1)) talkId = await this.discipline('HoldTalk', { kind: r.pick(['reminder', 'admonition'] as const), reason: r.pick(TALK_REASONS), effectiveAt: this.date(year, 5) }, year);
    let covered: { id: string; sanction?: { system: SanctionSystem; kind: string } } | undefined;
    if (r.chance(0.05)) {
      covered = { id: await this.discipline('IssueCaution', { reason: r.pick(CAUTION_REASONS), effectiveAt: this.date(year, 6) }, year) };
    } else if (r.chance(0.04)) {
      covered = await this.sanction(year);
    }
    const tolerance = this.jurisdiction.tolerance;
    if (covered && tolerance && year >= tolerance.fromYear && r.chance(0.6)) await this.toleranceCase(year, covered, tolerance.codes);
    else if (talkId && r.chance(0.2)) await this.discipline('ClearAllegation', { covers: [talkId], finding: r.pick(['unfounded', 'false-accusation'] as const), effectiveAt: this.date(year, 12) }, year);
    if (this.hasPost && (this.lastGrade === 'incompetent' || (this.lastGrade === 'basically-competent' && r.chance(0.5)) || r.chance(0.02))) await this.adjustment(year);
    if (r.chance(0.08) && this.unitIds.length > 1) {
      this.unitId = r.pick(this.unitIds.filter((u) => u !== this.unitId));
      this.hasPost = true;
      this.leadership = true;
      await this.organization('TransferCadre', { unitId: this.unitId, position: this.position(), effectiveAt: this.date(year, 11) }, year);
    }
  }

  private async tryPromotion(year: number): Promise<void> {
    const effectiveAt = this.date(year, 3);
    this.ladder += 1;
    const data: Record<string, unknown> = { newPosition: this.position(), effectiveAt };
    try {
      await this.organization('PromoteCadre', data, year);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      if (error.code === 'consultation-required') {
        await this.organization('PromoteCadre', { ...data, consultationRef: this.ref('organization', year) }, year);
      } else {
        this.ladder -= 1; // a lock holds: the nomination is dropped this year, as the ledger says
        return;
      }
    }
    this.lastPromotion = year;
  }

  private async sanction(year: number): Promise<{ id: string; sanction: { system: SanctionSystem; kind: string } }> {
    const r = this.random;
    const caseId = `${this.cadreId}-${year}`;
    const investigated = r.chance(0.5);
    if (investigated) await this.discipline('OpenInvestigation', { caseId, effectiveAt: this.date(year, 3) }, year);
    if (investigated) await this.discipline('CloseInvestigation', { caseId, effectiveAt: this.date(year, 7, 1) }, year);
    const party = r.chance(0.5);
    const sanction = party
      ? { system: 'party' as const, kind: r.pick(['warning', 'serious-warning'] as const) }
      : { system: 'administrative' as const, kind: r.pick(['warning', 'demerit', 'major-demerit'] as const) };
    const id = await this.discipline('ImposeSanction', { ...sanction, effectiveAt: this.date(year, 7, 2) }, year);
    return { id, sanction };
  }

  /** 容错纠错: requested → findings → decision → notification → filing, stopping at any step. */
  private async toleranceCase(year: number, covered: { id: string; sanction?: { system: SanctionSystem; kind: string } }, codes: string[]): Promise<void> {
    const r = this.random;
    const caseId = `rc-${this.cadreId}-${year}`;
    const steps = r.int(1, 5);
    await this.discipline('RequestTolerance', { caseId, situation: r.pick(codes), covers: [covered.id], initiatedBy: r.pick(['applicant', 'authority'] as const), effectiveAt: this.date(year, 8) }, year);
    if (steps < 2) return;
    const excluded = r.chance(0.2);
    await this.discipline('RecordToleranceFindings', { caseId, personalGain: excluded && r.chance(0.5), knowingViolation: false, expresslyProhibited: excluded, summary: r.pick(FINDINGS_SUMMARIES), effectiveAt: this.date(year, 9) }, year);
    if (steps < 3) return;
    const roll = r.next();
    const outcome = excluded ? 'rejected' : roll < 0.45 ? 'exempted' : roll < 0.75 && covered.sanction?.kind !== 'warning' && covered.sanction ? 'mitigated' : 'rejected';
    const decision: Record<string, unknown> = { caseId, outcome, reason: outcome === 'rejected' ? '不符合容错情形' : '符合容错情形，予以免责或减轻处理', effectiveAt: this.date(year, 10) };
    if (outcome === 'mitigated' && covered.sanction) decision.mitigatedTo = { system: covered.sanction.system, kind: 'warning' };
    await this.discipline('DecideTolerance', decision, year);
    if (steps < 4) return;
    await this.discipline('NotifyTolerance', { caseId, disclosed: r.chance(0.5), effectiveAt: this.date(year, 11) }, year);
    if (steps < 5) return;
    await this.discipline('FileTolerance', { caseId, filedWith: ['discipline-commission', 'organization-department'], effectiveAt: this.date(year, 12) }, year);
  }

  /** 能下: after a poor review mostly, now and then on other grounds. */
  private async adjustment(year: number): Promise<void> {
    const r = this.random;
    const kind = r.pick(['transfer-out', 'non-leadership', 'removal', 'demotion'] as const);
    const data: Record<string, unknown> = { kind, effectiveAt: this.date(year, 9) };
    if (this.lastGrade === 'incompetent' || this.lastGrade === 'basically-competent') data.trigger = 'annual-review';
    if (kind === 'demotion') this.ladder = Math.max(0, this.ladder - 1);
    if (kind === 'non-leadership') this.leadership = false;
    if (kind === 'removal') this.hasPost = false;
    else data.newPosition = this.position();
    await this.organization('AdjustCadre', data, year);
  }

  private position(): Position {
    const rung = LADDER[this.ladder];
    if (!this.leadership) return { title: `${rung.title.replace(/^副/, '')}级调研员`, level: rung.level, leadership: false, principal: false };
    return { title: rung.title, level: rung.level, leadership: true, principal: !rung.title.startsWith('副') && this.random.chance(0.3) };
  }

  private date(year: number, month: number, day = this.random.int(1, 28)): string {
    return `${year}-${pad(month)}-${pad(day)}`;
  }

  private ref(body: keyof DemoJurisdiction['refs'], year: number): string {
    return `${this.jurisdiction.refs[body]}〔${year}〕${this.random.int(1, 150)}号`;
  }

  private organization(type: string, data: Record<string, unknown>, year: number): Promise<string> {
    return this.send(type, data, this.jurisdiction.actors.organization, this.ref('organization', year));
  }

  private discipline(type: string, data: Record<string, unknown>, year: number): Promise<string> {
    return this.send(type, data, this.jurisdiction.actors.discipline, this.ref('discipline', year));
  }

  private async send(type: string, data: Record<string, unknown>, actor: string, documentRef: string): Promise<string> {
    const result = await this.ledger.executeCadreCommand(this.cadreId, { type, data, metadata: { actor, documentRef } } as Requested<CadreCommand>);
    this.written += result.events.length;
    return result.events[0].eventId;
  }
}
