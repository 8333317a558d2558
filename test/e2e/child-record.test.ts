/**
 * Issue 5, end to end under both hospital profiles: the real portal (gateway facade + built app) against the sandbox.
 *
 * - The guardian sees the infant's (Leo's) whole record in every view, reached in two taps from the dashboard.
 * - The guardian sees the teenager's (Isabel's) page restricted exactly as the profile says, and none of Isabel's
 *   minor-consented records anywhere: page text of every view and print view, every /fhir response the page
 *   received, every download link, and direct /fhir probes with the guardian's own cookie.
 * - Isabel signed in as herself sees her own confidential items where the profile gives teens their own access
 *   (ca-adolescent-split) and nothing where it does not (ca-strict: "no patient account before 18").
 * - The Spanish UI leaves no English UI words on these pages; print views render for the printer.
 */
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CHILDREN,
  ISABEL_SEARCHES,
  ISABEL_SENSITIVE_REFERENCES,
  childCard,
  sensitiveHits,
  shiftedFixtureDate,
} from './support/family.ts';
import { textLines, visibleText } from './support/page-text.ts';
import { recordFhirTraffic, signIn, useSignedInPortal, withPage, type FhirTraffic, type ProfileId, type RunningPortal } from './support/portal.ts';

const LEO_BORN = '2025-02-03'; // fixtures/family: Leo's birthDate before the date shift
const ISABEL_BORN = '2010-01-22';

const SECTION_NAV = 'Sections of the record';
/** The restricted notice's heading on every page of Isabel's record for her guardian under ca-adolescent-split. */
const ISABEL_PARTIAL = "Part of Isabel Rivera's record is available online";
const ALL_SECTIONS = ['Summary', 'Test results', 'Imaging', 'Visits', 'Documents', 'Appointments', 'Print'];
const RECORD_SLUGS = ['summary', 'results', 'imaging', 'visits', 'documents', 'appointments', 'print'] as const;

/**
 * English UI labels (not record data) that must not remain once the page is in Spanish. Short labels are matched
 * as whole text nodes, so record data such as "Hep B, adolescent or pediatric" or "Detected" never trips them;
 * longer phrases are matched anywhere.
 */
const ENGLISH_UI_LABELS = [
  'Summary', 'Test results', 'Imaging', 'Visits', 'Documents', 'Appointments', 'Print', 'Health issues', 'Allergies',
  'Medications', 'Immunizations', 'Growth', 'Since', 'Active', 'Resolved', 'Not given', 'Dose', 'How to take',
  'Prescribed by', 'Last prescribed', 'Refills left', 'Reaction', 'Severity', 'Risk', 'Recorded', 'Where', 'Seen by',
  'With', 'Reason', 'Booked', 'Completed', 'Conclusion', 'Test', 'Result', 'Normal range', 'Flag', 'Abnormal',
  'Low', 'High', 'Age', 'Born', 'Sex', 'Male', 'Female', 'MRN', 'Vaccine', 'Date given', 'Upcoming appointments',
  'Past appointments', 'Lab reports', 'Other results', 'Trends', 'Sign out', 'Family', 'Viewing', 'Show', 'Language',
  'Health summary', 'Immunization record', 'Paper copies', 'Main', 'Scheduled', 'Formal name', 'Clinic visit',
  'Emergency visit',
] as const;
const ENGLISH_UI_PHRASES = [
  'No known allergies', 'Show the values', 'over time', 'results from', 'Latest:', 'Unit:', 'Times are shown',
  'Pacific Time', SECTION_NAV, 'All children', 'Date of birth', 'Medical record number', 'Printed on', 'Print health',
  'Print immunization', "isn't available online", 'is available online', 'What you can still do', 'paper copy',
  'Health Information Management', 'Questions about a record', 'In a medical emergency', 'Skip to main content',
  'Some information may not appear', 'See trend', 'Open ', 'online access', 'Online access', 'California law',
  'years', 'months', 'Send messages', 'Request appointments', 'Signature of health care provider', 'Normal range:',
] as const;

/** English UI words left on the page (empty when fully Spanish). Names and other record data are not UI. */
async function englishLeftOnPage(page: Page): Promise<string[]> {
  const lines = await textLines(page);
  const labels = ENGLISH_UI_LABELS.filter((label) => lines.includes(label));
  const joined = lines.join('\n');
  const phrases = ENGLISH_UI_PHRASES.filter((phrase) => joined.includes(phrase));
  return [...labels, ...phrases];
}

async function sectionLinks(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: SECTION_NAV });
  if ((await nav.count()) === 0) return [];
  return (await nav.getByRole('link').allInnerTexts()).map((text) => text.trim());
}

/** Clicks a section in the record's section navigation and waits for a text that only that section shows. */
async function openSection(page: Page, name: string, marker: string): Promise<string> {
  await page.getByRole('navigation', { name: SECTION_NAV }).getByRole('link', { name, exact: true }).click();
  await page.getByText(marker, { exact: false }).first().waitFor();
  return visibleText(page);
}

/**
 * Opens a record URL directly and waits until the page has settled on its content: a text only that content shows,
 * or an element (for pages whose words depend on the language).
 */
async function gotoRecord(page: Page, portal: RunningPortal, path: string, marker: string | Locator): Promise<string> {
  await page.goto(`${portal.portalUrl}${path}`);
  await (typeof marker === 'string' ? page.getByText(marker, { exact: false }).first() : marker).waitFor();
  await page.waitForLoadState('networkidle');
  return visibleText(page);
}

/** Every download link (attachments behind the gateway) on the page, fetched with the page's own cookie. */
async function downloadBodies(page: Page): Promise<Array<{ href: string; status: number; body: string }>> {
  const hrefs = await page.locator('a[href*="/fhir/"]').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
  const out: Array<{ href: string; status: number; body: string }> = [];
  for (const href of [...new Set(hrefs)]) {
    const response = await page.request.get(href);
    out.push({ href, status: response.status(), body: await response.text() });
  }
  return out;
}

/** Direct /fhir calls with the page's cookie: every sensitive record by id, and every search over Isabel. */
async function probeIsabel(request: APIRequestContext, portal: RunningPortal) {
  const reads = [];
  for (const reference of ISABEL_SENSITIVE_REFERENCES) {
    const response = await request.get(`${portal.portalUrl}/fhir/${reference}`);
    reads.push({ reference, status: response.status(), body: await response.text() });
  }
  const searches = [];
  for (const search of ISABEL_SEARCHES) {
    const response = await request.get(`${portal.portalUrl}/fhir/${search}`);
    searches.push({ search, status: response.status(), body: await response.text() });
  }
  return { reads, searches };
}

/**
 * Probes /fhir with this page's cookie: every sensitive record reads as 404 and no response carries a sensitive item.
 * Returns the search bodies for the profile-specific checks that follow.
 */
async function expectNoSensitiveIsabel(request: APIRequestContext, portal: RunningPortal) {
  const { reads, searches } = await probeIsabel(request, portal);
  for (const read of reads) {
    expect(read.status, read.reference).toBe(404);
    expect(sensitiveHits(read.body), read.reference).toEqual([]);
  }
  for (const search of searches) expect(sensitiveHits(search.body), search.search).toEqual([]);
  return searches;
}

function leaksIn(traffic: FhirTraffic): string[] {
  return traffic.responses.flatMap((response) => sensitiveHits(response.body).map((hit) => `${hit} in ${response.url}`));
}

/** Leo's record, every view, as a guardian sees it under either profile (0–11: the full record). */
async function checkInfantRecord(page: Page, portal: RunningPortal): Promise<void> {
  await page.goto(`${portal.portalUrl}/`);
  await childCard(page, CHILDREN.leo.name).getByRole('link', { name: "Open Leo Rivera's record", exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/patient/${CHILDREN.leo.id}`);
  await page.getByRole('heading', { name: 'Immunizations' }).waitFor();
  expect(await sectionLinks(page)).toEqual(ALL_SECTIONS);

  const summary = await visibleText(page);
  // Banner: name, age, date of birth, sex, MRN as the EHR gives it.
  const banner = await visibleText(page.locator('sprout-patient-banner'));
  expect(banner).toContain(CHILDREN.leo.name);
  expect(banner).toMatch(/[34] months/);
  expect(banner).toContain(shiftedFixtureDate(LEO_BORN));
  expect(banner).toContain('Male');
  expect(banner).toContain('SP100231');
  // Health issues, allergies ("no known allergies" recorded as such), medications, immunizations incl. not-given.
  for (const heading of ['Health issues', 'Allergies', 'Medications', 'Immunizations']) {
    expect(await page.getByRole('heading', { name: heading, exact: true }).count(), heading).toBe(1);
  }
  expect(summary).toContain('Bronchiolitis');
  // The connected health library: a plain-language page about the condition, by its code, opened only on a click.
  const learnMore = page.getByRole('link', { name: /^Learn more about Bronchiolitis/ });
  const libraryUrl = new URL((await learnMore.getAttribute('href')) ?? '');
  expect(libraryUrl.origin).toBe('https://connect.medlineplus.gov');
  expect(libraryUrl.searchParams.get('mainSearchCriteria.v.c')).toBe('4120002');
  expect(await learnMore.getAttribute('rel')).toContain('noreferrer');
  expect(summary).toContain('No known allergies');
  expect(summary).toContain('Vitamin D drops 400 IU/mL');
  expect(summary).toContain('Give 1 mL by mouth once daily');
  expect(summary).toContain('Dr. Priya Shah');
  expect(summary).toContain('DTaP');
  expect(summary).toContain('Not given');
  expect(summary).toContain('Hep B, adolescent or pediatric');
  expect(summary).toContain('Pneumococcal conjugate PCV 13');

  // Plain test names (the formal LOINC name stays one click away).
  const results = await openSection(page, 'Test results', 'RSV test');
  expect(results).toContain('Detected');
  expect(results).toContain('Abnormal'); // the flag is a word, not only a colour

  const imaging = await openSection(page, 'Imaging', 'XR Chest 2 Views');
  expect(imaging).toContain('Peribronchial thickening');

  // Plain visit words, not the codes' displays ("Emergency room admission", "ambulatory").
  const visits = await openSection(page, 'Visits', 'Emergency visit');
  expect(visits).toContain('Emergency Department');
  expect(visits).toContain('Well-child visit');
  expect(visits).not.toContain('ambulatory');
  expect(visits).toContain('Bronchiolitis');

  const documents = await openSection(page, 'Documents', 'Emergency department discharge instructions');
  expect(documents).toContain('Discharge summary');
  const downloads = await downloadBodies(page);
  expect(downloads.length, 'the discharge document has a download link').toBeGreaterThan(0);
  for (const download of downloads) {
    expect(download.status, download.href).toBe(200);
    expect(download.body.length, download.href).toBeGreaterThan(20);
  }

  const appointments = await openSection(page, 'Appointments', 'Upcoming appointments');
  expect(appointments).toContain('Past appointments');
  expect(appointments).toContain('General Pediatrics Clinic');
  expect(appointments).toContain('Scheduled');
  expect(appointments).toContain('Completed');
  expect(appointments).toContain('Pacific Time');
}

/** Leo's print views: laid out for paper (no app chrome) with the school immunization record complete. */
async function checkInfantPrint(page: Page, portal: RunningPortal): Promise<void> {
  await gotoRecord(page, portal, `/patient/${CHILDREN.leo.id}/print`, 'Print immunization record');
  await page.emulateMedia({ media: 'print' });
  try {
    const record = page.getByTestId('immunization-record');
    await record.waitFor();
    const text = await visibleText(record);
    expect(text).toContain(CHILDREN.leo.name);
    expect(text).toContain(`Date of birth: ${shiftedFixtureDate(LEO_BORN)}`);
    expect(text).toMatch(/Printed on \w+ \d{1,2}, \d{4}/);
    // CDPH 286 layout: one row per vaccine in the card's order (DTaP, Hepatitis B), then the others by name; only
    // doses given (the DTaP dose not given is left out), each a date without a time of day.
    const rows = record.getByRole('row');
    expect(await rows.count()).toBe(1 + 4);
    const body = (await rows.allInnerTexts()).slice(1);
    expect(body[0]).toContain('DTaP');
    expect(body[0]?.match(/\b20\d\d\b/g), 'one DTaP dose given').toHaveLength(1);
    expect(body[1]).toContain('Hepatitis B');
    expect(body[1]?.match(/\b20\d\d\b/g), 'two hepatitis B doses').toHaveLength(2);
    expect(body[2]).toContain('Pneumococcal conjugate PCV 13');
    expect(body[3]).toContain('rotavirus, monovalent');
    for (const row of body) expect(row, 'every dose has a date').toMatch(/\b20\d\d\b/);
    expect(text).not.toContain('Not given');
    expect(text, 'dates only').not.toMatch(/\d{1,2}:\d{2}/);
    expect(text).toContain('Signature of health care provider');

    const summary = await visibleText(page.locator('sprout-record-print'));
    expect(summary).toContain('Health summary');
    expect(summary).toContain('Bronchiolitis');
    expect(summary).toContain('No known allergies');
    expect(summary).toContain('Vitamin D drops 400 IU/mL');
    // Print CSS drops the app chrome: no header buttons, no section navigation.
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: SECTION_NAV }).isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'Letter' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

/** The infant's record pages in Spanish: no English UI left, dates in Spanish. */
async function checkSpanishInfant(page: Page, portal: RunningPortal): Promise<void> {
  await gotoRecord(page, portal, `/patient/${CHILDREN.leo.id}`, 'Immunizations');
  await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('heading', { name: 'Vacunas', exact: true }).waitFor();
  try {
    expect(await englishLeftOnPage(page), 'summary').toEqual([]);
    expect(await visibleText(page.locator('sprout-patient-banner'))).toContain(shiftedFixtureDate(LEO_BORN, 'es'));
    for (const [section, marker] of [
      ['results', 'Prueba del virus respiratorio sincitial'],
      ['imaging', 'XR Chest 2 Views'],
      ['visits', 'Emergency Department'],
      ['documents', 'Emergency department discharge instructions'],
      ['appointments', 'General Pediatrics Clinic'],
      ['print', 'Fecha de nacimiento'],
    ] as const) {
      await gotoRecord(page, portal, `/patient/${CHILDREN.leo.id}/${section}`, marker);
      expect(await englishLeftOnPage(page), section).toEqual([]);
    }
  } finally {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  }
}

function describeProfile(profile: ProfileId, teenTests: (context: () => { portal: RunningPortal; browser: Browser; maria: Page }) => void): void {
  describe(`child record under ${profile}`, () => {
    /** Uncaught errors in Maria's page, across the whole file. */
    const pageErrors: string[] = [];
    const signedIn = useSignedInPortal({
      profile,
      username: 'maria',
      onPage: (page) => page.on('pageerror', (error) => pageErrors.push(error.message)),
    });
    let portal: RunningPortal;
    let browser: Browser;
    let maria: Page;
    beforeAll(() => {
      ({ portal, browser, page: maria } = signedIn());
    });

    test("the guardian sees the infant's full record in every view", async () => {
      await checkInfantRecord(maria, portal);
    });

    test("the infant's print views render for paper, with the school immunization record", async () => {
      await checkInfantPrint(maria, portal);
    });

    test("the infant's record pages in Spanish show no English UI", async () => {
      await checkSpanishInfant(maria, portal);
    });

    teenTests(() => ({ portal, browser, maria }));

    test('no uncaught script errors on any page the guardian opened', () => {
      expect(pageErrors).toEqual([]);
    });
  });
}

describeProfile('ca-strict', (context) => {
  test("the guardian gets only the restricted notice for Isabel, in every view and in print", async () => {
    const { portal, maria } = context();
    const traffic = recordFhirTraffic(maria, portal.portalUrl);
    await maria.goto(`${portal.portalUrl}/`);
    expect(await childCard(maria, CHILDREN.isabel.name).getByRole('link').count(), 'no way into the record').toBe(0);

    for (const slug of ['', ...RECORD_SLUGS.map((s) => `/${s}`)]) {
      const text = await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}${slug}`, "Isabel Rivera's record isn't available online");
      expect(text, slug).toContain("California law doesn't allow parents and guardians to see a teen's record online");
      expect(text, slug).toContain('(714) 509-8460');
      expect(await sectionLinks(maria), slug).toEqual([]);
      // No clinical data at all, sensitive or not.
      for (const data of ['Allergy to natural rubber latex', 'Asthma', 'Albuterol', 'Tdap', 'SP100234']) expect(text, slug).not.toContain(data);
      expect(sensitiveHits(text), slug).toEqual([]);
      // Nor hints that specific hidden records exist.
      expect(text.toLowerCase(), slug).not.toMatch(/hidden|withheld|confidential (visit|test|record)s?\b/);
    }
    await maria.emulateMedia({ media: 'print' });
    try {
      const printed = await visibleText(maria);
      expect(sensitiveHits(printed)).toEqual([]);
      expect(printed).not.toContain('Allergy to natural rubber latex');
    } finally {
      await maria.emulateMedia({ media: 'screen' });
    }

    await traffic.settled();
    expect(leaksIn(traffic)).toEqual([]);
    const clinical = traffic.responses.filter((r) => r.status === 200 && r.url.includes(CHILDREN.isabel.id) && !r.url.includes('/Patient/'));
    expect(clinical.map((r) => r.url), 'no clinical data of Isabel reaches the page').toEqual([]);
  });

  test("direct /fhir calls with the guardian's cookie return nothing of Isabel's", async () => {
    const { portal, maria } = context();
    for (const search of await expectNoSensitiveIsabel(maria.request, portal)) {
      expect(search.body, search.search).not.toContain('natural rubber latex');
      expect(search.body, search.search).not.toContain('Albuterol');
    }
    // A positive control: the same cookie does read Leo's record, so the 404s above are the policy, not a broken session.
    expect((await maria.request.get(`${portal.portalUrl}/fhir/Condition/leo-bronchiolitis`)).status()).toBe(200);
  });

  test('Isabel signed in as herself: no patient account before 18, so nothing of her record online', async () => {
    const { portal, browser } = context();
    await withPage(browser, 'record-ca-strict-isabel-self', async (isabel) => {
      const traffic = recordFhirTraffic(isabel, portal.portalUrl);
      await signIn(isabel, portal.portalUrl, 'isabel');
      await isabel.getByRole('heading', { name: 'Your health record', level: 1 }).waitFor();
      const card = await visibleText(childCard(isabel, CHILDREN.isabel.name));
      expect(card).toContain('Your own record');
      expect(card).toContain('No online access');
      expect(card).toContain('from your 18th birthday');
      expect(await childCard(isabel, CHILDREN.isabel.name).getByRole('link').count()).toBe(0);

      // Addressed to her, not about her (issue 14: the reader's own voice).
      const text = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}`, "Your record isn't available online");
      expect(text).not.toContain("Isabel Rivera's record isn't available online");
      expect(text).toContain('from your 18th birthday');
      expect(await sectionLinks(isabel)).toEqual([]);
      expect(text).not.toContain('Asthma');
      expect(sensitiveHits(text)).toEqual([]);

      await expectNoSensitiveIsabel(isabel.request, portal);
      await traffic.settled();
      expect(leaksIn(traffic)).toEqual([]);
    }, 'phone');
  });

  test("Isabel's restricted page in Spanish shows no English UI", async () => {
    const { portal, maria } = context();
    await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}`, "Isabel Rivera's record isn't available online");
    await maria.getByRole('button', { name: 'Español' }).click();
    await maria.getByText('no está disponible en línea').first().waitFor();
    try {
      expect(await englishLeftOnPage(maria)).toEqual([]);
    } finally {
      await maria.getByRole('button', { name: 'English' }).click();
      await maria.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    }
  });
});

describeProfile('ca-adolescent-split', (context) => {
  /** Every view of Isabel the guardian can reach, by navigation and by deep link; returns the text of each. */
  async function isabelViews(page: Page, portal: RunningPortal): Promise<Record<string, string>> {
    const views: Record<string, string> = {};
    await page.goto(`${portal.portalUrl}/`);
    await childCard(page, CHILDREN.isabel.name).getByRole('link', { name: "Open Isabel Rivera's record", exact: true }).click();
    await page.getByRole('heading', { name: 'Allergies' }).waitFor();
    await page.waitForLoadState('networkidle');
    views['summary'] = await visibleText(page);
    for (const slug of RECORD_SLUGS) {
      views[slug] = await gotoRecord(page, portal, `/patient/${CHILDREN.isabel.id}/${slug}`, ISABEL_PARTIAL);
    }
    return views;
  }

  test("the guardian sees only Isabel's allow-listed sections, with a kind explanation", async () => {
    const { portal, maria } = context();
    await maria.goto(`${portal.portalUrl}/`);
    await childCard(maria, CHILDREN.isabel.name).getByRole('link', { name: "Open Isabel Rivera's record", exact: true }).click();
    await maria.getByRole('heading', { name: 'Allergies' }).waitFor();
    await maria.waitForLoadState('networkidle');
    const text = await visibleText(maria);

    expect(text).toContain(ISABEL_PARTIAL);
    expect(text).toContain('see only part of the record online');
    expect(text).toContain('Some information may not appear online.');
    expect(await sectionLinks(maria)).toEqual(['Summary', 'Documents', 'Appointments', 'Print']);
    // Allow-listed: allergies, immunizations, medications outside sensitive categories.
    expect(text).toContain('Allergy to natural rubber latex');
    expect(text).toContain('Tdap');
    expect(text).toContain('HPV, quadrivalent');
    expect(await maria.getByRole('heading', { name: 'Health issues' }).count(), 'health issues are not on the allow-list').toBe(0);
    expect(text).not.toContain('Asthma');
    expect(sensitiveHits(text)).toEqual([]);
    // The banner keeps demographics but never the teen's confidential phone or e-mail.
    expect(await visibleText(maria.locator('sprout-patient-banner'))).toContain(shiftedFixtureDate(ISABEL_BORN));
  });

  test("Isabel's everyday asthma medications are on the guardian's allow-list", async () => {
    const { portal, maria } = context();
    const text = await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}`, 'Medications');
    await maria.getByText('Allergy to natural rubber latex').waitFor();
    expect(text).toContain('Albuterol HFA inhaler 90 mcg/puff');
    expect(text).toContain('Fluticasone 44 mcg inhaler');
    expect(text).not.toContain('Yaz');
    expect(text).not.toContain('Azithromycin');
  });

  test('the guardian sees the non-confidential return-to-school note and only non-sensitive appointments', async () => {
    const { portal, maria } = context();
    const documents = await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}/documents`, ISABEL_PARTIAL);
    expect(documents).toContain('Return to school');
    expect(documents).not.toContain('Emergency department discharge instructions'); // not labelled non-confidential
    const downloads = await downloadBodies(maria);
    expect(downloads.length, 'the return-to-school note can be opened').toBeGreaterThan(0);
    for (const download of downloads) {
      expect(download.status, download.href).toBe(200);
      expect(sensitiveHits(download.body), download.href).toEqual([]);
    }

    const appointments = await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}/appointments`, 'Upcoming appointments');
    expect(appointments).toContain('General Pediatrics Clinic');
    expect(sensitiveHits(appointments)).toEqual([]);
  });

  test('none of Isabel\'s minor-consented items reach the guardian: views, print, /fhir responses, downloads, probes', async () => {
    const { portal, maria } = context();
    const traffic = recordFhirTraffic(maria, portal.portalUrl);
    const views = await isabelViews(maria, portal);
    for (const [view, text] of Object.entries(views)) {
      expect(sensitiveHits(text), view).toEqual([]);
      expect(text, view).not.toContain('Health issues');
    }
    // Deep links to sections outside the allow-list never show their data: they say the part is not available.
    for (const slug of ['results', 'imaging', 'visits']) {
      expect(views[slug], slug).toContain('This part of the record isn’t available online.');
      expect(await sectionLinks(maria), slug).not.toContain('Test results');
      expect(views[slug], slug).not.toContain('CBC panel');
      expect(views[slug], slug).not.toContain('XR Ankle');
      expect(views[slug], slug).not.toContain('Emergency room admission');
    }

    await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}/print`, 'Print immunization record');
    await maria.emulateMedia({ media: 'print' });
    try {
      const printed = await visibleText(maria);
      expect(sensitiveHits(printed)).toEqual([]);
      const record = await visibleText(maria.getByTestId('immunization-record'));
      expect(record).toContain(CHILDREN.isabel.name);
      expect(record).toContain(`Date of birth: ${shiftedFixtureDate(ISABEL_BORN)}`);
      expect(record).toContain('Tdap');
      // Tdap (a CDPH 286 row), then HPV (2 doses), influenza and meningococcal.
      expect(await maria.getByTestId('immunization-record').getByRole('row').count()).toBe(1 + 4);
    } finally {
      await maria.emulateMedia({ media: 'screen' });
    }

    await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}/documents`, ISABEL_PARTIAL);
    for (const download of await downloadBodies(maria)) expect(sensitiveHits(download.body), download.href).toEqual([]);

    await traffic.settled();
    expect(traffic.responses.length, 'the page loaded Isabel\'s allowed data through /fhir').toBeGreaterThan(0);
    expect(leaksIn(traffic)).toEqual([]);

    for (const search of await expectNoSensitiveIsabel(maria.request, portal)) {
      // Outside the allow-list entirely: no diagnoses, labs or visits for a teen's guardian.
      expect(search.body, search.search).not.toContain('Mild persistent asthma');
      expect(search.body, search.search).not.toContain('Hemoglobin');
    }
  });

  test('Isabel signed in as herself sees her own confidential items', async () => {
    const { portal, browser } = context();
    await withPage(browser, 'record-ca-adolescent-split-isabel-self', async (isabel) => {
      const traffic = recordFhirTraffic(isabel, portal.portalUrl);
      await signIn(isabel, portal.portalUrl, 'isabel');
      await isabel.getByRole('heading', { name: 'Your health record', level: 1 }).waitFor();
      const card = await visibleText(childCard(isabel, CHILDREN.isabel.name));
      expect(card).toContain('Your own record');
      expect(card).toContain('Full online access');

      const summary = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}`, 'Health issues');
      await isabel.getByRole('heading', { name: 'Albuterol HFA inhaler 90 mcg/puff', exact: true }).waitFor();
      expect(await sectionLinks(isabel)).toEqual(ALL_SECTIONS);
      const overflow = await isabel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the record scrolls sideways on a 360 px phone').toBeLessThanOrEqual(0);
      expect(summary).toContain('Chlamydial infection');
      expect(summary).toContain('Generalized anxiety disorder');
      expect(summary).toContain('Mild persistent asthma');
      expect(summary).toContain('Yaz (drospirenone');
      expect(summary).toContain('Azithromycin 500 mg tablet');

      const results = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}/results`, 'Complete blood count (CBC)');
      expect(results).toContain('Chlamydia trachomatis');
      expect(results).toContain('Pregnancy test');

      const visits = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}/visits`, 'Emergency visit');
      expect(visits).toContain('Teen Clinic');
      expect(visits).toContain('Therapy session');

      const documents = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}/documents`, 'Return to school');
      expect(documents).toContain('Psychotherapy progress note');

      const appointments = await gotoRecord(isabel, portal, `/patient/${CHILDREN.isabel.id}/appointments`, 'Upcoming appointments');
      expect(appointments).toContain('Teen Clinic');
      expect(appointments).toContain('Dr. Hannah Kim');

      const own = await isabel.request.get(`${portal.portalUrl}/fhir/Condition/isabel-chlamydia`);
      expect(own.status()).toBe(200);
      expect(await own.text()).toContain('Chlamydial infection');

      // Positive controls: the same detectors do see Isabel's confidential items on her own pages and in the /fhir
      // bodies her page received, so their silence on the guardian's pages means something.
      expect(sensitiveHits(summary)).toEqual(expect.arrayContaining(['Chlamydial', 'Yaz', 'Generalized anxiety']));
      await traffic.settled();
      expect(leaksIn(traffic)).toEqual(expect.arrayContaining([expect.stringContaining('isabel-chlamydia')]));
    }, 'phone');
  });

  test("Isabel's allow-listed page in Spanish shows no English UI", async () => {
    const { portal, maria } = context();
    await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}`, 'Allergy to natural rubber latex');
    await maria.getByRole('button', { name: 'Español' }).click();
    await maria.getByRole('heading', { name: 'Alergias', exact: true }).waitFor();
    try {
      expect(await englishLeftOnPage(maria), 'summary').toEqual([]);
      const views = [
        ['documents', maria.locator('sprout-record-documents')],
        ['appointments', maria.getByText('General Pediatrics Clinic').first()],
        ['print', maria.getByText('Fecha de nacimiento').first()],
      ] as const;
      for (const [slug, marker] of views) {
        await gotoRecord(maria, portal, `/patient/${CHILDREN.isabel.id}/${slug}`, marker);
        expect(await englishLeftOnPage(maria), slug).toEqual([]);
      }
    } finally {
      await maria.getByRole('button', { name: 'English' }).click();
      await maria.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    }
  });
});
