/**
 * Complementary suppression (statistical disclosure control, as statistical offices do it): a
 * figure below the threshold is withheld (primary suppression), and further figures are withheld
 * wherever the published ones would give it back (secondary suppression). A line is a total and
 * the parts it adds up (a year's total and its units; open cases and their steps): with the total
 * and all parts but one published, the one is the difference; with every withheld part zero, the
 * difference is zero. So, until nothing changes, in every line:
 * - exactly one member withheld: the smallest published part is withheld too (the total when no
 *   part is left);
 * - the total published and what it leaves for the withheld parts zero or less: the smallest
 *   published part is withheld too.
 * Deterministic (ties by key order), so that every answer built from the same figures withholds
 * the same ones. Pure: no I/O.
 */
export interface Line {
  total: string;
  parts: readonly string[];
}

export function complementarySuppression(values: ReadonlyMap<string, number>, lines: readonly Line[], threshold: number): Set<string> {
  const value = (key: string) => values.get(key) ?? 0;
  const withheld = new Set([...values].filter(([, v]) => v < threshold).map(([key]) => key));
  const smallestPublished = (keys: readonly string[]) =>
    keys.filter((key) => !withheld.has(key)).sort((a, b) => value(a) - value(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const members = [line.total, ...line.parts];
      const hidden = members.filter((key) => withheld.has(key));
      const hiddenParts = line.parts.filter((key) => withheld.has(key));
      const left = withheld.has(line.total) ? Number.POSITIVE_INFINITY : value(line.total) - line.parts.filter((key) => !withheld.has(key)).reduce((sum, key) => sum + value(key), 0);
      const exposed = hidden.length === 1 || (hiddenParts.length > 0 && left <= 0);
      if (!exposed) continue;
      const next = smallestPublished(line.parts) ?? (withheld.has(line.total) ? undefined : line.total);
      if (next === undefined) continue;
      withheld.add(next);
      changed = true;
    }
  }
  return withheld;
}
