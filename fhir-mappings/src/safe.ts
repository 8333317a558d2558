/**
 * Defensive readers for FHIR JSON that may not match its declared type (hostile or sloppy EHR data cast through
 * `unknown`). Every mapper reads fields through these, so a string where an array was expected, a number where a
 * string was expected, or `null` anywhere yields "absent" instead of a throw or a stray "[object Object]".
 * Internal to the package (not exported from index.ts).
 */
import type { DatePrecision, DateValue } from './view-models.ts';

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Strings that are artefacts of broken serialisation, never real clinical text. */
const BROKEN_STRINGS = new Set(['undefined', 'null', 'nan', '[object object]']);

/** A trimmed, non-empty, meaningful string, else undefined. */
export function text(x: unknown): string | undefined {
  if (typeof x !== 'string') return undefined;
  const trimmed = x.trim();
  if (trimmed === '' || BROKEN_STRINGS.has(trimmed.toLowerCase())) return undefined;
  return trimmed;
}

/** A finite number, else undefined (rejects NaN, ±Infinity, numeric strings). */
export function finite(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

/** A non-negative integer, else undefined. */
export function count(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined;
}

export function bool(x: unknown): boolean | undefined {
  return typeof x === 'boolean' ? x : undefined;
}

/** The object elements of a declared array; anything else gives []. Keeps the declared element type for field names. */
export function items<T>(x: readonly T[] | T | null | undefined): T[] {
  if (!Array.isArray(x)) return [];
  return (x as unknown[]).filter(isRecord) as T[];
}

/** The declared object, if it really is one. */
export function record<T>(x: T | null | undefined): T | undefined {
  return isRecord(x) ? x : undefined;
}

/** The non-empty strings of a declared string array. */
export function texts(x: unknown): string[] {
  if (!Array.isArray(x)) return [];
  const out: string[] = [];
  for (const element of x as unknown[]) {
    const t = text(element);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** Narrow a code to a closed set. */
export function oneOf<T extends string>(set: readonly T[], x: unknown): T | undefined {
  return typeof x === 'string' && (set as readonly string[]).includes(x) ? (x as T) : undefined;
}

// FHIR date / dateTime / instant (R4 regexes, with range checks on month, day, hour, minute, second).
const DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A FHIR date/dateTime/instant kept as written, with its precision; malformed values give undefined. */
export function dateValue(x: unknown): DateValue | undefined {
  const iso = text(x);
  if (iso === undefined) return undefined;
  const m = DATE_PATTERN.exec(iso);
  if (!m) return undefined;
  const [, , month, day, hour, minute, second] = m;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return undefined;
  if (day !== undefined && (Number(day) < 1 || Number(day) > daysInMonth(Number(m[1]), Number(month)))) return undefined;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 60)) return undefined;
  const precision: DatePrecision = hour !== undefined ? 'time' : day !== undefined ? 'day' : month !== undefined ? 'month' : 'year';
  return { iso, precision };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Milliseconds since the epoch for ordering. Partial dates sort at their start; a dateTime without an offset is read
 * as UTC so the result never depends on the host's time zone. Undefined for undefined.
 */
export function sortTime(d: DateValue | undefined): number | undefined {
  if (d === undefined) return undefined;
  let iso = d.iso;
  if (d.precision === 'time' && !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) iso += 'Z';
  if (d.precision === 'year') iso += '-01-01';
  if (d.precision === 'month') iso += '-01';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/** Compare for "newest first"; undated last. */
export function byTimeDesc(a: number | undefined, b: number | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return b - a;
}

/** Compare for "oldest first"; undated last. */
export function byTimeAsc(a: number | undefined, b: number | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a - b;
}

/** The calendar-date prefix (YYYY, YYYY-MM or YYYY-MM-DD) of a DateValue, as written. */
export function calendarPart(d: DateValue): string {
  return d.iso.slice(0, 10);
}

/** A usable http(s) URL string, else undefined (no javascript:, data:, relative or malformed URLs). */
export function httpUrl(x: unknown): string | undefined {
  const candidate = text(x);
  if (candidate === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
