/**
 * The immunization record for school, laid out like California's School Immunization Record (CDPH 286, the "blue
 * card"): one row per required vaccine in the card's order — Polio, DTaP/DTP/DT/Td, Tdap, MMR, Hib, Hepatitis B,
 * Varicella — then every other vaccine by name. Only doses that were given are listed (status "completed"; not-done
 * and entered-in-error never appear), each as a calendar date (no time of day: instants become the hospital's
 * calendar day). A combination vaccine counts in every row it covers (DTaP-HepB-IPV is a DTaP, a Hep B and a
 * polio dose), as the card asks.
 *
 * Rows are matched by CVX code (http://hl7.org/fhir/sid/cvx, CDC "CVX — Vaccines Administered"), else by the
 * vaccine's name for uncoded doses.
 */
import { calendarDateIn } from './age.ts';
import { labelText } from './display.ts';
import type { ImmunizationDose, ImmunizationRecord, Label } from './view-models.ts';

export const SCHOOL_FORM_ROWS = ['polio', 'dtap', 'tdap', 'mmr', 'hib', 'hepb', 'varicella'] as const;
export type SchoolFormRow = (typeof SCHOOL_FORM_ROWS)[number];

/** CVX codes per CDPH 286 row. Combination vaccines appear in each row they cover. */
const CVX_ROWS: Readonly<Record<SchoolFormRow, readonly string[]>> = {
  polio: ['02', '10', '89', '110', '120', '130', '146', '170'],
  dtap: ['01', '09', '20', '22', '28', '50', '102', '106', '107', '110', '113', '120', '130', '138', '139', '146', '170', '196'],
  tdap: ['115'],
  mmr: ['03', '04', '05', '06', '07', '94'],
  hib: ['17', '22', '46', '47', '48', '49', '50', '51', '102', '120', '146', '148', '170'],
  hepb: ['08', '42', '43', '44', '45', '51', '102', '104', '110', '146', '189'],
  varicella: ['21', '94'],
};

/** Names of uncoded doses (word-boundary matches, case-insensitive). */
const NAME_ROWS: Readonly<Record<SchoolFormRow, RegExp>> = {
  polio: /\b(polio|ipv|opv)\b/i,
  dtap: /\b(dtap|dtp|dt|td)\b/i,
  tdap: /\btdap\b/i,
  mmr: /\b(mmr|mmrv|measles|mumps|rubella)\b/i,
  hib: /\b(hib|haemophilus)\b/i,
  hepb: /\b(hep\s*b|hepatitis\s*b|hepb)\b/i,
  varicella: /\b(varicella|chickenpox|mmrv)\b/i,
};

export function schoolRowsOf(dose: Pick<ImmunizationDose, 'cvx' | 'vaccine'>): SchoolFormRow[] {
  if (dose.cvx !== undefined) {
    const cvx = dose.cvx.padStart(2, '0');
    const byCode = SCHOOL_FORM_ROWS.filter((row) => CVX_ROWS[row].includes(cvx));
    if (byCode.length > 0) return byCode;
  }
  const name = labelText(dose.vaccine);
  if (name === undefined) return [];
  return SCHOOL_FORM_ROWS.filter((row) => NAME_ROWS[row].test(name));
}

export interface SchoolDose {
  readonly key: string;
  /** Calendar date as written (YYYY-MM-DD, or YYYY-MM / YYYY when the EHR was less precise); undefined = undated. */
  readonly date?: string;
}

export interface SchoolVaccineRow {
  readonly key: string;
  /** The CDPH 286 row, or undefined for "other" vaccines (named by `vaccine`). */
  readonly row?: SchoolFormRow;
  readonly vaccine?: Label;
  /** Oldest first; undated doses last. */
  readonly doses: readonly SchoolDose[];
}

function calendarDateOf(dose: ImmunizationDose, timeZone: string): string | undefined {
  const date = dose.date;
  if (date === undefined) return undefined;
  if (date.precision !== 'time') return date.iso.slice(0, date.precision === 'day' ? 10 : date.precision === 'month' ? 7 : 4);
  const day = calendarDateIn(date.iso, timeZone);
  if (day === undefined) return date.iso.slice(0, 10);
  return `${String(day.year).padStart(4, '0')}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

function byDate(a: SchoolDose, b: SchoolDose): number {
  if (a.date === undefined) return b.date === undefined ? 0 : 1;
  if (b.date === undefined) return -1;
  return a.date.localeCompare(b.date);
}

/** The school card's rows: the CDPH 286 rows that have a given dose, in the card's order, then the others A→Z. */
export function schoolImmunizationRows(record: ImmunizationRecord, timeZone: string): SchoolVaccineRow[] {
  const formRows = new Map<SchoolFormRow, SchoolDose[]>();
  const others: SchoolVaccineRow[] = [];
  for (const group of record.groups) {
    const given = group.doses.filter((dose) => dose.status === 'completed');
    const otherDoses: SchoolDose[] = [];
    for (const dose of given) {
      const entry: SchoolDose = { key: dose.key, ...(calendarDateOf(dose, timeZone) !== undefined && { date: calendarDateOf(dose, timeZone) }) };
      const rows = schoolRowsOf(dose);
      if (rows.length === 0) otherDoses.push(entry);
      for (const row of rows) formRows.set(row, [...(formRows.get(row) ?? []), entry]);
    }
    if (otherDoses.length > 0) others.push({ key: `other:${group.key}`, vaccine: group.vaccine, doses: otherDoses.sort(byDate) });
  }
  const required: SchoolVaccineRow[] = SCHOOL_FORM_ROWS.flatMap((row) => {
    const doses = formRows.get(row);
    return doses === undefined ? [] : [{ key: row, row, doses: [...doses].sort(byDate) }];
  });
  // record.groups is already A→Z by vaccine name, so the others keep that order.
  return [...required, ...others];
}
