/**
 * Issue 10, finding 1 against a real authorization server: the sandbox registered to write `fhirUser` relative to the
 * FHIR base (as SMART 2.x allows and some servers do). The gateway signs the guardian in over HTTP, stores the claim
 * resolved against the base, and the family appears exactly as with an absolute claim.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../gateway/src/store/types.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { obtainCode, tokenRequest } from '../sandbox/oauth-driver.ts';
import { listen, openMemoryStore, sessionCookie, signInThroughPortal, type LivePortal } from './interop-live.ts';

const SECRET = 'relative-fhir-user-secret';
let sandbox: RunningSandbox;
let store: Store;
let relativePortal: LivePortal;
let absolutePortal: LivePortal;

beforeAll(async () => {
  store = await openMemoryStore();
  [relativePortal, absolutePortal] = await Promise.all([listen(), listen()]);
  sandbox = await startSandbox({
    clients: [
      { clientId: 'portal-relative', clientSecret: SECRET, fhirUserForm: 'relative', redirectUris: [`${relativePortal.url}/callback`] },
      { clientId: 'portal-absolute', clientSecret: SECRET, redirectUris: [`${absolutePortal.url}/callback`] },
    ],
  });
  for (const [portal, clientId] of [[relativePortal, 'portal-relative'], [absolutePortal, 'portal-absolute']] as const) {
    portal.attach({ FHIR_BASE_URL: sandbox.fhirBaseUrl, CLIENT_ID: clientId, CLIENT_SECRET: SECRET }, store);
  }
});

afterAll(async () => {
  await Promise.all([relativePortal?.close(), absolutePortal?.close()]);
  await sandbox?.close();
  await store?.close();
});

describe('a SMART server that writes fhirUser relative to the FHIR base', () => {
  it('really issues the relative form to that client', async () => {
    const { code, verifier } = await obtainCode(
      { issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: 'portal-relative', redirectUri: `${relativePortal.url}/callback`, scope: 'openid fhirUser' },
      'maria',
      sandbox.password,
    );
    const token = await tokenRequest(sandbox.issuer, 'portal-relative', SECRET, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: `${relativePortal.url}/callback` });
    expect(decodeJwt(String(token.json['id_token'])).fhirUser).toBe('Person/maria-rivera');
  });

  it('signs the guardian in and shows the same family as an absolute claim', async () => {
    const views = [];
    for (const portal of [relativePortal, absolutePortal]) {
      const { callback, jar } = await signInThroughPortal(portal.url, 'maria', sandbox.password);
      expect(callback.status).toBe(303);
      const session = await store.sessions.get(sessionCookie(jar) ?? '');
      expect(session?.principal).toMatchObject({ fhirUser: `${sandbox.fhirBaseUrl}/Person/maria-rivera`, reference: 'Person/maria-rivera', kind: 'Person' });
      const res = await fetch(`${portal.url}/api/session`, { headers: { cookie: jar.header() } });
      expect(res.status).toBe(200);
      views.push((await res.json()) as { user: unknown; patients: Array<{ id: string; access: unknown }> });
    }
    expect(views[0]?.patients.map((p) => p.id).sort()).toEqual(['elena-rivera', 'isabel-rivera', 'leo-rivera', 'mateo-rivera', 'sofia-rivera']);
    expect(views[0]?.user).toEqual(views[1]?.user);
    expect(views[0]?.patients).toEqual(views[1]?.patients);
  });
});
