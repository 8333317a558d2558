/**
 * Reading a medicine's ingredients from its names (CodeableConcept text and coding displays, a Medication's code and
 * ingredient list) when its code is in no set. One precompiled table of every known name (as word sequences) is looked
 * up word run by word run; the hormone rules below then decide what the names found mean together.
 *
 * Hormones are dual-use at ingredient level (terminology README, "Ingredient vs product level"): a progestin together
 * with an estrogen is a contraceptive; so are the progestins sold only as contraceptives (drospirenone, desogestrel,
 * levonorgestrel, etonogestrel, …), norethindrone at the progestin-only-pill dose 0.35 MG, and medroxyprogesterone by
 * injection (150 MG/ML, 104 MG). An estrogen alone, norethindrone acetate alone (5 MG) and
 * medroxyprogesterone tablets (2.5–10 MG) are also hormone therapy: dual-use. Ethinyl estradiol alone is the
 * estrogen-only part of extended contraceptive packs: contraceptive.
 */
import type { SensitivityCategory } from './categories.ts';

export interface NamedIngredient {
  readonly category: SensitivityCategory;
  /** Where the name comes from, for the explain tool. */
  readonly origin: string;
  /** Set for dual-use names (antidepressants, opioid analgesics, …). */
  readonly dualUse?: string;
}

export interface IngredientVocabulary {
  /** Names whose presence marks a category (terminology ingredients, reviewed brand names). */
  readonly sensitive: ReadonlyMap<string, NamedIngredient>;
  /** Names known not to be sensitive by themselves (reviewed list): they make a medicine readable. */
  readonly readable: ReadonlySet<string>;
}

export interface IngredientFinding {
  readonly category: SensitivityCategory;
  readonly detail: string;
  readonly dualUse?: string;
}

export interface IngredientReading {
  readonly findings: readonly IngredientFinding[];
  /** The names found (lower case): non-empty means the text was read, not guessed. */
  readonly names: readonly string[];
}

type HormoneRole = 'estrogen' | 'progestin' | 'other';

interface HormoneRule {
  readonly role: HormoneRole;
  /** Contraceptive-specific even alone (true), only at a dose the pattern finds, or never alone (false). */
  readonly alone: true | false | RegExp;
  /** Why it is dual-use alone. */
  readonly otherUse?: string;
}

const CONTRACEPTIVE_PROGESTIN: HormoneRule = { role: 'progestin', alone: true };
/** Medroxyprogesterone by injection (150 MG/ML IM, 104 MG subcutaneous; the public set lists 400 MG/ML too). */
const DMPA_INJECTION = /\b(?:150|104)\s*mg\b|inject|prefilled syringe|intramuscular|subq|subcutaneous/i;

/** Reviewed table (terminology README "Ingredient vs product level"; Sprout review 2026-12). Lower-case names. */
const HORMONE_RULES: ReadonlyMap<string, HormoneRule> = new Map<string, HormoneRule>([
  // Ethinyl estradiol alone is only sold as the estrogen-only days of extended contraceptive packs (the public set lists
  // "ethinyl estradiol 0.01 MG Oral Tablet" as a contraceptive); hormone therapy uses estradiol.
  ['ethinyl estradiol', { role: 'estrogen', alone: true }],
  ['estradiol valerate', { role: 'estrogen', alone: false, otherUse: 'an estrogen alone is also hormone therapy' }],
  ['mestranol', { role: 'estrogen', alone: false, otherUse: 'an estrogen alone is also hormone therapy' }],
  ['desogestrel', CONTRACEPTIVE_PROGESTIN],
  ['dienogest', CONTRACEPTIVE_PROGESTIN],
  ['drospirenone', CONTRACEPTIVE_PROGESTIN],
  ['ethynodiol diacetate', CONTRACEPTIVE_PROGESTIN],
  ['etonogestrel', CONTRACEPTIVE_PROGESTIN],
  ['levonorgestrel', CONTRACEPTIVE_PROGESTIN],
  ['norelgestromin', CONTRACEPTIVE_PROGESTIN],
  ['norgestimate', CONTRACEPTIVE_PROGESTIN],
  ['norgestrel', CONTRACEPTIVE_PROGESTIN],
  ['segesterone', CONTRACEPTIVE_PROGESTIN],
  ['norethynodrel', CONTRACEPTIVE_PROGESTIN],
  ['gestodene', CONTRACEPTIVE_PROGESTIN],
  ['nomegestrol', CONTRACEPTIVE_PROGESTIN],
  [
    'norethindrone',
    { role: 'progestin', alone: /norethindrone\s+0?\.35\s*mg/i, otherUse: 'norethindrone alone above the 0.35 MG pill dose also treats bleeding disorders' },
  ],
  ['norethindrone acetate', { role: 'progestin', alone: false, otherUse: 'norethindrone acetate alone (5 MG) treats endometriosis and bleeding' }],
  [
    'medroxyprogesterone acetate',
    { role: 'progestin', alone: DMPA_INJECTION, otherUse: 'medroxyprogesterone tablets (2.5–10 MG) are hormone therapy' },
  ],
  [
    'medroxyprogesterone',
    { role: 'progestin', alone: DMPA_INJECTION, otherUse: 'medroxyprogesterone tablets (2.5–10 MG) are hormone therapy' },
  ],
  ['levomefolate calcium', { role: 'other', alone: false, otherUse: 'levomefolate alone is a folate supplement' }],
]);

/** Names the hormone rules know even when no list carries them (aliases without the salt). */
export const HORMONE_NAMES: readonly string[] = [...HORMONE_RULES.keys()];

/** Names compare as lower-case words: "Depo-Provera", "depo provera" and "DEPO  PROVERA" are the same name. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 0);
}

function canonicalName(name: string): string {
  return wordsOf(name).join(' ');
}

export interface IngredientMatcher {
  read(text: string): IngredientReading;
}

/** Precompiles the table of every known name (whole words, case-insensitive). */
export function compileIngredientMatcher(vocabulary: IngredientVocabulary): IngredientMatcher {
  const byCanonical = new Map<string, { sensitive?: NamedIngredient; hormone?: HormoneRule }>();
  for (const [name, ingredient] of vocabulary.sensitive) {
    byCanonical.set(canonicalName(name), { ...byCanonical.get(canonicalName(name)), sensitive: ingredient });
  }
  for (const [name, rule] of HORMONE_RULES) byCanonical.set(canonicalName(name), { ...byCanonical.get(canonicalName(name)), hormone: rule });
  for (const name of vocabulary.readable) if (!byCanonical.has(canonicalName(name))) byCanonical.set(canonicalName(name), {});
  // One precompiled table: every known name as its lower-case word sequence. A text is read by looking up its word
  // runs, longest first (so "norethindrone acetate" wins over "norethindrone"): whole words only, map lookups only.
  let longest = 1;
  for (const name of byCanonical.keys()) longest = Math.max(longest, name.split(' ').length);

  return {
    read(text) {
      const found = new Set<string>();
      const words = wordsOf(text);
      for (let start = 0; start < words.length; ) {
        let matched = 0;
        for (let length = Math.min(longest, words.length - start); length >= 1; length -= 1) {
          const candidate = length === 1 ? (words[start] as string) : words.slice(start, start + length).join(' ');
          if (byCanonical.has(candidate)) {
            found.add(candidate);
            matched = length;
            break;
          }
        }
        start += matched > 0 ? matched : 1;
      }
      if (found.size === 0) return { findings: [], names: [] };
      const findings: IngredientFinding[] = [];
      const hormones: { name: string; rule: HormoneRule }[] = [];
      for (const name of found) {
        const known = byCanonical.get(name);
        if (known?.hormone) hormones.push({ name, rule: known.hormone });
        else if (known?.sensitive) {
          const { category, origin, dualUse } = known.sensitive;
          findings.push({ category, detail: `ingredient "${name}" (${origin})`, ...(dualUse ? { dualUse } : {}) });
        }
      }
      findings.push(...readHormones(hormones, text, byCanonical));
      return { findings, names: [...found] };
    },
  };
}

function readHormones(
  hormones: readonly { name: string; rule: HormoneRule }[],
  text: string,
  byCanonical: ReadonlyMap<string, { sensitive?: NamedIngredient }>,
): IngredientFinding[] {
  if (hormones.length === 0) return [];
  const originOf = (name: string): string => byCanonical.get(name)?.sensitive?.origin ?? 'Sprout hormone rules';
  const estrogens = hormones.filter((h) => h.rule.role === 'estrogen');
  const progestins = hormones.filter((h) => h.rule.role === 'progestin');
  if (estrogens.length > 0 && progestins.length > 0) {
    const pair = `${progestins[0]?.name} + ${estrogens[0]?.name}`;
    return [{ category: 'sexual-reproductive', detail: `progestin + estrogen combination "${pair}" (${originOf(progestins[0]?.name ?? '')}; contraceptive)` }];
  }
  const findings: IngredientFinding[] = [];
  for (const { name, rule } of hormones) {
    const specific = rule.alone === true || (rule.alone instanceof RegExp && rule.alone.test(text));
    if (specific) {
      findings.push({ category: 'sexual-reproductive', detail: `contraceptive hormone "${name}"${rule.alone instanceof RegExp ? ' at a contraceptive dose' : ''} (${originOf(name)})` });
    } else {
      findings.push({ category: 'sexual-reproductive', detail: `hormone "${name}" alone (${originOf(name)})`, dualUse: rule.otherUse ?? 'hormone alone' });
    }
  }
  return findings;
}
