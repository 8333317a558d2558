/**
 * Issue 14, "beyond every portal": plain-language result context in the results view — for the newest value of each
 * test, what it measures, where it sits against its usual range and how it compares with the child's previous value,
 * in English and Spanish; axe clean.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousAxeViolations, startHarness, type HarnessSession } from '../components/harness-server.ts';
import { createFhirFixtureServer } from './fhir-fixture-plugin.ts';
import { labObservations, labReport, patient, PATIENT_ID, searchset, sessionFor, whiteCells } from './fixtures.ts';
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
  fhir.routes.set(`/fhir/Patient/${PATIENT_ID}`, patient);
  fhir.routes.set('/fhir/Observation?', searchset([...labObservations, whiteCells]));
  fhir.routes.set('/fhir/DiagnosticReport?', searchset([labReport]));
});

async function open(locale: 'en' | 'es') {
  const page = await harness.newPage({ width: 1280 });
  if (locale === 'es') await page.evaluate(() => window.recordHarness.switchLocale('es'));
  await page.evaluate(([session, id]) => window.recordHarness.mount(session, id, 'results'), [sessionFor('full'), PATIENT_ID] as const);
  return page;
}

describe('result context in the results view', () => {
  it('says what each test measures, how it compares with its range and with the previous value', async () => {
    const page = await open('en');
    const section = page.getByTestId('result-context');
    await section.waitFor();
    const text = await deepText(section);
    expect(text).toContain('What the latest results mean');
    // Potassium 5.8 on the newest date, 4.2 before it; range from the fixture.
    expect(text).toMatch(/Potassium: 5\.8 mmol\/L Potassium is a salt the heart and muscles need to work well\. This value is above the usual range \([^)]+\)\. It is higher than the previous value \(4\.2\)\./);
    // White cells: only once, so no comparison — but within its range.
    expect(text).toMatch(/White blood cells: 16\.2 thousand per µL White blood cells fight infection[^]*?This value is within the usual range \(5–19\.5\)\./);
    expect(text).not.toMatch(/White blood cells[^]*previous value \(16/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('in Spanish', async () => {
    const page = await open('es');
    const section = page.getByTestId('result-context');
    await section.waitFor();
    const text = await deepText(section);
    expect(text).toContain('Qué significan los resultados más recientes');
    expect(text).toContain('El potasio es una sal');
    expect(text).toContain('Este valor está por encima del rango habitual');
    expect(text).toContain('Es más alto que el valor anterior (4,2).');
    expect(text).not.toMatch(/\b(This value|previous value|What the latest)\b/);
    await page.close();
  });
});
