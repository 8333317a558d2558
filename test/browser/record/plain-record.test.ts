/**
 * Issue 14, part 1: a record a parent can read — phone-width result cards, plain names and units, plain visit and
 * appointment words with one date per single-day range, the school immunization print (given doses only, dates
 * only, CDPH 286 order, clinic phone, signature line), tel: links, "recorded on", in English and Spanish.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousAxeViolations, startHarness, type HarnessSession } from '../components/harness-server.ts';
import { createFhirFixtureServer } from './fhir-fixture-plugin.ts';
import {
  allergy,
  binaries,
  bookedVisit,
  documents,
  checkUp,
  labObservations,
  labReport,
  noKnownAllergies,
  patient,
  PATIENT_ID,
  schoolImmunizations,
  searchset,
  sessionFor,
  whiteCells,
} from './fixtures.ts';
import { deepText } from './page-text.ts';

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
  fhir.routes.set('/fhir/Immunization?', searchset(schoolImmunizations));
  fhir.routes.set('/fhir/Observation?', searchset([...labObservations, whiteCells]));
  fhir.routes.set('/fhir/DiagnosticReport?', searchset([labReport]));
  fhir.routes.set('/fhir/Encounter?', searchset([checkUp]));
  fhir.routes.set('/fhir/Appointment?', searchset([bookedVisit]));
});

async function open(section: string, width = 1280, locale: 'en' | 'es' = 'en') {
  const page = await harness.newPage({ width });
  if (locale === 'es') await page.evaluate(() => window.recordHarness.switchLocale('es'));
  await page.evaluate(([session, id, sec]) => window.recordHarness.mount(session, id, sec), [sessionFor('full'), PATIENT_ID, section] as const);
  return page;
}

const overflow = (page: Awaited<ReturnType<typeof open>>) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('a record a parent can read', () => {
  it('results at 360 px are cards with plain names and units, and nothing overflows', async () => {
    const page = await open('results', 360);
    await page.getByRole('heading', { name: 'Basic metabolic panel' }).waitFor();
    const cards = page.getByTestId('result-card');
    await cards.first().waitFor();
    await expect(page.locator('sprout-result-table table').first().isVisible()).resolves.toBe(false);
    const text = await deepText(page.getByTestId('record-section'));
    expect(text).toContain('White blood cells');
    expect(text).toContain('16.2 thousand per µL');
    expect(text).not.toContain('10*3/uL');
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('visits and appointments use plain words and one date for a single-day range; phone numbers are tel: links', async () => {
    const visits = await open('visits');
    const visit = visits.getByTestId('visit');
    await visit.waitFor();
    const visitText = await visit.innerText();
    expect(visitText).toContain('Check-up');
    expect(visitText).toContain('Clinic visit');
    expect(visitText).toContain('Pediatrics');
    expect(visitText).not.toMatch(/ambulatory|Encounter for check up|Pediatric specialty/);
    expect(visitText.match(/Jul 15, 2024/g)?.length).toBe(1);
    expect(visitText).toMatch(/9:00\s*–\s*9:40\s*AM/);
    await expect(seriousAxeViolations(visits)).resolves.toEqual([]);
    await visits.close();

    const appointments = await open('appointments', 360);
    const appointment = appointments.getByTestId('appointment');
    await appointment.waitFor();
    const appointmentText = await appointment.innerText();
    expect(appointmentText).toContain('Scheduled');
    expect(appointmentText).not.toContain('Booked');
    expect(appointmentText).toContain('12-month well-child visit');
    expect(appointmentText.match(/Jan 15, 2099/g)?.length).toBe(1);
    await expect(appointment.getByRole('link', { name: '(714) 509-8460' }).getAttribute('href')).resolves.toBe('tel:7145098460');
    await expect(overflow(appointments)).resolves.toBeLessThanOrEqual(0);
    await appointments.close();
  });

  it('the school immunization print lists only given doses, as dates, in CDPH 286 order, with clinic phone and signature line', async () => {
    const page = await open('print', 360);
    const record = page.getByTestId('immunization-record');
    await record.waitFor();
    const text = await record.innerText();
    // Rows in the card's order; the combination dose counts for polio, DTaP and hepatitis B; flu is an "other" row.
    const rows = await record.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
    expect(rows).toEqual(['polio', 'dtap', 'hepb', 'other']);
    await expect(record.locator('tr[data-row="hepb"]').innerText()).resolves.toMatch(/Jan 16, 2024\s+Mar 15, 2024\s+May 15, 2024/);
    // The not-given flu dose (Oct 1) never appears; the given one does, without a time of day.
    expect(text).toContain('Oct 20, 2024');
    expect(text).not.toContain('Oct 1, 2024');
    expect(text).not.toMatch(/Not given|declined/i);
    expect(text).not.toMatch(/\d{1,2}:\d{2}/);
    expect(text).toContain('Sprout Children’s');
    await expect(record.getByRole('link', { name: '(323) 555-0100' }).getAttribute('href')).resolves.toBe('tel:3235550100');
    expect(text).toContain('Signature of health care provider or clinic representative');
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('a "no known allergies" statement says when it was recorded; vaccine dates are days', async () => {
    fhir.routes.set('/fhir/AllergyIntolerance?', searchset([noKnownAllergies]));
    const page = await open('summary');
    await page.getByRole('heading', { name: 'Allergies' }).waitFor();
    const text = await deepText(page.getByTestId('record-section'));
    expect(text).toMatch(/No known allergies \(\s*recorded on Aug 9, 2024\s*\)/);
    // Vaccines show the day they were given, not the time of day.
    expect(text).toContain('Oct 20, 2024');
    expect(text).not.toContain('9:05');
    await page.close();
  });

  it('in Spanish: plain visit words, result cards and the school print show no English interface text', async () => {
    const visits = await open('visits', 1280, 'es');
    await visits.getByTestId('visit').waitFor();
    const visitText = await visits.getByTestId('visit').innerText();
    expect(visitText).toContain('Chequeo');
    expect(visitText).toContain('Consulta en la clínica');
    expect(visitText).toContain('Pediatría');
    await visits.close();

    const results = await open('results', 360, 'es');
    await results.getByTestId('result-card').first().waitFor();
    const resultText = await deepText(results.getByTestId('record-section'));
    expect(resultText).toContain('Glóbulos blancos');
    expect(resultText).toContain('mil por µL');
    expect(resultText).toContain('Rango normal:');
    await results.close();

    const print = await open('print', 1280, 'es');
    await print.getByTestId('immunization-record').waitFor();
    const printText = await print.getByTestId('immunization-record').innerText();
    expect(printText).toContain('Registro de vacunas para la escuela');
    expect(printText).toContain('Firma del proveedor');
    expect(printText).toContain('Dosis 1');
    // Interface words only: the child's name, vaccine names from the record and the clinic name are data.
    const ui = printText.replace(/Lucía Reyes|Influenza, seasonal|Sprout Children’s/g, '');
    expect(ui).not.toMatch(/\b(Dose|Vaccine|Signature|Phone|Printed|Date of birth|Immunization record)\b/);
    await print.close();
  });
});

describe('documents are read in the portal', () => {
  beforeEach(() => {
    fhir.routes.set('/fhir/DocumentReference?', searchset(documents));
    fhir.routes.set('/fhir/DocumentReference/d2', documents[1]);
    for (const [id, binary] of Object.entries(binaries)) fhir.routes.set(`/fhir/Binary/${id}`, binary);
  });

  it('opens a document in the app’s frame with a header (child, date, author, type), tel: links, print and download', async () => {
    const page = await open('documents', 360);
    await page.getByRole('button', { name: /Read Going home after bronchiolitis/ }).click();
    const viewer = page.getByTestId('document-viewer');
    await viewer.getByTestId('document-content').waitFor();
    const header = await viewer.getByTestId('document-header').innerText();
    expect(header).toContain('Lucía Reyes');
    expect(header).toContain('Sep 2, 2024');
    expect(header).toContain('Dr. Priya Shah');
    expect(header).toContain('Discharge instructions');
    await expect(viewer.getByTestId('document-content').innerText()).resolves.toContain('Offer small, frequent feeds.');
    await expect(viewer.getByRole('link', { name: '(714) 509-8460' }).getAttribute('href')).resolves.toBe('tel:7145098460');
    await expect(viewer.getByRole('button', { name: 'Print' }).count()).resolves.toBe(1);
    await expect(viewer.getByRole('button', { name: /^Download/ }).count()).resolves.toBe(1);
    // Read through the gateway's /fhir, never opened in a new tab.
    expect(fhir.requests).toContain('/fhir/Binary/doc-text');
    await expect(page.context().pages()).toHaveLength(1);
    // Focus moves to the document, and back to its Read button on "Back to documents".
    const focused = () =>
      page.evaluate(() => {
        let element: Element | null = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        return element?.textContent?.trim() ?? '';
      });
    await expect(focused()).resolves.toBe('Going home after bronchiolitis');
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await page.emulateMedia({ media: 'print' });
    await expect(viewer.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
    await expect(viewer.getByTestId('document-content').isVisible()).resolves.toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await viewer.getByRole('button', { name: '← Back to documents' }).click();
    await page.getByRole('heading', { name: 'Discharge instructions' }).waitFor();
    await expect(focused()).resolves.toMatch(/^Read Going home after bronchiolitis/);
    await page.close();
  });

  it('HTML documents are sanitised; a PDF is offered for download with its header, not opened in a tab', async () => {
    const page = await open('documents');
    await page.getByRole('button', { name: /Read Check-up summary/ }).click();
    const content = page.getByTestId('document-content');
    await content.waitFor();
    await expect(content.innerText()).resolves.toContain('Growing well.');
    const html = await content.evaluate((element) => element.innerHTML);
    expect(html).not.toMatch(/<script|onclick|<img|tracker\.example/i);
    await expect(page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).resolves.toBeUndefined();
    await page.getByRole('button', { name: '← Back to documents' }).click();
    await page.getByRole('button', { name: /Read Referral/ }).click();
    await page.getByTestId('document-download-only').waitFor();
    await expect(page.getByTestId('document-header').innerText()).resolves.toContain('Referral letter');
    await page.close();
  });

  it('in Spanish, the document view shows no English interface text', async () => {
    const page = await open('documents', 1280, 'es');
    await page.getByRole('button', { name: /Leer Going home after bronchiolitis/ }).click();
    const viewer = page.getByTestId('document-viewer');
    await viewer.getByTestId('document-content').waitFor();
    const text = (await viewer.innerText()).replace(/Lucía Reyes|Going home after bronchiolitis|Discharge instructions|Dr\. Priya Shah|Offer small, frequent feeds\.|If breathing is fast or lips look blue, call \(714\) 509-8460 or 911\./g, '');
    expect(text).toContain('Volver a los documentos');
    expect(text).toContain('Escrito por');
    expect(text).not.toMatch(/\b(Back|Patient|Written|Type|Print|Download|Date)\b/);
    await page.close();
  });
});

describe('emergency card', () => {
  it('prints on its own: active allergies with risk, contacts as tel: links, write-in lines, the hospital’s number', async () => {
    fhir.routes.set(`/fhir/Patient/${PATIENT_ID}`, {
      ...(patient as object),
      contact: [
        {
          relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display: 'Emergency Contact' }] }],
          name: { given: ['Ana'], family: 'Reyes' },
          telecom: [{ system: 'phone', value: '(323) 555-0111' }],
        },
      ],
    });
    const page = await open('print', 360);
    const card = page.getByTestId('emergency-card');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Emergency card');
    expect(text).toMatch(/Peanut — Hives \(High risk\)/);
    expect(text).toContain('Ana Reyes (Emergency Contact)');
    await expect(card.getByRole('link', { name: '(323) 555-0111' }).getAttribute('href')).resolves.toBe('tel:3235550111');
    await expect(card.getByRole('link', { name: '(323) 555-0100' }).getAttribute('href')).resolves.toBe('tel:3235550100');
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    // A copy for the phone, readable with no network: one self-contained page, no scripts, tel: links intact.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save emergency card for offline use' }).click()]);
    expect(download.suggestedFilename()).toBe('Emergency card Lucía Reyes.html');
    const saved = await readFile((await download.path()) ?? '', 'utf8');
    expect(saved).toMatch(/^<!doctype html>/);
    expect(saved).toContain('Peanut');
    expect(saved).toContain('href="tel:3235550111"');
    expect(saved).not.toMatch(/<script|<button|src=/i);
    // Printing the card prints only the card.
    await page.locator('sprout-record-print').evaluate((element) => element.setAttribute('printing', 'emergency'));
    await page.emulateMedia({ media: 'print' });
    await expect(card.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('immunization-record').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('heading', { name: 'Health summary' }).isVisible()).resolves.toBe(false);
    await page.close();
  });
});

describe('growth on percentile curves', () => {
  const vital = (id: string, date: string, kg: number) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
    valueQuantity: { value: kg, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  });

  it('a school-age child’s weight shows its CDC percentile and the 5th/50th/95th curves; an infant’s shows none', async () => {
    fhir.routes.set(`/fhir/Patient/${PATIENT_ID}`, { ...(patient as object), birthDate: '2014-03-01', gender: 'female' });
    fhir.routes.set('/fhir/Observation?', searchset([vital('w1', '2023-03-01', 28.5), vital('w2', '2024-03-01', 33)] as never));
    const page = await open('summary', 360);
    const chart = page.locator('sprout-trend-chart').filter({ has: page.getByRole('heading', { name: 'Weight over time' }) });
    await chart.waitFor();
    await expect(chart.locator('svg path.curve').count()).resolves.toBe(3);
    const description = (await chart.locator('desc').textContent()) ?? '';
    expect(description).toMatch(/Latest: 33 kg \(\d{1,2}(st|nd|rd|th) percentile\)\./);
    await chart.getByText('Show the values as a table').click();
    await expect(chart.locator('tbody tr').nth(1).innerText()).resolves.toMatch(/\d{1,2}(st|nd|rd|th) percentile/);
    await expect(chart.locator('.legend').innerText()).resolves.toContain('Dashed lines: percentiles 5, 50, 95 (CDC growth charts)');
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await page.close();

    // Under two, the CDC 2–20 y charts do not apply: no percentile, no curves.
    fhir.routes.set(`/fhir/Patient/${PATIENT_ID}`, patient);
    fhir.routes.set('/fhir/Observation?', searchset([vital('i1', '2024-03-01', 5.5), vital('i2', '2024-06-01', 7.5)] as never));
    const infant = await open('summary');
    const infantChart = infant.locator('sprout-trend-chart');
    await infantChart.first().waitFor();
    await expect(infantChart.locator('svg path.curve').count()).resolves.toBe(0);
    expect(await infantChart.first().locator('desc').textContent()).not.toContain('percentile');
    await infant.close();
  });
});
