/**
 * Plain units for families: UCUM codes (and the same strings sent as Quantity.unit) → words a parent reads
 * ("10*3/uL" → "thousand per µL", "m[IU]/L" → "mIU/L"), in English and Spanish. Units not in the table are cleaned
 * by rule: UCUM annotations in braces dropped, "[IU]" → "IU", a micro prefix "u" → "µ", "10*n" → "×10ⁿ", "m2" → "m²".
 * Total: never returns "undefined" or an empty string for a non-empty unit.
 */
import { plainLanguage } from './plain-lab-names.ts';

interface PlainUnit {
  readonly en: string;
  readonly es: string;
}

const same = (text: string): PlainUnit => ({ en: text, es: text });

/** 10^9/L is numerically 10^3/µL (and 10^12/L is 10^6/µL), so cell counts read the same either way. */
const UNITS: Readonly<Record<string, PlainUnit>> = {
  '10*3/uL': { en: 'thousand per µL', es: 'mil por µL' },
  '10*3/mm3': { en: 'thousand per µL', es: 'mil por µL' },
  '10*9/L': { en: 'thousand per µL', es: 'mil por µL' },
  'K/uL': { en: 'thousand per µL', es: 'mil por µL' },
  '10*6/uL': { en: 'million per µL', es: 'millones por µL' },
  '10*6/mm3': { en: 'million per µL', es: 'millones por µL' },
  '10*12/L': { en: 'million per µL', es: 'millones por µL' },
  'M/uL': { en: 'million per µL', es: 'millones por µL' },
  '/uL': { en: 'per µL', es: 'por µL' },
  '/mm3': { en: 'per µL', es: 'por µL' },
  '/min': { en: 'per minute', es: 'por minuto' },
  '{beats}/min': { en: 'beats per minute', es: 'latidos por minuto' },
  '/min{beats}': { en: 'beats per minute', es: 'latidos por minuto' },
  '{breaths}/min': { en: 'breaths per minute', es: 'respiraciones por minuto' },
  '{score}': { en: 'points', es: 'puntos' },
  '{Score}': { en: 'points', es: 'puntos' },
  'mm[Hg]': same('mmHg'),
  'm[IU]/L': same('mIU/L'),
  'm[IU]/mL': same('mIU/mL'),
  'u[IU]/mL': same('µIU/mL'),
  '[IU]/L': same('IU/L'),
  '[IU]/mL': same('IU/mL'),
  'mL/min/{1.73_m2}': same('mL/min/1.73 m²'),
  'kg/m2': same('kg/m²'),
  'mm/h': { en: 'mm/hr', es: 'mm/h' },
};

/** Rule-based clean-up for units outside the table. */
function cleanUnit(unit: string): string {
  const cleaned = unit
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[([A-Za-z]+)\]/g, '$1')
    .replace(/(^|[/.( ])u(?=(g|mol|L|IU|m|U)\b|[gLU](?:\/|$))/g, '$1µ')
    .replace(/10\*(\d+)/g, (_, power: string) => `×10${[...power].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)] ?? d).join('')}`)
    .replace(/m2\b/g, 'm²')
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' || cleaned === '/' ? unit : cleaned;
}

/**
 * The plain form of a unit (the UCUM code when known, else Quantity.unit), in the reader's language; undefined
 * when there is no unit. The `1` of UCUM (a unitless ratio) gives undefined too.
 */
export function plainUnit(unit: string | undefined, locale: string): string | undefined {
  if (unit === undefined) return undefined;
  const trimmed = unit.trim();
  if (trimmed === '' || trimmed === '1') return undefined;
  const entry = UNITS[trimmed];
  if (entry !== undefined) return entry[plainLanguage(locale)];
  return cleanUnit(trimmed);
}
