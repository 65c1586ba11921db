import type { Pool, PoolClient } from 'pg';
import { pinyin } from 'pinyin-pro';
import { placementOn, type CadreRegistered, type CadreState, type Fact, type LocalDate, type Position, type UnitRegistered } from '@cadre-ledger/domain';
import { CURSOR_PART, decodeCursor, page } from '../postgres/cursor';
import { CADRE_COLUMN as cadre, columns, json, scopeOf, type TableComment, type UnitScope } from '../read-model';

/**
 * The directory: `cadres` (each cadre as it stands today), `units` (each registered unit and its
 * place in the hierarchy) and `cadre_units` (every unit a cadre sat in: whose facts concern it).
 */
/** One line of the directory (`cadres`): who the cadre is and where it sits on the rows' date. */
export interface ProfileRow {
  cadreId: string;
  name: string;
  unitId: string;
  jurisdiction: string;
  position: Position | null;
  managedBy: string | null;
  /** The date of the posting the position comes from. */
  positionSince: LocalDate;
  registeredOn: LocalDate;
  revision: number;
  /** Full pinyin and initials of the name (the directory's `q`): 赵文清 → zhaowenqing, zwq. */
  namePinyin: string;
  nameInitials: string;
  /** The unit's registered name, when it was registered. */
  unitName: string | null;
}


/** One registered unit (`units`). */
export interface UnitRow {
  unitId: string;
  name: string;
  level: string;
  parentUnitId: string | null;
  jurisdiction: string;
  registeredOn: LocalDate;
}

/** The directory row of a unit, from its registration (units are registered once). */
export function unitRow(registration: Fact<UnitRegistered>): UnitRow {
  const { unitId, name, level, parentUnitId, jurisdiction } = registration.data;
  return { unitId, name, level, parentUnitId: parentUnitId ?? null, jurisdiction, registeredOn: registration.metadata.effectiveAt };
}


/** The cadre's posting on `asOf` (the domain's own fold: promotions and adjustments stay in their unit). */
export function profileRow(history: readonly Fact[], state: CadreState, registration: Fact<CadreRegistered>, unitId: string, asOf: LocalDate, revision: number): ProfileRow {
  const placement = state.registered ? (placementOn(state, asOf) ?? placementOn(state, null)) : null;
  const name = state.registered ? state.name : registration.data.name;
  const at = placement?.unitId || unitId;
  const unitRegistration = history.find((f): f is Fact<UnitRegistered> => f.type === 'UnitRegistered' && f.data.unitId === at);
  return {
    cadreId: registration.data.cadreId,
    name,
    ...namePinyin(name),
    unitName: unitRegistration?.data.name ?? null,
    unitId: at,
    jurisdiction: registration.data.jurisdiction,
    position: placement?.position ?? null,
    managedBy: placement?.managedBy ?? null,
    positionSince: placement?.effectiveAt ?? registration.metadata.effectiveAt,
    registeredOn: registration.metadata.effectiveAt,
    revision,
  };
}

/** 赵文清 → zhaowenqing / zwq; surnames read as surnames (单 shan, 曾 zeng, 解 xie, 仇 qiu), ü as v. */
export function namePinyin(name: string): { namePinyin: string; nameInitials: string } {
  const options = { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'consecutive' } as const;
  const clean = (parts: string[]) => parts.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  return { namePinyin: clean(pinyin(name, options)), nameInitials: clean(pinyin(name, { ...options, pattern: 'first' })) };
}


/** Version 1, as shipped. */
export const CADRE_UNITS_TABLE = (suffix: string): string => `
CREATE TABLE cadre_units${suffix} (
  unit_id text NOT NULL,
  cadre_id text NOT NULL,
  PRIMARY KEY (unit_id, cadre_id)
);`;

/** Version 4, as shipped. */
export function directoryTables(suffix: string): string {
  return `
CREATE TABLE cadres${suffix} (
  cadre_id text PRIMARY KEY,
  name text NOT NULL,
  unit_id text NOT NULL,
  jurisdiction text NOT NULL,
  title text,
  position_level text,
  leadership boolean,
  principal boolean NOT NULL DEFAULT false,
  party_secretary boolean NOT NULL DEFAULT false,
  portfolios jsonb NOT NULL DEFAULT '[]',
  managed_by text,
  position_since date NOT NULL,
  registered_on date NOT NULL,
  revision bigint NOT NULL
);
CREATE INDEX cadres${suffix}_unit ON cadres${suffix} (unit_id, cadre_id);
CREATE TABLE units${suffix} (
  unit_id text PRIMARY KEY,
  name text NOT NULL,
  level text NOT NULL,
  parent_unit_id text,
  jurisdiction text NOT NULL,
  registered_on date NOT NULL
);
CREATE INDEX units${suffix}_parent ON units${suffix} (parent_unit_id, unit_id);`;
}


export const CADRES_COMMENT: TableComment = {
  table: ['干部名录:每名干部今日的姓名、职务与单位', 'the directory: each cadre today, with name, post and unit'],
  columns: {
    cadre_id: cadre,
    name: ['姓名(姓名不唯一,不用于匹配)', 'name (not unique: never used to match people)'],
    unit_id: ['今日所在单位编号', 'unit id today'],
    jurisdiction: ['适用的规则辖区', 'rule jurisdiction'],
    title: ['职务', 'post title'],
    position_level: ['职务层次(如 county-chief 县处级正职)', 'post level (e.g. county-chief)'],
    leadership: ['是否领导职务', 'a leadership post'],
    principal: ['是否单位主要负责人', 'the unit\'s principal'],
    party_secretary: ['是否党委(党组)书记', 'party secretary of the unit'],
    portfolios: ['分管领域(JSON)', 'portfolios in charge (JSON)'],
    managed_by: ['干部管理权限:central 中管/provincial 省管/municipal 市管/county 县管', 'managed by: central, provincial, municipal, county'],
    position_since: ['现任职务的生效日期', 'effective date of the current post'],
    registered_on: ['登记入库的生效日期', 'effective date of registration'],
    revision: ['干部事件流的版本号', 'the cadre stream\'s revision'],
    name_pinyin: ['姓名全拼(小写无空格,复姓与多音姓氏按姓读)', 'name in full pinyin (lower case, no spaces; surnames read as surnames)'],
    name_initials: ['姓名拼音首字母(如 zwq)', 'pinyin initials of the name (e.g. zwq)'],
    unit_name: ['今日所在单位名称;单位未登记时为空', 'name of the unit today; null when the unit is not registered'],
  },
};

export const UNITS_COMMENT: TableComment = {
  table: ['已登记的单位及其层级', 'registered units and their hierarchy'],
  columns: {
    unit_id: ['单位编号', 'unit id'],
    name: ['单位名称', 'unit name'],
    level: ['登记的层级:province 省级/city 市/county 县/township 乡镇/department 部门', 'level as registered: province, city, county, township, department'],
    parent_unit_id: ['上级单位编号', 'parent unit id'],
    jurisdiction: ['适用的规则辖区', 'rule jurisdiction'],
    registered_on: ['登记的生效日期', 'effective date of registration'],
    effective_level: ['实际层级:部门取其上级单位的层级', 'effective level: a department takes its parent\'s'],
    path_ids: ['自最上级到本单位的单位编号', 'unit ids from the top to this unit'],
    path_names: ['自最上级到本单位的单位名称', 'unit names from the top to this unit'],
  },
};

export const CADRE_UNITS_COMMENT: TableComment = {
  table: ['干部曾任职的每个单位(单位事实据此影响干部)', 'every unit a cadre sat in (whose facts concern it)'],
  columns: { unit_id: ['单位编号', 'unit id'], cadre_id: cadre },
};

export async function insertCadreUnits(client: PoolClient, table: string, memberships: readonly { unitId: string; cadreId: string }[]): Promise<void> {
  if (memberships.length === 0) return;
  await client.query(`INSERT INTO ${table} (unit_id, cadre_id) SELECT * FROM unnest($1::text[], $2::text[])`, columns(memberships, ['unitId', 'cadreId']));
}

export async function insertProfiles(client: PoolClient, table: string, profiles: readonly ProfileRow[]): Promise<void> {
  if (profiles.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, name, unit_id, jurisdiction, title, position_level, leadership, principal, party_secretary,
       portfolios, managed_by, position_since, registered_on, revision, name_pinyin, name_initials, unit_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::boolean[], $9::boolean[],
       $10::jsonb[], $11::text[], $12::date[], $13::date[], $14::bigint[], $15::text[], $16::text[], $17::text[])`,
    [
      profiles.map((p) => p.cadreId),
      profiles.map((p) => p.name),
      profiles.map((p) => p.unitId),
      profiles.map((p) => p.jurisdiction),
      profiles.map((p) => p.position?.title ?? null),
      profiles.map((p) => p.position?.level ?? null),
      profiles.map((p) => p.position?.leadership ?? null),
      profiles.map((p) => p.position?.principal ?? false),
      profiles.map((p) => p.position?.partySecretary ?? false),
      profiles.map((p) => json(p.position?.portfolios ?? [])),
      profiles.map((p) => p.managedBy),
      profiles.map((p) => p.positionSince),
      profiles.map((p) => p.registeredOn),
      profiles.map((p) => p.revision),
      profiles.map((p) => p.namePinyin),
      profiles.map((p) => p.nameInitials),
      profiles.map((p) => p.unitName),
    ],
  );
}

/**
 * Writes a registered unit's directory row (registration happens once: a repeat writes the same
 * row), with its place in the hierarchy taken from its parent's row: a parent is registered before
 * its children, so in global order its row is always there first.
 */
export async function replaceUnitRow(client: PoolClient, row: UnitRow, suffix = ''): Promise<void> {
  await client.query(
    `INSERT INTO reporting.units${suffix} (unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)
     SELECT $1, $2, $3, $4, $5, $6,
            CASE WHEN $3 = 'department' THEN coalesce(p.effective_level, p.level, 'department') ELSE $3 END,
            coalesce(p.path_ids, '{}') || $1::text, coalesce(p.path_names, '{}') || $2::text
     FROM (SELECT 1) AS one LEFT JOIN reporting.units${suffix} p ON p.unit_id = $4
     ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_unit_id = EXCLUDED.parent_unit_id,
       jurisdiction = EXCLUDED.jurisdiction, registered_on = EXCLUDED.registered_on, effective_level = EXCLUDED.effective_level,
       path_ids = EXCLUDED.path_ids, path_names = EXCLUDED.path_names`,
    [row.unitId, row.name, row.level, row.parentUnitId, row.jurisdiction, row.registeredOn],
  );
}

/**
 * Writes many units' directory rows at once into tables that hold none of them (a rebuild's own):
 * the hierarchy (effective level, path of ids and names) computed here as `replaceUnitRow`
 * computes it from the parent's row, parents first.
 */
export async function insertUnitRows(client: PoolClient, rows: readonly UnitRow[], suffix: string): Promise<void> {
  const byId = new Map(rows.map((row) => [row.unitId, row]));
  const placed = new Map<string, { effectiveLevel: string; pathIds: string[]; pathNames: string[] }>();
  const place = (row: UnitRow, seen: Set<string>): { effectiveLevel: string; pathIds: string[]; pathNames: string[] } => {
    const done = placed.get(row.unitId);
    if (done) return done;
    const parentRow = row.parentUnitId !== null && !seen.has(row.parentUnitId) ? byId.get(row.parentUnitId) : undefined;
    const parent = parentRow ? place(parentRow, new Set([...seen, row.unitId])) : undefined;
    const at = {
      effectiveLevel: row.level === 'department' ? (parent?.effectiveLevel ?? 'department') : row.level,
      pathIds: [...(parent?.pathIds ?? []), row.unitId],
      pathNames: [...(parent?.pathNames ?? []), row.name],
    };
    placed.set(row.unitId, at);
    return at;
  };
  const all = rows.map((row) => ({ ...row, ...place(row, new Set()) }));
  for (let from = 0; from < all.length; from += 5000) {
    const page = all.slice(from, from + 5000);
    await client.query(
      `INSERT INTO reporting.units${suffix} (unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)
       SELECT u.unit_id, u.name, u.level, u.parent_unit_id, u.jurisdiction, u.registered_on, u.effective_level,
              ARRAY(SELECT jsonb_array_elements_text(u.path_ids)), ARRAY(SELECT jsonb_array_elements_text(u.path_names))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::jsonb[], $9::jsonb[])
         AS u(unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)`,
      [
        page.map((u) => u.unitId),
        page.map((u) => u.name),
        page.map((u) => u.level),
        page.map((u) => u.parentUnitId),
        page.map((u) => u.jurisdiction),
        page.map((u) => u.registeredOn),
        page.map((u) => u.effectiveLevel),
        page.map((u) => json(u.pathIds)),
        page.map((u) => json(u.pathNames)),
      ],
    );
  }
}


export interface UnitItem {
  unitId: string;
  name: string;
  level: string;
  parentUnitId: string | null;
  jurisdiction: string;
  registeredOn: LocalDate;
}

export interface UnitDetail extends UnitItem {
  /** The cadre whose post in the unit is 主要负责人 today (the latest posted, should there be several), or null. */
  principalCadreId: string | null;
  principalName: string | null;
  /** 党委(党组)书记 today, where a post says so. */
  partySecretaryCadreId: string | null;
  /** Units registered with this one as their parent. */
  childUnitIds: string[];
}

type UnitRowSql = { unit_id: string; name: string; level: string; parent_unit_id: string | null; jurisdiction: string; registered_on: string };
const unitItem = (r: UnitRowSql): UnitItem => ({ unitId: r.unit_id, name: r.name, level: r.level, parentUnitId: r.parent_unit_id, jurisdiction: r.jurisdiction, registeredOn: r.registered_on });
const UNIT_COLUMNS = `unit_id, name, level, parent_unit_id, jurisdiction, to_char(registered_on, 'YYYY-MM-DD') AS registered_on`;

export async function listUnits(
  pool: Pool,
  query: { scope: UnitScope; parentUnitId?: string; q?: string; cursor?: string; limit: number },
): Promise<{ items: UnitItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.identifier])[0];
  const { rows } = await pool.query<UnitRowSql>(
    `SELECT ${UNIT_COLUMNS} FROM reporting.units
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR parent_unit_id = $2)
       AND ($3::text IS NULL OR strpos(name, $3) > 0 OR strpos(lower(unit_id), lower($3)) > 0)
       AND ($4::text IS NULL OR unit_id > $4)
     ORDER BY unit_id LIMIT $5`,
    [scopeOf(query.scope), query.parentUnitId ?? null, query.q ?? null, after, query.limit + 1],
  );
  return page(rows, query.limit, unitItem, (r) => [r.unit_id]);
}

/** One registered unit with today's principal; null when it was never registered. */
export async function unitDetail(pool: Pool, unitId: string): Promise<UnitDetail | null> {
  const { rows } = await pool.query<UnitRowSql & { principal_id: string | null; principal_name: string | null; secretary_id: string | null; children: string[] }>(
    `SELECT ${UNIT_COLUMNS},
       (SELECT cadre_id FROM reporting.cadres WHERE unit_id = $1 AND principal ORDER BY position_since DESC, cadre_id LIMIT 1) AS principal_id,
       (SELECT name FROM reporting.cadres WHERE unit_id = $1 AND principal ORDER BY position_since DESC, cadre_id LIMIT 1) AS principal_name,
       (SELECT cadre_id FROM reporting.cadres WHERE unit_id = $1 AND party_secretary ORDER BY position_since DESC, cadre_id LIMIT 1) AS secretary_id,
       ARRAY(SELECT c.unit_id FROM reporting.units c WHERE c.parent_unit_id = $1 ORDER BY c.unit_id) AS children
     FROM reporting.units WHERE unit_id = $1`,
    [unitId],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return { ...unitItem(r), principalCadreId: r.principal_id, principalName: r.principal_name, partySecretaryCadreId: r.secretary_id, childUnitIds: r.children };
}


export interface DirectoryItem {
  cadreId: string;
  name: string;
  unitId: string;
  unitName: string | null;
  jurisdiction: string;
  position: { title: string; level: string; leadership: boolean; principal: boolean; partySecretary: boolean; portfolios: string[] } | null;
  managedBy: string | null;
  positionSince: LocalDate;
  revision: number;
}

/**
 * The directory (`GET /v1/cadres`): cadres as they stand today, in cadre id order. `q` matches the
 * name (汉字), the cadre id, the full pinyin from its start or anywhere (zhaowenqing, wenqing) and
 * the initials from their start (zwq): spaces, tones and case in `q` do not matter.
 */
export async function listCadres(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; q?: string; level?: string; managedBy?: string; cursor?: string; limit: number },
): Promise<{ items: DirectoryItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.identifier])[0];
  const q = query.q?.trim() ?? null;
  const latin = q === null ? null : q.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ü/g, 'v').replace(/[^a-z0-9]/g, '');
  type Row = { cadre_id: string; name: string; unit_id: string; unit_name: string | null; jurisdiction: string; title: string | null; position_level: string | null; leadership: boolean | null; principal: boolean; party_secretary: boolean; portfolios: string[]; managed_by: string | null; position_since: string; revision: string };
  const { rows } = await pool.query<Row>(
    `SELECT cadre_id, name, unit_id, unit_name, jurisdiction, title, position_level, leadership, principal, party_secretary, portfolios,
            managed_by, to_char(position_since, 'YYYY-MM-DD') AS position_since, revision
     FROM reporting.cadres
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::text IS NULL OR strpos(name, $3) > 0 OR strpos(lower(cadre_id), lower($3)) > 0
            OR ($4 <> '' AND (strpos(name_pinyin, $4) > 0 OR name_initials LIKE $4 || '%')))
       AND ($5::text IS NULL OR position_level = $5)
       AND ($6::text IS NULL OR managed_by = $6)
       AND ($7::text IS NULL OR cadre_id > $7)
     ORDER BY cadre_id LIMIT $8`,
    [scopeOf(query.scope), query.unitId ?? null, q, latin ?? '', query.level ?? null, query.managedBy ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): DirectoryItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      jurisdiction: r.jurisdiction,
      position:
        r.title === null || r.position_level === null
          ? null
          : { title: r.title, level: r.position_level, leadership: r.leadership ?? false, principal: r.principal, partySecretary: r.party_secretary, portfolios: r.portfolios },
      managedBy: r.managed_by,
      positionSince: r.position_since,
      revision: Number(r.revision),
    }),
    (r) => [r.cadre_id],
  );
}


