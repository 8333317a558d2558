/**
 * The sandbox EHR: a FHIR R4 server (Medplum fhir-router, in memory) behind a SMART authorization server
 * (oidc-provider), seeded from a folder of FHIR JSON, with an EHR-launch simulator. Everything binds to 127.0.0.1.
 *
 *   {url}/fhir                                   FHIR base (Bearer token from this sandbox required, unless openServer)
 *   {url}/fhir/metadata                          CapabilityStatement (public)
 *   {url}/fhir/.well-known/smart-configuration   SMART discovery (public)
 *   {url}/oidc                                   OpenID issuer (/.well-known/openid-configuration, /auth, /token, /jwks, …)
 *   {url}/interaction/{uid}                      sign-in page
 *   {url}/launch-simulator                       EHR-launch simulator
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FhirResource, Patient } from 'fhir/r4';
import { ACCOUNT_RESOURCE_TYPES, deriveAccounts, SANDBOX_LOGIN_SYSTEM, SANDBOX_PASSWORD, type SandboxAccount } from './auth/accounts.ts';
import {
  BodyTooLargeError, createAuthorizationServer, readBody, sendHtml, type AuthorizationServer, type SandboxClient,
} from './auth/authorization-server.ts';
import { LaunchContextStore } from './auth/launch-contexts.ts';
import { smartConfiguration, type AuthorizationEndpoints } from './fhir/capability.ts';
import { fhirResourceTypes } from './fhir/schema.ts';
import { FhirService, type FhirHttpResponse } from './fhir/service.ts';
import { html, page } from './http/html.ts';
import { createLaunch, launchSimulatorPage, type LaunchSimulatorInput } from './http/launch-simulator.ts';
import { readSeedDirectory } from './seed/load-seed.ts';
import { clinicSchedules } from './seed/clinic-schedules.ts';
import { pharmacyFills } from './seed/pharmacy-fills.ts';
import { createEhrArea, EHR_PREFIX } from './ehr/ehr-area.ts';
import { EHR_PAGES } from './ehr/pages.ts';

export type { SandboxAccount } from './auth/accounts.ts';
export type { SandboxClient } from './auth/authorization-server.ts';
export { SANDBOX_LOGIN_SYSTEM, SANDBOX_PASSWORD } from './auth/accounts.ts';

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../../fixtures/family/', import.meta.url));

export interface StartSandboxOptions {
  /** 0 (default) = ephemeral. The host is always 127.0.0.1. */
  readonly port?: number;
  /** Folder of FHIR JSON; default fixtures/family. */
  readonly seedDir?: string;
  /** "Today" for date shifting; default now. */
  readonly today?: Date;
  readonly clients: ReadonlyArray<SandboxClient>;
  /** FHIR without any token (like the public HAPI sandbox), for the gateway's open-server test mode. */
  readonly openServer?: boolean;
  /** Access-token lifetime; default 3600 s. */
  readonly accessTokenTtlSeconds?: number;
}

export interface RunningSandbox {
  readonly url: string;
  readonly fhirBaseUrl: string;
  readonly issuer: string;
  readonly launchSimulatorUrl: string;
  /** The clinician area (sign in as a Practitioner account, e.g. dr.shah): sandbox/src/ehr. */
  readonly ehrUrl: string;
  readonly accounts: SandboxAccount[];
  readonly password: string;
  /** Creates an EHR launch context directly (tests; the simulator page does the same). Returns the `launch` id. */
  createLaunch(context: { accountId: string; patient: string; encounter?: string; needPatientBanner?: boolean }): string;
  close(): Promise<void>;
}

const FHIR_PREFIX = '/fhir';
const ISSUER_PREFIX = '/oidc';
const INTERACTION_PREFIX = '/interaction';
const SIMULATOR_PATH = '/launch-simulator';
const MAX_FHIR_BODY = 64 * 1024 * 1024;

export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  validateClients(options.clients);
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else sendText(res, 503, 'Sandbox is starting');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  try {
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const fhirBaseUrl = `${url}${FHIR_PREFIX}`;
    const issuer = `${url}${ISSUER_PREFIX}`;
    const endpoints: AuthorizationEndpoints = {
      issuer,
      authorizationEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${issuer}/token`,
      revocationEndpoint: `${issuer}/token/revocation`,
      introspectionEndpoint: `${issuer}/token/introspection`,
      jwksUri: `${issuer}/jwks`,
    };
    const fhir = new FhirService({ fhirBaseUrl, ...(options.openServer ? {} : { endpoints }) });
    const seed = await readSeedDirectory(options.seedDir ?? DEFAULT_SEED_DIR, { today: options.today ?? new Date() });
    await fhir.load(seed.items);
    // A week of open Slots for the seeded clinics and the demo family's pharmacy fills (issue 12).
    const present = new Set((await fhir.searchResources('Practitioner?_count=1000')).concat(await fhir.searchResources('Location?_count=1000'), await fhir.searchResources('MedicationRequest?_count=1000')).map((r) => `${r.resourceType}/${r.id ?? ''}`));
    await fhir.load([...clinicSchedules(options.today ?? new Date(), present), ...pharmacyFills(options.today ?? new Date(), present)]);

    let accounts = await loadAccounts(fhir);
    const refreshAccounts = async (): Promise<readonly SandboxAccount[]> => (accounts = await loadAccounts(fhir));
    const launches = new LaunchContextStore();
    const auth = createAuthorizationServer({
      issuer, fhirBaseUrl, interactionPath: INTERACTION_PREFIX, clients: options.clients,
      resourceTypes: fhirResourceTypes(), accounts: () => accounts, launches,
      ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
    });
    const simulatorInput = async (): Promise<LaunchSimulatorInput> => ({
      accounts: await refreshAccounts(),
      patients: (await fhir.searchResources('Patient?_count=1000&_sort=birthdate')) as Patient[],
      clients: options.clients,
    });

    const ehr = createEhrArea({ fhir, accounts: refreshAccounts, password: SANDBOX_PASSWORD, pages: EHR_PAGES });

    handler = (req, res) => {
      route(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof BodyTooLargeError) sendText(res, 413, error.message);
        else sendText(res, 500, 'Sandbox error');
        if (!(error instanceof BodyTooLargeError)) console.error('[sandbox]', error);
      });
    };

    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const requestUrl = new URL(req.url ?? '/', url);
      const path = requestUrl.pathname;
      if (path === ISSUER_PREFIX || path.startsWith(`${ISSUER_PREFIX}/`)) {
        auth.handleProviderRequest(req, res, (req.url ?? '/').slice(ISSUER_PREFIX.length));
        return;
      }
      const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path);
      if (interaction) {
        const action = interaction[2] ? 'login' : 'show';
        if ((action === 'login') !== (req.method === 'POST')) return sendText(res, 405, 'Method not allowed');
        await refreshAccounts();
        await auth.handleInteraction(req, res, interaction[1] ?? '', action);
        return;
      }
      if (path === FHIR_PREFIX || path.startsWith(`${FHIR_PREFIX}/`)) {
        await handleFhir(req, res, requestUrl, path.slice(FHIR_PREFIX.length) || '/', fhir, auth, endpoints, options.openServer === true);
        return;
      }
      if (path === EHR_PREFIX || path.startsWith(`${EHR_PREFIX}/`)) {
        await ehr.handle(req, res, requestUrl);
        return;
      }
      if (path === SIMULATOR_PATH && req.method === 'GET') {
        sendHtml(res, 200, launchSimulatorPage(await simulatorInput(), SIMULATOR_PATH));
        return;
      }
      if (path === SIMULATOR_PATH && req.method === 'POST') {
        const input = await simulatorInput();
        const decision = createLaunch(new URLSearchParams(await readBody(req, 16 * 1024)), input, fhirBaseUrl, launches);
        if (!decision.ok) {
          sendHtml(res, 400, launchSimulatorPage(input, SIMULATOR_PATH, decision.error));
          return;
        }
        res.writeHead(303, { location: decision.location, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (path === '/' && req.method === 'GET') {
        sendHtml(res, 200, page('Sprout sandbox EHR', html`<h1>Sprout sandbox EHR</h1><ul>
          <li>FHIR base: <code>${fhirBaseUrl}</code></li>
          <li>SMART configuration: <a href="${fhirBaseUrl}/.well-known/smart-configuration">${fhirBaseUrl}/.well-known/smart-configuration</a></li>
          <li>OpenID issuer: <a href="${issuer}/.well-known/openid-configuration">${issuer}</a></li>
          <li><a href="${SIMULATOR_PATH}">EHR launch simulator</a></li>
          <li><a href="${EHR_PREFIX}/sign-in">Clinician area</a> (sign in as <code>dr.shah</code>)</li></ul>`));
        return;
      }
      sendText(res, 404, 'Not found');
    }

    return {
      url,
      fhirBaseUrl,
      issuer,
      launchSimulatorUrl: `${url}${SIMULATOR_PATH}`,
      ehrUrl: `${url}${EHR_PREFIX}`,
      get accounts() {
        return [...accounts];
      },
      password: SANDBOX_PASSWORD,
      createLaunch: (context) => launches.create({
        accountId: context.accountId,
        patient: context.patient,
        ...(context.encounter ? { encounter: context.encounter } : {}),
        needPatientBanner: context.needPatientBanner ?? true,
      }),
      close: () => closeServer(server),
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

async function handleFhir(
  req: IncomingMessage, res: ServerResponse, requestUrl: URL, path: string, fhir: FhirService,
  auth: AuthorizationServer, endpoints: AuthorizationEndpoints, openServer: boolean,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/.well-known/smart-configuration') {
    sendFhir(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(smartConfiguration(endpoints)) });
    return;
  }
  if (!openServer && !(method === 'GET' && path === '/metadata')) {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const verified = token ? await auth.verifyAccessToken(token) : undefined;
    if (!verified) {
      res.writeHead(401, {
        'content-type': 'application/fhir+json; charset=utf-8',
        'www-authenticate': `Bearer realm="sandbox", error="invalid_token"`,
      });
      res.end(JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'login', details: { text: 'A valid access token from this sandbox is required' } }],
      }));
      return;
    }
  }
  let body: unknown;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const text = await readBody(req, MAX_FHIR_BODY);
    try {
      body = text ? JSON.parse(text) as unknown : undefined;
    } catch {
      sendFhir(res, {
        status: 400, headers: { 'content-type': 'application/fhir+json; charset=utf-8' },
        body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', details: { text: 'Body is not valid JSON' } }] }),
      });
      return;
    }
  }
  const ifNoneExist = req.headers['if-none-exist'];
  const ifMatch = req.headers['if-match'];
  const response = await fhir.handle({
    method, path, query: requestUrl.searchParams, body, accept: req.headers.accept,
    conditions: { ...(typeof ifNoneExist === 'string' ? { ifNoneExist } : {}), ...(typeof ifMatch === 'string' ? { ifMatch } : {}) },
  });
  sendFhir(res, response);
}

async function loadAccounts(fhir: FhirService): Promise<SandboxAccount[]> {
  const resources: FhirResource[] = [];
  for (const type of ACCOUNT_RESOURCE_TYPES) {
    resources.push(...await fhir.searchResources(`${type}?identifier=${encodeURIComponent(`${SANDBOX_LOGIN_SYSTEM}|`)}&_count=1000`));
  }
  return deriveAccounts(resources, fhir.fhirBaseUrl);
}

function validateClients(clients: ReadonlyArray<SandboxClient>): void {
  if (clients.length === 0) throw new Error('startSandbox: register at least one client');
  for (const client of clients) {
    if (!client.clientId) throw new Error('startSandbox: every client needs a clientId');
    if (client.redirectUris.length === 0) throw new Error(`startSandbox: client ${client.clientId} has no redirectUris`);
    for (const uri of [...client.redirectUris, ...(client.launchUrl ? [client.launchUrl] : [])]) {
      if (!URL.canParse(uri)) throw new Error(`startSandbox: client ${client.clientId} has an invalid URL: ${uri}`);
    }
  }
}

function sendFhir(res: ServerResponse, response: FhirHttpResponse): void {
  res.writeHead(response.status, { 'cache-control': 'no-store', ...response.headers });
  res.end(response.body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
