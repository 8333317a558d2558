import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousAxeViolations, startHarness, type HarnessSession } from '../components/harness-server.ts';
import { createFhirFixtureServer } from './fhir-fixture-plugin.ts';
import { deepText } from './page-text.ts';
import { allergy, immunizations, labObservations, labReport, patient, PATIENT_ID, searchset, sessionFor } from './fixtures.ts';

const fhir = createFhirFixtureServer();
let harness: HarnessSession;

beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'), [fhir.plugin]);
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(() => {
  fhir.requests.length = 0;
  fhir.routes.clear();
  fhir.failNext(0);
  fhir.routes.set(`/fhir/Patient/${PATIENT_ID}`, patient);
  fhir.routes.set('/fhir/Condition?', searchset([]));
  fhir.routes.set('/fhir/AllergyIntolerance?', searchset([allergy]));
  fhir.routes.set('/fhir/MedicationRequest?', searchset([]));
  fhir.routes.set('/fhir/Immunization?', searchset(immunizations));
  fhir.routes.set('/fhir/Observation?', searchset(labObservations));
  fhir.routes.set('/fhir/DiagnosticReport?', searchset([labReport]));
});

type Level = 'full' | 'allow-listed' | 'none';

async function open(level: Level, section?: string, width = 1024) {
  const page = await harness.newPage({ width });
  await page.evaluate(([session, id, sec]) => window.recordHarness.mount(session, id, sec), [sessionFor(level), PATIENT_ID, section] as const);
  return page;
}

describe('<sprout-patient-record>', () => {
  it('full access: the summary shows the banner and lists, loaded in parallel through /fhir', async () => {
    const page = await open('full', undefined, 360);
    await page.getByRole('heading', { level: 1, name: 'Lucía Reyes' }).waitFor();
    await page.getByRole('heading', { name: 'Peanut' }).waitFor();
    const banner = await page.getByTestId('patient-banner').innerText();
    expect(banner).toContain('MRN-00417');
    expect(banner).toMatch(/Jan 15, 2024/);
    await expect(page.getByRole('navigation').getByRole('link').count()).resolves.toBe(7);
    await expect(page.getByRole('link', { name: 'Summary' }).getAttribute('aria-current')).resolves.toBe('page');
    const record = await deepText(page.getByTestId('record-section'));
    expect(record).toContain('High risk');
    expect(record).toContain('No health issues recorded.');
    expect(record).toContain('Hep B');
    expect(record).not.toContain('Some information may not appear online.');
    expect(fhir.requests).toEqual(
      expect.arrayContaining([
        `/fhir/Patient/${PATIENT_ID}`,
        `/fhir/Condition?patient=${PATIENT_ID}`,
        `/fhir/AllergyIntolerance?patient=${PATIENT_ID}`,
        `/fhir/MedicationRequest?patient=${PATIENT_ID}&_include=MedicationRequest:medication`,
        `/fhir/Immunization?patient=${PATIENT_ID}`,
      ]),
    );
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('results: the report with its flagged value in words, and a trend for the repeated test', async () => {
    const page = await open('full', 'results');
    await page.getByRole('heading', { name: 'Basic metabolic panel' }).waitFor();
    const report = await deepText(page.getByTestId('report'));
    expect(report).toContain('High');
    expect(report).toContain('repeat in one month');
    await page.getByRole('img', { name: /Potassium over time/ }).waitFor();
    await page.getByRole('button', { name: /See trend/ }).first().click();
    const focused = await page.evaluate(() => {
      let element: Element | null = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.textContent ?? '';
    });
    expect(focused).toContain('Potassium over time');
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('allow-listed: the notice, only the allow-listed sections, one generic note, no health-issue request', async () => {
    const page = await open('allow-listed');
    await page.getByRole('heading', { name: 'Peanut' }).waitFor();
    await page.getByTestId('restricted-notice').waitFor();
    const sections = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(sections).toEqual(['Summary', 'Documents', 'Appointments', 'Print']);
    await expect(page.getByRole('heading', { name: 'Health issues' }).count()).resolves.toBe(0);
    await expect(page.getByTestId('partial-note').count()).resolves.toBe(1);
    expect(fhir.requests.some((path) => path.startsWith('/fhir/Condition'))).toBe(false);
    // Asking for a section outside the allow-list by URL says it is not available (not another section under
    // that URL), offers the permitted ones, and reads nothing.
    fhir.requests.length = 0;
    const other = await open('allow-listed', 'results');
    await other.getByTestId('section-not-available').waitFor();
    await expect(other.getByRole('heading', { level: 2, name: 'Test results' }).count()).resolves.toBe(1);
    await expect(other.getByRole('heading', { name: 'Peanut' }).count()).resolves.toBe(0);
    await expect(other.getByRole('navigation').getByRole('link').allInnerTexts()).resolves.toEqual(['Summary', 'Documents', 'Appointments', 'Print']);
    expect(fhir.requests).toEqual([]);
    await expect(seriousAxeViolations(other)).resolves.toEqual([]);
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
    await other.close();
  });

  it('none: only the kind explanation, and not a single record request', async () => {
    const page = await open('none');
    await page.getByTestId('restricted-notice').waitFor();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Lucía Reyes');
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    expect(fhir.requests).toEqual([]);
    await page.close();
  });

  it('a 404 on the Patient reads "not available", the same as a patient outside the session', async () => {
    fhir.routes.delete(`/fhir/Patient/${PATIENT_ID}`);
    const page = await open('full');
    await page.getByTestId('not-available').waitFor();
    const hidden = await page.getByTestId('not-available').innerText();
    await page.evaluate(([session]) => window.recordHarness.mount(session, 'someone-else'), [sessionFor('full')] as const);
    await page.getByTestId('not-available').waitFor();
    await expect(page.getByTestId('not-available').innerText()).resolves.toBe(hidden);
    await page.close();
  });

  it('an upstream failure shows an error with Try again, which recovers', async () => {
    fhir.failNext(100);
    const page = await open('full');
    await page.getByTestId('load-error').waitFor();
    await expect(page.getByTestId('load-error').innerText()).resolves.toContain("isn't answering");
    fhir.failNext(0);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Peanut' }).waitFor();
    await page.close();
  });

  it('print: the immunization record for school names the child, the birth date, every dose and the print date', async () => {
    const page = await open('full', 'print');
    const record = page.getByTestId('immunization-record');
    await record.waitFor();
    const text = await record.innerText();
    expect(text).toContain('Lucía Reyes');
    expect(text).toContain('Date of birth: Jan 15, 2024');
    expect(text).toContain('Hepatitis B');
    expect(text).toMatch(/Jan 16, 2024\s+Mar 15, 2024/);
    expect(text).toMatch(/Printed on \w+ \d{1,2}, \d{4}/);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print immunization record' }).isVisible()).resolves.toBe(false);
    await page.close();
  });

  it('in Spanish, the summary shows Spanish words for the interface', async () => {
    const page = await open('full');
    await page.evaluate(() => window.recordHarness.switchLocale('es'));
    await page.getByRole('heading', { name: 'Alergias' }).waitFor();
    const text = await deepText(page.getByTestId('record-section'));
    expect(text).toContain('Riesgo alto');
    expect(text).toContain('No hay problemas de salud registrados.');
    await page.close();
  });
});
