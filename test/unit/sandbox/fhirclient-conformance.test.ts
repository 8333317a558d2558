/**
 * Conformance cross-check with the reference client: `fhirclient` (SMART Health IT's JS client, Node adapter) runs as
 * a confidential app on its own HTTP server and completes a standalone launch and an EHR launch against the sandbox,
 * then reads the Patient in context. Nothing here is shaped to Sprout's gateway: if the sandbox drifted from SMART App
 * Launch (discovery, PKCE, aud, token response context, client authentication), this client would fail.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import smart from 'fhirclient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { CookieJar, follow } from './oauth-driver.ts';

const SECRET_CLIENT = 'fhirclient-app';
const SECRET = 'fhirclient-test-secret';
const ASYMMETRIC_CLIENT = 'fhirclient-asymmetric';

/** fhirclient keeps its state in a server-side store; one per test browser, keyed by the app's cookie. */
class MemoryStorage {
  readonly #values = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    return this.#values.get(key);
  }
  async set(key: string, value: unknown): Promise<unknown> {
    this.#values.set(key, value);
    return value;
  }
  async unset(key: string): Promise<boolean> {
    return this.#values.delete(key);
  }
}

const privateJwk: Record<string, unknown> = {
  ...(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
  alg: 'ES384',
  kid: 'fhirclient-es384',
};
const publicJwk = { kty: privateJwk['kty'], crv: privateJwk['crv'], x: privateJwk['x'], y: privateJwk['y'], alg: 'ES384', kid: 'fhirclient-es384', use: 'sig' };

let sandbox: RunningSandbox;
let appUrl: string;
let app: ReturnType<typeof createServer>;
const storages = new Map<string, MemoryStorage>();

function storageFor(req: IncomingMessage, res: ServerResponse): MemoryStorage {
  let id = /(?:^|;\s*)app-sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (id === undefined || !storages.has(id)) {
    id = `${storages.size + 1}-${Math.random().toString(36).slice(2)}`;
    storages.set(id, new MemoryStorage());
    res.setHeader('set-cookie', `app-sid=${id}; Path=/; HttpOnly`);
  }
  return storages.get(id)!;
}

/** The app: /launch (EHR launch), /standalone?as=secret|asymmetric, /callback → JSON of what it learned and read. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', appUrl);
  const storage = storageFor(req, res);
  const client = smart(req, res, storage as never);
  const credentials = url.searchParams.get('as') === 'asymmetric'
    ? { clientId: ASYMMETRIC_CLIENT, clientPrivateJwk: privateJwk as never }
    : { clientId: SECRET_CLIENT, clientSecret: SECRET };
  if (url.pathname === '/launch') {
    await client.authorize({ ...credentials, scope: 'launch openid fhirUser patient/*.rs', redirectUri: '/callback' });
    return;
  }
  if (url.pathname === '/standalone') {
    await client.authorize({ ...credentials, iss: sandbox.fhirBaseUrl, scope: 'launch/patient openid fhirUser offline_access patient/*.rs', redirectUri: '/callback' });
    return;
  }
  if (url.pathname === '/callback') {
    const ready = await client.ready();
    const patient = (await ready.patient.read()) as { resourceType: string; id: string };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      patientId: ready.getPatientId(),
      fhirUser: ready.getFhirUser(),
      serverUrl: ready.state.serverUrl,
      hasRefreshToken: typeof ready.state.tokenResponse?.refresh_token === 'string',
      patient: { resourceType: patient.resourceType, id: patient.id },
    }));
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  app = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  sandbox = await startSandbox({
    clients: [
      { clientId: SECRET_CLIENT, clientSecret: SECRET, redirectUris: [`${appUrl}/callback`], launchUrl: `${appUrl}/launch` },
      { clientId: ASYMMETRIC_CLIENT, jwks: { keys: [publicJwk] }, redirectUris: [`${appUrl}/callback`], launchUrl: `${appUrl}/launch` },
    ],
  });
});

afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => {
    if (app === undefined) return resolve();
    app.close(() => resolve());
    app.closeAllConnections();
  });
});

interface AppResult {
  patientId: string;
  fhirUser: string;
  serverUrl: string;
  hasRefreshToken: boolean;
  patient: { resourceType: string; id: string };
}

/** Follows the browser through the sandbox (signing in when asked) back to the app's callback; returns its JSON. */
async function runLaunch(start: string, username: string | undefined): Promise<AppResult> {
  const jar = new CookieJar();
  const callbackPrefix = `${appUrl}/callback`;
  let step = await follow(jar, start, callbackPrefix);
  if (step.response !== undefined) {
    const page = await step.response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (action === undefined || username === undefined) throw new Error(`unexpected page at ${step.url}: ${step.response.status} ${page.slice(0, 300)}`);
    step = await follow(jar, new URL(action, step.url).href, callbackPrefix, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: sandbox.password }).toString(),
    });
    if (step.response !== undefined) throw new Error(`sign-in did not return to the app: ${step.response.status}`);
  }
  const callback = await fetch(step.url, { redirect: 'manual', headers: { cookie: jar.header() } });
  const text = await callback.text();
  if (callback.status !== 200) throw new Error(`the app's callback answered ${callback.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as AppResult;
}

describe('fhirclient (Node adapter, confidential client) against the sandbox', () => {
  it('completes a standalone launch with client_secret_basic and reads the Patient in context', async () => {
    const result = await runLaunch(`${appUrl}/standalone`, 'isabel');
    expect(result.serverUrl).toBe(sandbox.fhirBaseUrl);
    expect(result.patientId).toBe('isabel-rivera');
    expect(result.fhirUser).toBe('Patient/isabel-rivera');
    expect(result.hasRefreshToken).toBe(true);
    expect(result.patient).toEqual({ resourceType: 'Patient', id: 'isabel-rivera' });
  });

  it('completes an EHR launch (iss + launch from the EHR) and reads the launched Patient', async () => {
    const clinician = sandbox.accounts.find((account) => account.resourceType === 'Practitioner');
    if (clinician === undefined) throw new Error('the demo family has no Practitioner sign-in');
    const launch = sandbox.createLaunch({ accountId: clinician.accountId, patient: 'isabel-rivera' });
    const result = await runLaunch(`${appUrl}/launch?iss=${encodeURIComponent(sandbox.fhirBaseUrl)}&launch=${encodeURIComponent(launch)}`, undefined);
    expect(result.serverUrl).toBe(sandbox.fhirBaseUrl);
    expect(result.patientId).toBe('isabel-rivera');
    expect(result.fhirUser).toBe(clinician.accountId);
    expect(result.patient).toEqual({ resourceType: 'Patient', id: 'isabel-rivera' });
  });

  it('completes a standalone launch as a confidential asymmetric client (private_key_jwt, ES384)', async () => {
    const result = await runLaunch(`${appUrl}/standalone?as=asymmetric`, 'isabel');
    expect(result.patient).toEqual({ resourceType: 'Patient', id: 'isabel-rivera' });
  });
});
