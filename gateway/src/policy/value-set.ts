/**
 * The reviewed code value set: codes, ICD-10-CM prefixes, medication names and department names mapped to
 * sensitivity categories, each with a source line. Parsed once at start-up into lookup tables; the classifier then
 * only does map lookups.
 */
import { z } from 'zod';
import { SENSITIVITY_CATEGORY_IDS, type SensitivityCategory } from './categories.ts';
import caMinorConsentJson from './value-sets/ca-minor-consent.json' with { type: 'json' };

const category = z.enum(SENSITIVITY_CATEGORY_IDS);
const source = z.string().min(3);

const valueSetSchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    source,
    systemAliases: z.record(z.string(), z.string()),
    codes: z.array(z.object({ system: z.string().min(3), code: z.string().min(1), display: z.string(), category, source }).strict()),
    codePrefixes: z.array(z.object({ system: z.string().min(3), prefix: z.string().min(1), display: z.string(), category, source }).strict()),
    medicationNames: z.array(z.object({ name: z.string().min(3), category, source }).strict()),
    departments: z.array(z.object({ match: z.string().min(3), category, source }).strict()),
    notSensitive: z.array(
      z.object({ system: z.string().min(3), code: z.string().min(1), display: z.string(), reason: z.string().min(3), source }).strict(),
    ),
  })
  .strict();

export type ValueSetData = z.infer<typeof valueSetSchema>;

export interface ValueSetMatch {
  readonly category: SensitivityCategory;
  readonly detail: string;
}

export interface CompiledValueSet {
  readonly id: string;
  /** Categories for one coding; empty when the code is unknown or reviewed as not sensitive. */
  matchCoding(system: string | undefined, code: string | undefined): readonly ValueSetMatch[];
  /** Categories for a medication's display name (whole-word, case-insensitive). */
  matchMedicationName(text: string): readonly ValueSetMatch[];
  /** Categories for a department / service name (case-insensitive substring). */
  matchDepartment(text: string): readonly ValueSetMatch[];
}

const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

function normalizeCode(system: string, code: string): string {
  const trimmed = code.trim().toUpperCase();
  return system === ICD10CM ? trimmed.replaceAll('.', '') : trimmed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Validates and compiles a value set. Throws with the bad field named; callers refuse to start if it throws. */
export function compileValueSet(json: unknown): CompiledValueSet {
  const parsed = valueSetSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid sensitivity value set:\n  ${lines.join('\n  ')}`);
  }
  const data = parsed.data;
  const canonical = (system: string): string => data.systemAliases[system] ?? system;
  const excluded = new Set(data.notSensitive.map((e) => `${canonical(e.system)}|${normalizeCode(canonical(e.system), e.code)}`));
  const byCode = new Map<string, ValueSetMatch[]>();
  for (const entry of data.codes) {
    const key = `${canonical(entry.system)}|${normalizeCode(canonical(entry.system), entry.code)}`;
    if (excluded.has(key)) throw new Error(`Invalid sensitivity value set: ${key} is both sensitive and reviewed as not sensitive`);
    const list = byCode.get(key) ?? [];
    list.push({ category: entry.category, detail: `${entry.code} ${entry.display}` });
    byCode.set(key, list);
  }
  // Prefixes grouped per system and keyed by the prefix itself, so a code is checked with one map lookup per distinct
  // prefix length (a trie flattened by length) instead of a scan over every prefix. `order` keeps the table order,
  // which is the order findings (and so hiding reasons) come out in.
  const prefixesBySystem = new Map<string, { lengths: number[]; byPrefix: Map<string, { order: number; match: ValueSetMatch }[]> }>();
  data.codePrefixes.forEach((e, order) => {
    const system = canonical(e.system);
    const prefix = normalizeCode(system, e.prefix);
    let table = prefixesBySystem.get(system);
    if (table === undefined) {
      table = { lengths: [], byPrefix: new Map() };
      prefixesBySystem.set(system, table);
    }
    if (!table.lengths.includes(prefix.length)) table.lengths.push(prefix.length);
    const list = table.byPrefix.get(prefix) ?? [];
    list.push({ order, match: { category: e.category, detail: `${e.prefix}* ${e.display}` } });
    table.byPrefix.set(prefix, list);
  });
  for (const table of prefixesBySystem.values()) table.lengths.sort((a, b) => a - b);

  // Medication names: whole-word, case-insensitive. A lower-cased substring test screens each name first (it can only
  // over-approximate the regular expression for ASCII names), and the exact pattern confirms the few candidates.
  const medicationPatterns = data.medicationNames.map((e) => ({
    needle: /^[\x20-\x7e]*$/.test(e.name) ? e.name.toLowerCase() : undefined,
    pattern: new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(e.name)}($|[^A-Za-z0-9])`, 'i'),
    match: { category: e.category, detail: `medication name "${e.name}"` },
  }));
  const departmentPatterns = data.departments.map((e) => ({
    needle: e.match.toLowerCase(),
    match: { category: e.category, detail: `department "${e.match}"` },
  }));
  const none: readonly ValueSetMatch[] = Object.freeze([]);

  function matchCodingUncached(system: string, code: string): readonly ValueSetMatch[] {
    const sys = canonical(system);
    const normalized = normalizeCode(sys, code);
    const key = `${sys}|${normalized}`;
    if (excluded.has(key)) return none;
    const exact = byCode.get(key);
    const table = prefixesBySystem.get(sys);
    let prefixed: { order: number; match: ValueSetMatch }[] | undefined;
    if (table !== undefined) {
      for (const length of table.lengths) {
        if (length > normalized.length) break;
        const hits = table.byPrefix.get(normalized.slice(0, length));
        if (hits !== undefined) (prefixed ??= []).push(...hits);
      }
    }
    if (prefixed === undefined) return exact ?? none;
    prefixed.sort((a, b) => a.order - b.order);
    return [...(exact ?? []), ...prefixed.map((p) => p.match)];
  }

  // The same few hundred (system, code) pairs recur across a record; answers are a pure function of the pair, so they
  // are remembered (bounded: the table is dropped and rebuilt if a stream of distinct codes fills it).
  const MEMO_LIMIT = 20_000;
  const memo = new Map<string, Map<string, readonly ValueSetMatch[]>>();
  let memoSize = 0;

  return {
    id: `${data.id}@${data.version}`,
    matchCoding(system, code) {
      if (!system || !code) return none;
      let bySystem = memo.get(system);
      const known = bySystem?.get(code);
      if (known !== undefined) return known;
      const answer = matchCodingUncached(system, code);
      if (memoSize >= MEMO_LIMIT) {
        memo.clear();
        memoSize = 0;
        bySystem = undefined;
      }
      if (bySystem === undefined) {
        bySystem = new Map();
        memo.set(system, bySystem);
      }
      bySystem.set(code, answer);
      memoSize += 1;
      return answer;
    },
    matchMedicationName(text) {
      const lower = text.toLowerCase();
      const found: ValueSetMatch[] = [];
      for (const m of medicationPatterns) {
        if (m.needle !== undefined && !lower.includes(m.needle)) continue;
        if (m.pattern.test(text)) found.push(m.match);
      }
      return found;
    },
    matchDepartment(text) {
      const haystack = text.toLowerCase();
      return departmentPatterns.filter((d) => haystack.includes(d.needle)).map((d) => d.match);
    },
  };
}

/** The shipped California value set, compiled once. */
export const DEFAULT_VALUE_SET: CompiledValueSet = compileValueSet(caMinorConsentJson);
