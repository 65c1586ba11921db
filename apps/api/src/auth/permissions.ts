import { LEDGER_ROLES } from '@cadre-ledger/platform';

/**
 * The role table of API.md ("Authentication and authorisation"), as data, over the ledger's roles
 * (LEDGER_ROLES: the configuration's role map names them too). `admin` may do everything;
 * `auditor` reads every GET in every unit; `dashboard` reads `/v1/stats` only.
 */
export type Role = (typeof LEDGER_ROLES)[number];

/** What a write route records. */
export type WriteKind =
  | 'cadres'
  | 'transfers'
  | 'annual-reviews'
  | 'unit-assessments'
  | 'commendations'
  | 'cautions'
  | 'talks'
  | 'sanctions'
  | 'investigations'
  | 'tolerance-cases'
  | 'adjustments'
  | 'promotions'
  | 'clearances'
  | 'retractions'
  | 'units'
  | 'findings'
  | 'review-quotas'
  | 'imports';

/** What a read route shows. */
export type ReadKind = 'cadres' | 'eligibility' | 'history' | 'verification' | 'stats' | 'audit' | 'units' | 'queues' | 'imports' | 'dossier' | 'self';

export const WRITERS: Record<WriteKind, readonly Role[]> = {
  cadres: ['admin', 'organization'],
  transfers: ['admin', 'organization'],
  'annual-reviews': ['admin', 'assessment'],
  'unit-assessments': ['admin', 'assessment'],
  commendations: ['admin', 'organization'],
  cautions: ['admin', 'organization', 'discipline'],
  talks: ['admin', 'organization', 'discipline'],
  sanctions: ['admin', 'discipline'],
  investigations: ['admin', 'discipline'],
  'tolerance-cases': ['admin', 'discipline'],
  adjustments: ['admin', 'organization'],
  promotions: ['admin', 'organization'],
  clearances: ['admin', 'organization', 'discipline'],
  retractions: ['admin', 'organization'],
  units: ['admin', 'organization'],
  'review-quotas': ['admin', 'assessment'],
  /** POST /v1/imports: a spreadsheet of facts (API.md, "Who may call the additions"). */
  imports: ['admin', 'organization'],
  /** Each of these roles for some categories only: FINDING_CATEGORIES_BY_ROLE. */
  findings: ['admin', 'organization', 'assessment', 'discipline'],
};

/** Which finding categories a role may record (API.md, "Who may call the additions"); admin and organization: every one. */
export const FINDING_CATEGORIES_BY_ROLE: Partial<Record<Role, readonly string[] | 'all'>> = {
  admin: 'all',
  organization: 'all',
  assessment: ['national-evaluation', 'county-monitoring', 'performance-evaluation', 'implementation-ranking'],
  discipline: ['party-building', 'safety', 'ecology', 'stability', 'poverty-alleviation'],
};

export function mayRecordFinding(roles: readonly string[], category: string): boolean {
  return roles.some((role) => {
    const allowed = Object.hasOwn(FINDING_CATEGORIES_BY_ROLE, role) ? FINDING_CATEGORIES_BY_ROLE[role as Role] : undefined;
    return allowed === 'all' || (allowed !== undefined && allowed.includes(category));
  });
}

/** Readers within their `units`; the auditor reads everything in every unit. */
export const READERS: Record<ReadKind, readonly Role[]> = {
  cadres: ['admin', 'organization', 'assessment', 'discipline'],
  eligibility: ['admin', 'organization', 'assessment', 'discipline'],
  history: ['admin', 'organization', 'discipline'],
  verification: ['admin'],
  stats: ['admin', 'dashboard'],
  /** The read audit, the log's digest and proofs (API.md: admin and auditor only). */
  audit: ['admin'],
  /** `GET /v1/units`, `GET /v1/units/{id}` (API.md, "Who may call the additions"). */
  units: ['admin', 'organization', 'assessment', 'discipline'],
  /** `GET /v1/locks`, `GET /v1/cases`: the 能下 and 容错 queues, with names. */
  queues: ['admin', 'organization', 'discipline'],
  /** GET /v1/imports/{id}: one's own import jobs (an admin's: every one). */
  imports: ['admin', 'organization'],
  /** POST /v1/nominations/dossier (API.md, "Who may call the additions"; the auditor too, unscoped). */
  dossier: ['admin', 'organization'],
  /** GET /v1/me: who the token is and what it may read (the dashboard shows only that). */
  self: ['admin', 'organization', 'assessment', 'discipline', 'dashboard'],
};

/** Roles whose reads ignore `units`. */
const UNSCOPED_READERS: readonly Role[] = ['auditor'];

export type Permission = { write: WriteKind } | { read: ReadKind };

/** Which units a request may touch: every unit, or a set. */
export type UnitScope = { all: true } | { all: false; units: ReadonlySet<string> };

/**
 * The scope a token gets for a permission, or null when none of its roles grants it (403).
 * Several roles combine: the widest grant wins.
 */
export function scopeFor(roles: readonly string[], units: readonly string[], permission: Permission): UnitScope | null {
  const scoped = units.includes('*') ? ({ all: true } as const) : ({ all: false, units: new Set(units) } as const);
  if ('write' in permission) {
    return roles.some((r) => WRITERS[permission.write].includes(r as Role)) ? scoped : null;
  }
  if (roles.some((r) => UNSCOPED_READERS.includes(r as Role))) return { all: true };
  return roles.some((r) => READERS[permission.read].includes(r as Role)) ? scoped : null;
}

/** Roles whose reads of figures are subject to small-count suppression: they see no personal data. */
export function seesOnlySuppressedFigures(roles: readonly string[]): boolean {
  return roles.includes('dashboard') && !roles.some((r) => r !== 'dashboard' && READERS.stats.includes(r as Role)) && !roles.some((r) => UNSCOPED_READERS.includes(r as Role));
}

export function inScope(scope: UnitScope, unitId: string): boolean {
  return scope.all || scope.units.has(unitId);
}
