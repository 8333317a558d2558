/**
 * The compiled value set the classifier asks: the shipped public terminology (terminology.ts) plus the reviewed local
 * additions (value-sets/ca-minor-consent.json: what the public sets lack — CPT/HCPCS/CVX codes, ICD-10-CM prefixes,
 * brand names, department names, reviewed exclusions, readable everyday ingredients) plus, optionally, a hospital
 * profile's own `localTerminology`. Compiled once into lookup tables; the classifier then only does map lookups and
 * runs one precompiled ingredient pattern.
 */
import { z } from 'zod';
import { SENSITIVITY_CATEGORY_IDS, type SensitivityCategory } from './categories.ts';
import { compileIngredientMatcher, type IngredientReading, type NamedIngredient } from './ingredients.ts';
import { describeSource, normalizeCode, SHIPPED_TERMINOLOGY, type Terminology } from './terminology.ts';
import caMinorConsentJson from './value-sets/ca-minor-consent.json' with { type: 'json' };

const category = z.enum(SENSITIVITY_CATEGORY_IDS);
const source = z.string().min(3);

/** Entries a reviewed local list (the shipped additions or a hospital profile) may carry. Every entry has a source. */
export const localTerminologySchema = z
  .object({
    systemAliases: z.record(z.string(), z.string()).default({}),
    codes: z
      .array(
        z
          .object({ system: z.string().min(3), code: z.string().min(1), display: z.string(), category, dualUse: z.string().min(3).optional(), source })
          .strict(),
      )
      .default([]),
    codePrefixes: z.array(z.object({ system: z.string().min(3), prefix: z.string().min(1), display: z.string(), category, source }).strict()).default([]),
    medicationNames: z.array(z.object({ name: z.string().min(3), category, dualUse: z.string().min(3).optional(), source }).strict()).default([]),
    departments: z.array(z.object({ match: z.string().min(3), category, source }).strict()).default([]),
    notSensitive: z
      .array(z.object({ system: z.string().min(3), code: z.string().min(1), display: z.string(), reason: z.string().min(3), source }).strict())
      .default([]),
    /** Ingredient names known NOT to be sensitive by themselves: a medicine naming one is readable (shown as usual). */
    readableIngredients: z.array(z.object({ names: z.array(z.string().min(3)).min(1), source }).strict()).default([]),
  })
  .strict();

const valueSetSchema = localTerminologySchema.extend({ id: z.string().min(1), version: z.string().min(1), source }).strict();

export type LocalTerminology = z.input<typeof localTerminologySchema>;
type LocalTerminologyParsed = z.output<typeof localTerminologySchema>;

export interface ValueSetMatch {
  readonly category: SensitivityCategory;
  /** What matched and where it comes from: the code, the value set title and OID, the repository (or the reviewer). */
  readonly detail: string;
  /** Set when the code is routinely used outside confidential care (it then needs corroborating context). */
  readonly dualUse?: string;
}

export interface CompiledValueSet {
  readonly id: string;
  /** Matches for one coding; empty when the code is unknown or reviewed as not sensitive. */
  matchCoding(system: string | undefined, code: string | undefined): readonly ValueSetMatch[];
  /** Whether a coding is known at all (in a set, a local list or the reviewed exclusions): a medicine so coded is read. */
  knowsCoding(system: string | undefined, code: string | undefined): boolean;
  /** The ingredients a medicine name or description names, and what they mean (see ingredients.ts). */
  readMedicationText(text: string): IngredientReading;
  /** Categories for a department / service name (case-insensitive substring). */
  matchDepartment(text: string): readonly ValueSetMatch[];
}

const SYSTEM_NAMES: Readonly<Record<string, string>> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://loinc.org': 'LOINC',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
};

function parseOrThrow<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid ${what}:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Validates and compiles the reviewed local additions (and any further local lists, e.g. a hospital's) on top of the
 * terminology. Throws with the bad field named; callers refuse to start if it throws.
 */
export function compileValueSet(
  json: unknown,
  terminology: Terminology = SHIPPED_TERMINOLOGY,
  extra: readonly { readonly label: string; readonly data: unknown }[] = [],
): CompiledValueSet {
  const base = parseOrThrow(valueSetSchema, json, 'sensitivity value set');
  const parts: { label: string; data: LocalTerminologyParsed }[] = [
    { label: 'reviewed local addition', data: base },
    ...extra.map((e) => ({ label: e.label, data: parseOrThrow(localTerminologySchema, e.data, `local terminology (${e.label})`) })),
  ];
  const aliases: Record<string, string> = {};
  for (const part of parts) Object.assign(aliases, part.data.systemAliases);
  const canonical = (system: string): string => aliases[system] ?? system;
  const keyOf = (system: string, code: string): string => {
    const sys = canonical(system);
    return `${sys}|${normalizeCode(sys, code)}`;
  };

  const excluded = new Map<string, string>();
  for (const part of parts) for (const e of part.data.notSensitive) excluded.set(keyOf(e.system, e.code), e.reason);
  const local = new Map<string, ValueSetMatch[]>();
  for (const part of parts) {
    for (const e of part.data.codes) {
      const key = keyOf(e.system, e.code);
      if (excluded.has(key)) throw new Error(`Invalid sensitivity value set: ${key} is both sensitive and reviewed as not sensitive`);
      const list = local.get(key) ?? [];
      list.push({ category: e.category, detail: `${e.code} ${e.display} — ${part.label}: ${e.source}`, ...(e.dualUse ? { dualUse: e.dualUse } : {}) });
      local.set(key, list);
    }
  }

  // Prefixes grouped per system and keyed by the prefix itself: one map lookup per distinct prefix length.
  const prefixesBySystem = new Map<string, { lengths: number[]; byPrefix: Map<string, ValueSetMatch[]> }>();
  for (const part of parts) {
    for (const e of part.data.codePrefixes) {
      const system = canonical(e.system);
      const prefix = normalizeCode(system, e.prefix);
      let table = prefixesBySystem.get(system);
      if (table === undefined) {
        table = { lengths: [], byPrefix: new Map() };
        prefixesBySystem.set(system, table);
      }
      if (!table.lengths.includes(prefix.length)) table.lengths.push(prefix.length);
      const list = table.byPrefix.get(prefix) ?? [];
      list.push({ category: e.category, detail: `${e.prefix}* ${e.display} — ${part.label}: ${e.source}` });
      table.byPrefix.set(prefix, list);
    }
  }
  for (const table of prefixesBySystem.values()) table.lengths.sort((a, b) => a - b);

  // Ingredient vocabulary: the terminology's names, the reviewed brand/ingredient names, the readable everyday names.
  const sensitive = new Map<string, NamedIngredient>();
  for (const [name, entry] of terminology.dualUseIngredients) {
    sensitive.set(name, { category: entry.category, origin: `dual-use, from the RxNorm names of set ${entry.set}`, dualUse: entry.dualUse ?? 'dual-use' });
  }
  for (const [name, entry] of terminology.ingredients) {
    sensitive.set(name, { category: entry.category, origin: `set ${entry.set}, rxnorm-ingredient-names.json` });
  }
  for (const part of parts) {
    for (const e of part.data.medicationNames) {
      sensitive.set(e.name.toLowerCase(), { category: e.category, origin: `${part.label}: ${e.source}`, ...(e.dualUse ? { dualUse: e.dualUse } : {}) });
    }
  }
  const readable = new Set<string>();
  for (const part of parts) for (const group of part.data.readableIngredients) for (const name of group.names) readable.add(name.toLowerCase());
  const ingredients = compileIngredientMatcher({ sensitive, readable });

  const departmentPatterns = parts.flatMap((part) =>
    part.data.departments.map((e) => ({ needle: e.match.toLowerCase(), match: { category: e.category, detail: `department "${e.match}" (${part.label})` } })),
  );
  const none: readonly ValueSetMatch[] = Object.freeze([]);

  function terminologyMatches(key: string, system: string, code: string): ValueSetMatch[] {
    const entries = terminology.codes.get(key);
    if (entries === undefined) return [];
    const name = SYSTEM_NAMES[system] ?? system;
    return entries.map((e) => ({
      category: e.category,
      detail: `${name} ${code} in set ${e.set}: ${describeSource(e.source)}`,
      ...(e.dualUse ? { dualUse: e.dualUse } : {}),
    }));
  }

  function matchCodingUncached(system: string, code: string): readonly ValueSetMatch[] {
    const sys = canonical(system);
    const key = `${sys}|${normalizeCode(sys, code)}`;
    if (excluded.has(key)) return none;
    // Reviewed local entries first: they are the more specific reading (Z69.1 is IPV before it is mental health).
    const found = [...(local.get(key) ?? [])];
    const table = prefixesBySystem.get(sys);
    if (table !== undefined) {
      const normalized = normalizeCode(sys, code);
      for (const length of table.lengths) {
        if (length > normalized.length) break;
        const hits = table.byPrefix.get(normalized.slice(0, length));
        if (hits !== undefined) found.push(...hits);
      }
    }
    found.push(...terminologyMatches(key, sys, code));
    return found.length === 0 ? none : Object.freeze(found);
  }

  // The same few hundred (system, code) pairs recur across a record; answers are a pure function of the pair, so they
  // are remembered (bounded: the table is dropped and rebuilt if a stream of distinct codes fills it).
  const MEMO_LIMIT = 20_000;
  const memo = new Map<string, Map<string, readonly ValueSetMatch[]>>();
  let memoSize = 0;
  function matchCoding(system: string | undefined, code: string | undefined): readonly ValueSetMatch[] {
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
  }

  const readings = new Map<string, IngredientReading>();

  return {
    id: `${base.id}@${base.version}+terminology${parts.length > 1 ? `+${parts.slice(1).map((p) => p.label).join('+')}` : ''}`,
    matchCoding,
    knowsCoding(system, code) {
      if (!system || !code) return false;
      if (matchCoding(system, code).length > 0) return true;
      return excluded.has(keyOf(system, code));
    },
    readMedicationText(text) {
      // The same few medicine names recur on every request; readings are a pure function of the text (bounded memo).
      let reading = readings.get(text);
      if (reading === undefined) {
        reading = ingredients.read(text);
        if (readings.size >= 5_000) readings.clear();
        if (text.length <= 1_000) readings.set(text, reading);
      }
      return reading;
    },
    matchDepartment(text) {
      const haystack = text.toLowerCase();
      return departmentPatterns.filter((d) => haystack.includes(d.needle)).map((d) => d.match);
    },
  };
}

/** The shipped California value set (terminology + reviewed local additions), compiled once. */
export const DEFAULT_VALUE_SET: CompiledValueSet = compileValueSet(caMinorConsentJson);

const PROFILE_VALUE_SETS = new WeakMap<object, CompiledValueSet>();

/**
 * The value set for a hospital profile: the default one, or (when the profile adds its own codes, code systems or
 * names in `localTerminology`) the default plus those, compiled once per profile object.
 */
export function valueSetForProfile(profile: { readonly id: string; readonly localTerminology?: LocalTerminology | undefined }): CompiledValueSet {
  const own = profile.localTerminology;
  if (own === undefined) return DEFAULT_VALUE_SET;
  let compiled = PROFILE_VALUE_SETS.get(profile);
  if (compiled === undefined) {
    compiled = compileValueSet(caMinorConsentJson, SHIPPED_TERMINOLOGY, [{ label: `profile ${profile.id}`, data: own }]);
    PROFILE_VALUE_SETS.set(profile, compiled);
  }
  return compiled;
}
