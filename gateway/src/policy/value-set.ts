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
  const prefixes = data.codePrefixes.map((e) => ({
    system: canonical(e.system),
    prefix: normalizeCode(canonical(e.system), e.prefix),
    match: { category: e.category, detail: `${e.prefix}* ${e.display}` },
  }));
  const medicationPatterns = data.medicationNames.map((e) => ({
    pattern: new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(e.name)}($|[^A-Za-z0-9])`, 'i'),
    match: { category: e.category, detail: `medication name "${e.name}"` },
  }));
  const departmentPatterns = data.departments.map((e) => ({
    needle: e.match.toLowerCase(),
    match: { category: e.category, detail: `department "${e.match}"` },
  }));

  return {
    id: `${data.id}@${data.version}`,
    matchCoding(system, code) {
      if (!system || !code) return [];
      const sys = canonical(system);
      const normalized = normalizeCode(sys, code);
      if (excluded.has(`${sys}|${normalized}`)) return [];
      const exact = byCode.get(`${sys}|${normalized}`) ?? [];
      const prefixed = prefixes.filter((p) => p.system === sys && normalized.startsWith(p.prefix)).map((p) => p.match);
      return [...exact, ...prefixed];
    },
    matchMedicationName(text) {
      return medicationPatterns.filter((m) => m.pattern.test(text)).map((m) => m.match);
    },
    matchDepartment(text) {
      const haystack = text.toLowerCase();
      return departmentPatterns.filter((d) => haystack.includes(d.needle)).map((d) => d.match);
    },
  };
}

/** The shipped California value set, compiled once. */
export const DEFAULT_VALUE_SET: CompiledValueSet = compileValueSet(caMinorConsentJson);
