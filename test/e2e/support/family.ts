/**
 * What the tests know about the Rivera demo family (docs/sandbox.md, fixtures/family/), independent of the product
 * code: names, patient ids, the sandbox sign-ins, and Isabel's minor-consented records (ids and the display strings
 * of their codes, people and places) that must never reach a guardian.
 */
import type { Locator, Page } from 'playwright-core';
import { visibleText } from './page-text.ts';

export const CHILDREN = {
  leo: { id: 'leo-rivera', name: 'Leo Rivera' },
  sofia: { id: 'sofia-rivera', name: 'Sofia Rivera' },
  mateo: { id: 'mateo-rivera', name: 'Mateo Rivera' },
  isabel: { id: 'isabel-rivera', name: 'Isabel Rivera' },
  elena: { id: 'elena-rivera', name: 'Elena Rivera' },
} as const;

/** Ids of Isabel's minor-consented records (docs/sandbox.md, "Isabel's minor-consented records"). */
export const ISABEL_SENSITIVE_IDS = [
  'isabel-teen-clinic-visit',
  'isabel-chlamydia-naat',
  'isabel-gonorrhea-naat',
  'isabel-sti-panel',
  'isabel-chlamydia',
  'isabel-azithromycin',
  'isabel-yaz',
  'isabel-hcg-urine',
  'isabel-behavioral-health-visit',
  'isabel-anxiety',
  'isabel-gad7',
  'isabel-appt-behavioral-health',
  'isabel-phq-teen',
  'isabel-bh-note',
  'isabel-audit-c',
  'isabel-dast-10',
  'isabel-appt-teen-clinic',
] as const;

/**
 * Words a guardian must never see about Isabel: the displays of those records' codes, medications, clinicians who
 * only saw her for confidential care, and the confidential departments. Matched case-sensitively as written in the
 * fixture, so a translated or re-cased leak is still caught by the id list and the narrower stems below.
 */
export const ISABEL_SENSITIVE_TEXTS = [
  'Chlamydia',
  'Chlamydial',
  'gonorrhoeae',
  'Gonorrhea',
  'Azithromycin',
  'azithromycin',
  'Yaz',
  'drospirenone',
  'Contraception',
  'Choriogonadotropin',
  'pregnancy test',
  'Pregnancy test',
  'Prueba de embarazo',
  'Generalized anxiety',
  'GAD-7',
  'PHQ',
  'AUDIT-C',
  'DAST-10',
  'Psychotherapy',
  'Therapy session',
  'Teen Clinic',
  'Behavioral Health',
  'Adolescent medicine',
  'Teen health',
  'Salud de adolescentes',
  'Marcus Lee',
  'Hannah Kim',
] as const;

/** Isabel's confidential phone and e-mail (Patient.telecom with the confidential-contact extension). */
export const ISABEL_CONFIDENTIAL_CONTACT = ['+1-714-555-0199', '555-0199', 'isabel.r@example.org'] as const;

/** Every sensitive id or text found in `text` (empty when clean). */
export function sensitiveHits(text: string): string[] {
  return [...ISABEL_SENSITIVE_IDS, ...ISABEL_SENSITIVE_TEXTS, ...ISABEL_CONFIDENTIAL_CONTACT].filter((needle) => text.includes(needle));
}

/** The dashboard card of one child (the <sprout-child-card> whose heading is the child's name). */
export function childCard(page: Page, name: string): Locator {
  return page.locator('sprout-child-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

export async function cardText(page: Page, name: string): Promise<string> {
  const card = childCard(page, name);
  await card.waitFor();
  return visibleText(card);
}

/**
 * A calendar date `days` after today (UTC calendar, as the sandbox shifts the fixture), formatted like the app's
 * long dates ("November 25, 2026" / "25 de noviembre de 2026").
 */
export function daysFromTodayLong(days: number, locale: 'en-US' | 'es'): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** The same records as FHIR references (plus the Binary behind the confidential note), for direct gateway probes. */
export const ISABEL_SENSITIVE_REFERENCES = [
  'Encounter/isabel-teen-clinic-visit',
  'Encounter/isabel-behavioral-health-visit',
  'Observation/isabel-chlamydia-naat',
  'Observation/isabel-gonorrhea-naat',
  'Observation/isabel-hcg-urine',
  'Observation/isabel-gad7',
  'Observation/isabel-phq-teen',
  'Observation/isabel-audit-c',
  'Observation/isabel-dast-10',
  'DiagnosticReport/isabel-sti-panel',
  'Condition/isabel-chlamydia',
  'Condition/isabel-anxiety',
  'MedicationRequest/isabel-azithromycin',
  'MedicationRequest/isabel-yaz',
  'Appointment/isabel-appt-behavioral-health',
  'Appointment/isabel-appt-teen-clinic',
  'DocumentReference/isabel-bh-note',
  'Binary/isabel-bh-note-content',
] as const;

/** Searches over Isabel's record a page (or a curious script with the page's cookie) could make through /fhir. */
export const ISABEL_SEARCHES = [
  'Condition?patient=isabel-rivera',
  'Observation?patient=isabel-rivera',
  'DiagnosticReport?patient=isabel-rivera',
  'MedicationRequest?patient=isabel-rivera&_include=MedicationRequest:medication',
  'Encounter?patient=isabel-rivera',
  'DocumentReference?patient=isabel-rivera',
  'Appointment?patient=isabel-rivera',
  'Patient/isabel-rivera',
] as const;

/** The fixture's anchor date (fixtures/family/seed-manifest.json): every fixture date moves by today − anchor. */
const FIXTURE_ANCHOR = '2025-06-02';

/** A fixture calendar date as the sandbox serves it today, formatted like the app's medium dates ("Jul 26, 2026"). */
export function shiftedFixtureDate(fixtureDate: string, locale: 'en-US' | 'es' = 'en-US'): string {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const shiftDays = Math.round((today - Date.parse(`${FIXTURE_ANCHOR}T00:00:00Z`)) / 86_400_000);
  const shifted = new Date(Date.parse(`${fixtureDate}T00:00:00Z`) + shiftDays * 86_400_000);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(shifted);
}
