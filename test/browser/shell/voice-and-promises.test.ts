/**
 * Issue 14, classes 1, 7 and 10 in the shell: promises come from what the gateway says is available (never from the
 * policy's features alone, never static text); every string addresses the reader as who they are — Elena (an adult
 * on her own record), Isabel (a teen on hers), Maria (a mother and conservator, in Spanish agreeing in gender); the
 * signed-out page describes only what the deployment serves and logs no error; header fits at 360 and 1280 px.
 */
import { describe, expect, it } from 'vitest';
import type { SessionPatientView, SessionView } from '../../../app/src/api/session.ts';
import { availableActionsFor } from '../../../gateway/src/actions/available.ts';
import { todayIn } from '../../../app/src/i18n/format.ts';
import { deepText, openApp, poll, seriousAxeViolations, useAppServer } from './app-server.ts';
import { ALL_SERVED, dateFromToday, familySession, withServed } from './session-fixtures.ts';

const hospitalToday = new Date(`${todayIn('America/Los_Angeles')}T12:00:00Z`);
const server = useAppServer();

function selfSession(patient: Omit<SessionPatientView, 'availableActions' | 'relationship'>, user: Partial<SessionView['user']> = {}): SessionView {
  const base = familySession(hospitalToday).session;
  return {
    ...base,
    user: { name: patient.name, fhirUser: `https://ehr.example/fhir/Patient/${patient.id}`, kind: 'Patient', ...user },
    patients: [{ ...patient, relationship: 'self', availableActions: availableActionsFor(patient.access.features, ALL_SERVED) }],
  };
}

const elena = selfSession({
  id: 'elena-1',
  name: 'Elena Rivera',
  birthDate: dateFromToday(hospitalToday, { years: 19 }),
  gender: 'female',
  access: {
    level: 'full',
    messageKey: 'access.self.full',
    features: { viewRecord: true, messages: true, appointmentRequests: true, renewals: true, bills: 'full' },
  },
});

const isabel = selfSession({
  id: 'isabel-1',
  name: 'Isabel Rivera',
  birthDate: dateFromToday(hospitalToday, { years: 15 }),
  gender: 'female',
  access: {
    level: 'none',
    messageKey: 'access.self.not-eligible',
    features: { viewRecord: false, messages: true, appointmentRequests: false, renewals: false, bills: 'none' },
  },
});

describe('promises match the available actions (class 1)', () => {
  it('lists on the card only what the gateway serves for this child', async () => {
    const { session } = familySession(hospitalToday);
    const { page, errors } = await openApp(server(), '/', withServed(session, ['messages']));
    const teen = page.locator('sprout-child-card article').filter({ hasText: 'Valentina' });
    await teen.waitFor();
    const text = await teen.innerText();
    expect(text).toContain('You can still:');
    expect(text).toContain('Send messages to the care team');
    // The policy allows these for Valentina, but this deployment serves no appointment or billing action.
    expect(text).not.toContain('Request appointments');
    expect(text).not.toContain('balance due');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('promises nothing when nothing is served', async () => {
    const { session } = familySession(hospitalToday);
    const { page } = await openApp(server(), '/', withServed(session, []));
    await page.locator('sprout-child-card article').filter({ hasText: 'Valentina' }).waitFor();
    expect(await deepText(page)).not.toContain('You can still:');
    await page.close();
  });

  it('the signed-out landing page describes only what the deployment serves, and logs no error', async () => {
    const { page, errors, gateway } = await openApp(server(), '/', { signedIn: false, loginUrl: '/login', servedActions: ['messages'] });
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome to Sprout');
    const text = await deepText(page);
    expect(text).toContain('Send messages to the care team');
    expect(text).not.toMatch(/appointments|bills|renewals/i);
    // The app asks with the probe, which the gateway answers 200 when signed out (no 401 in the console).
    expect(gateway.requests.some((request) => request.path === '/api/session?probe=1')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();

    const bare = await openApp(server(), '/', { signedIn: false, loginUrl: '/login', servedActions: [] });
    await poll(() => bare.page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome to Sprout');
    expect(await deepText(bare.page)).not.toMatch(/messages|appointments|bills/i);
    await bare.page.close();
  });
});

describe('the right voice (class 7)', () => {
  it('Elena, an adult on her own record: no "Family", no "All children"', async () => {
    const { page, errors } = await openApp(server(), '/', elena);
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Your health record');
    expect(await page.getByRole('link', { name: 'Home' }).count()).toBe(1);
    expect(await deepText(page)).not.toMatch(/\bFamily\b|All children/);
    await page.goto(`${new URL(page.url()).origin}/patient/elena-1`);
    await page.locator('sprout-patient-record').waitFor();
    await poll(() => deepText(page)).toContain('← Home');
    expect(await deepText(page)).not.toMatch(/All children|\bFamily\b/);
    // (The gateway double answers the record's FHIR reads 404; nothing else may fail.)
    expect(errors.filter((error) => !error.includes('status of 404'))).toEqual([]);
    await page.close();
  });

  it('Isabel, a teen on her own record, reads about "your record", not about herself by name', async () => {
    const { page } = await openApp(server(), '/patient/isabel-1', isabel);
    await poll(() => deepText(page)).toContain("Your record isn't available online");
    const text = await deepText(page);
    expect(text).not.toContain("Isabel Rivera's record");
    expect(text).not.toContain('All children');
    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => deepText(page)).toContain('Su expediente no está disponible en línea');
    expect(await deepText(page)).toContain('← Inicio');
    await page.close();
  });

  it('Maria, in Spanish: "usted es la madre o tutora legal", "usted es la curadora legal"; neutral without a gender', async () => {
    const { session } = familySession(hospitalToday);
    const maria = { ...session, user: { ...session.user, gender: 'female' } };
    const { page } = await openApp(server(), '/', maria, { savedLocale: 'es' });
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Su familia');
    const card = (name: string) => page.locator('sprout-child-card article').filter({ hasText: name }).innerText();
    expect(await card('Sofía')).toContain('Usted es la madre o tutora legal');
    const conservatorCard = await card('Andrés');
    expect(conservatorCard).toContain('Usted es la curadora legal');
    expect(conservatorCard).toContain('un tribunal la nombró curadora legal');
    await page.close();

    const unknown = await openApp(server(), '/', session, { savedLocale: 'es' });
    await poll(() => unknown.page.getByRole('heading', { level: 1 }).innerText()).toBe('Su familia');
    const neutral = await unknown.page.locator('sprout-child-card article').filter({ hasText: 'Andrés' }).innerText();
    expect(neutral).toContain('Usted tiene la curatela legal');
    expect(neutral).not.toMatch(/curador |curadora /);
    await unknown.page.close();
  });
});

describe('layout (class 10)', () => {
  it('at 360 px the header leaves the page heading above the fold; at 1280 px a long hospital name does not wrap the tools', async () => {
    const { session } = familySession(hospitalToday);
    const phone = await openApp(server(), '/', session, { width: 360 });
    const heading = phone.page.getByRole('heading', { level: 1 });
    await poll(() => heading.innerText()).toBe('Your family');
    const box = await heading.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThan(400);
    await phone.page.close();

    const long = { ...session, profile: { ...session.profile, hospitalName: 'Rady Children’s Hospital and Health Center of Greater San Diego County' } };
    const wide = await openApp(server(), '/', long, { width: 1280 });
    await poll(() => wide.page.getByRole('heading', { level: 1 }).innerText()).toBe('Your family');
    const heights = await wide.page.evaluate(() => {
      const root = document.querySelector('sprout-app')?.shadowRoot;
      const one = (selector: string) => root?.querySelector(selector)?.getBoundingClientRect();
      const signOut = one('button.sign-out');
      const lang = root?.querySelector('sprout-language-switch')?.getBoundingClientRect();
      const lineHeight = parseFloat(getComputedStyle(root?.querySelector('button.sign-out') as Element).lineHeight) || 24;
      return { signOut: signOut?.height ?? 0, lang: lang?.height ?? 0, top: [signOut?.top ?? 0, lang?.top ?? 0], lineHeight };
    });
    // One line each, side by side.
    expect(heights.signOut).toBeLessThan(heights.lineHeight * 2 + 24);
    expect(Math.abs((heights.top[0] ?? 0) - (heights.top[1] ?? 0))).toBeLessThan(24);
    expect(await seriousAxeViolations(wide.page)).toEqual([]);
    await wide.page.close();
  });
});
