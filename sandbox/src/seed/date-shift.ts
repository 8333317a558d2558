/**
 * Keeps a scenario's ages true on any day. The family fixture is written as of an anchor date; at load time every
 * date in it (birthDates and clinical dates alike) moves by the same whole number of days, today − anchor. A whole-day
 * shift keeps every age exact in days and every interval between events unchanged.
 *
 * Shifted: strings that are a full FHIR date (`YYYY-MM-DD`), dateTime or instant, and month-precision dates
 * (`YYYY-MM`, shifted by their first day). Year-only strings are left alone: nothing distinguishes them from other
 * four-digit text. Base64 payloads (`data`), `id`s and references are never touched.
 */

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;
const MONTH_DATE = /^(\d{4})-(\d{2})$/;
const UNTOUCHED_KEYS = new Set(['id', 'reference', 'data', 'url', 'fullUrl', 'system', 'div', 'lastUpdated', 'versionId']);
const DAY_MS = 86_400_000;

/** Whole days from the anchor (a `YYYY-MM-DD` calendar date) to today's UTC calendar date. */
export function daysSinceAnchor(anchorDate: string, today: Date): number {
  const anchor = FULL_DATE.exec(anchorDate);
  if (!anchor || anchor[4] !== undefined) throw new Error(`Anchor date must be YYYY-MM-DD, got "${anchorDate}"`);
  const anchorMs = Date.UTC(Number(anchor[1]), Number(anchor[2]) - 1, Number(anchor[3]));
  if (Number.isNaN(today.getTime())) throw new Error('today is not a valid date');
  const todayMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((todayMs - anchorMs) / DAY_MS);
}

function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Shifts one date-like string by `days`; anything else comes back unchanged. */
export function shiftDateString(value: string, days: number): string {
  const full = FULL_DATE.exec(value);
  if (full) {
    const ms = Date.UTC(Number(full[1]), Number(full[2]) - 1, Number(full[3]));
    if (Number.isNaN(ms) || formatDay(ms) !== value.slice(0, 10)) return value;
    return formatDay(ms + days * DAY_MS) + (full[4] ?? '');
  }
  const month = MONTH_DATE.exec(value);
  if (month) {
    const ms = Date.UTC(Number(month[1]), Number(month[2]) - 1, 1);
    if (Number.isNaN(ms) || Number(month[2]) < 1 || Number(month[2]) > 12) return value;
    return formatDay(ms + days * DAY_MS).slice(0, 7);
  }
  return value;
}

/** A deep copy of `value` with every date-like string shifted by `days`. */
export function shiftDates<T>(value: T, days: number): T {
  return shiftValue(value, days) as T;
}

function shiftValue(value: unknown, days: number): unknown {
  if (typeof value === 'string') return shiftDateString(value, days);
  if (Array.isArray(value)) return value.map((item) => shiftValue(item, days));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = UNTOUCHED_KEYS.has(key) ? structuredClone(child) : shiftValue(child, days);
  }
  return copy;
}
