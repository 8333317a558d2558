/**
 * The sandbox EHR's clinician area (sandbox/src/ehr): only Practitioner accounts sign in, every POST needs the
 * session's CSRF token, pages come from the registry, signing out ends the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { CookieJar } from '../sandbox/oauth-driver.ts';
import { EhrClient } from './support/ehr-client.ts';
import { startTestSandbox } from './support/sandbox-actions.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

async function request(jar: CookieJar, path: string, form?: Record<string, string>) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: form === undefined ? 'GET' : 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
    ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
  });
  jar.store(response);
  return response;
}

describe('the clinician area', () => {
  it('sends a signed-out visitor to the sign-in page and refuses non-clinicians and wrong passwords', async () => {
    const jar = new CookieJar();
    const home = await request(jar, '/ehr/home');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/ehr/sign-in');
    expect((await request(jar, '/ehr/sign-in', { username: 'maria', password: sandbox.password })).status).toBe(401);
    const wrong = await request(jar, '/ehr/sign-in', { username: 'dr.shah', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Unknown clinician or wrong password.');
  });

  it('signs dr.shah in with an HttpOnly SameSite=Strict cookie; the layout names her; POSTs need the CSRF token; sign-out ends it', async () => {
    const jar = new CookieJar();
    const signIn = await request(jar, '/ehr/sign-in', { username: 'DR.SHAH', password: sandbox.password });
    expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const home = await request(jar, '/ehr/home');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await home.text();
    expect(page).toContain('Priya Shah');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    expect((await request(jar, '/ehr/sign-out', { csrf: 'forged' })).status).toBe(403);
    expect((await request(jar, '/ehr/home')).status).toBe(200);
    expect((await request(jar, '/ehr/sign-out', { csrf: csrf ?? '' })).status).toBe(303);
    expect((await request(jar, '/ehr/home')).status).toBe(303);
    expect((await request(jar, '/ehr/no-such-page')).status).toBe(303);
  });

  it('answers an unknown page inside the area with a 404 page', async () => {
    const clinician = new EhrClient(sandbox.url);
    await clinician.signIn('dr.shah', sandbox.password);
    expect((await clinician.request('/ehr/no-such-page')).status).toBe(404);
    expect(clinician.csrf).not.toBe('');
  });
});
