/**
 * The app's only way to talk to the gateway (same origin, cookie session). It never sees a FHIR token.
 *
 * Contracts:
 * - Every call takes an AbortSignal (pass @lit/task's) and rethrows an abort as the DOMException it is.
 * - Every other failure becomes a GatewayError whose `kind` selects a localized, user-facing sentence
 *   (see error-messages.ts). Server text (OperationOutcome diagnostics) is kept in `serverDetail` for logs and
 *   support; if a view shows it, it goes through a Lit text binding (escaped), never innerHTML.
 * - A 401 from any call but GET /api/session also fires `sprout-session-expired` on window, so the shell can
 *   send the family to the signed-out page whichever element made the call.
 * - State-changing calls carry X-CSRF-Token: the token comes from the most recent GET /api/session
 *   (fetchSession remembers it), or from `options.csrfToken` when the caller has one.
 */
import type { ServedActionKind, SessionView, SignedOutView } from './session.ts';

/** The action kinds a gateway may say it serves (gateway/src/actions/available.ts); anything else is ignored. */
const SERVED_ACTION_KINDS: readonly ServedActionKind[] = ['messages', 'appointment-requests', 'renewals', 'bills'];

export const GATEWAY_ERROR_KINDS = [
  'offline',
  'session-expired',
  'upstream-unavailable',
  'not-found',
  'refused',
  'unexpected',
] as const;
export type GatewayErrorKind = (typeof GATEWAY_ERROR_KINDS)[number];

/** Fired on window when the gateway answers 401 to a data call: the session has ended. */
export const SESSION_EXPIRED_EVENT = 'sprout-session-expired';
/**
 * Fired on window after any gateway answer other than 401, with the time the request was sent: the gateway
 * counts each request as activity, so the idle-timeout warning can push its deadline back without asking.
 */
export const GATEWAY_ACTIVITY_EVENT = 'sprout-gateway-activity';

declare global {
  interface WindowEventMap {
    [SESSION_EXPIRED_EVENT]: CustomEvent<{ path: string }>;
    [GATEWAY_ACTIVITY_EVENT]: CustomEvent<{ sentAt: number }>;
  }
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  /** HTTP status, or 0 when no response arrived (offline, malformed body). */
  readonly status: number;
  readonly kind: GatewayErrorKind;
  /** The i18n id of the user-facing sentence for this kind: "error.<kind>". */
  readonly messageKey: `error.${GatewayErrorKind}`;
  /** Text from the server's OperationOutcome, if any. Untrusted: render only through escaped bindings. */
  readonly serverDetail: string | undefined;

  constructor(kind: GatewayErrorKind, status: number, serverDetail?: string, options?: { cause?: unknown }) {
    super(`Gateway request failed: ${kind} (HTTP ${status})`, options);
    this.kind = kind;
    this.status = status;
    this.messageKey = `error.${kind}`;
    this.serverDetail = serverDetail;
  }
}

/** Maps an HTTP status to what it means for the family. Closed: anything unknown is "unexpected". */
export function errorKindForStatus(status: number): GatewayErrorKind {
  if (status === 401) return 'session-expired';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 502 || status === 503 || status === 504 || status === 429) return 'upstream-unavailable';
  if (status === 400 || status === 403 || status === 405 || status === 409 || status === 422) return 'refused';
  return 'unexpected';
}

const MAX_DETAIL_LENGTH = 500;

/**
 * Reads the human text of a FHIR OperationOutcome (details.text, else diagnostics) from an unknown JSON body.
 * Returns undefined for anything else. Total: never throws.
 */
export function operationOutcomeText(body: unknown): string | undefined {
  if (!isRecord(body) || body['resourceType'] !== 'OperationOutcome' || !Array.isArray(body['issue'])) return undefined;
  const texts: string[] = [];
  for (const issue of body['issue'] as unknown[]) {
    if (!isRecord(issue)) continue;
    const details = issue['details'];
    const text = isRecord(details) && typeof details['text'] === 'string' ? details['text'] : issue['diagnostics'];
    if (typeof text === 'string' && text.trim() !== '') texts.push(text.trim());
  }
  if (texts.length === 0) return undefined;
  return texts.join(' ').slice(0, MAX_DETAIL_LENGTH);
}

let lastCsrfToken: string | undefined;

/**
 * GET /api/session. Resolves to the signed-in view, or to a signed-out view (the gateway may answer either
 * `{ signedIn: false }` or 401 when there is no session). Other failures throw GatewayError.
 */
export async function fetchSession(signal?: AbortSignal): Promise<SessionView | SignedOutView> {
  // ?probe=1: signed out, the gateway answers 200 with the signed-out view, so a signed-out page load is no error.
  const response = await send('/api/session?probe=1', { method: 'GET', headers: { Accept: 'application/json' }, signal });
  if (response.status === 401) {
    lastCsrfToken = undefined;
    return { signedIn: false, loginUrl: '/login' };
  }
  const body = await readJson(response);
  if (!response.ok) throw errorFromResponse(response, body);
  if (!isRecord(body) || typeof body['signedIn'] !== 'boolean') {
    throw new GatewayError('unexpected', response.status, 'The session response was not understood.');
  }
  if (body['signedIn'] === false) {
    lastCsrfToken = undefined;
    const loginUrl = typeof body['loginUrl'] === 'string' && body['loginUrl'].startsWith('/') ? body['loginUrl'] : '/login';
    const servedActions = Array.isArray(body['servedActions']) ? body['servedActions'].filter((kind): kind is ServedActionKind => SERVED_ACTION_KINDS.includes(kind as ServedActionKind)) : undefined;
    return { signedIn: false, loginUrl, ...(servedActions === undefined ? {} : { servedActions }) };
  }
  if (!Array.isArray(body['patients']) || typeof body['csrfToken'] !== 'string' || !isRecord(body['profile'])) {
    throw new GatewayError('unexpected', response.status, 'The session response was not understood.');
  }
  const session = body as unknown as SessionView;
  lastCsrfToken = session.csrfToken;
  return session;
}

/**
 * GET a FHIR resource or Bundle through the gateway's policy-enforcing facade.
 * `path` is relative to /fhir/ ("Patient/123", "AllergyIntolerance?patient=123"); absolute URLs and paths that
 * climb out of /fhir/ are refused before any request is made.
 */
export async function fetchFhir<T>(path: string, signal?: AbortSignal): Promise<T> {
  const url = fhirUrl(path);
  const response = await send(url, { method: 'GET', headers: { Accept: 'application/fhir+json' }, signal });
  const body = await readJson(response);
  if (!response.ok) throw errorFromResponse(response, body, url);
  if (!isRecord(body) || typeof body['resourceType'] !== 'string') {
    throw new GatewayError('unexpected', response.status, 'The response was not a FHIR resource.');
  }
  return body as T;
}

/** GET JSON from a same-origin gateway endpoint ("/api/clinician/family-preview/<id>"). */
export async function getGateway<T = unknown>(path: string, signal?: AbortSignal): Promise<T> {
  if (!path.startsWith('/api/') || path.includes('..')) throw new TypeError(`getGateway wants an /api/ path, got ${path}`);
  const response = await send(path, { method: 'GET', headers: { Accept: 'application/json' }, signal });
  const body = await readJson(response);
  if (!response.ok) throw errorFromResponse(response, body, path);
  if (!isRecord(body)) throw new GatewayError('unexpected', response.status, 'The response was not understood.');
  return body as T;
}

/**
 * POST JSON to a gateway endpoint ("/api/session/keepalive", "/logout") with the CSRF header.
 * Resolves to the parsed JSON body, or undefined for an empty answer (204).
 */
export async function postGateway<T = unknown>(
  path: string,
  body: unknown,
  signal?: AbortSignal,
  options: { csrfToken?: string } = {},
): Promise<T | undefined> {
  if (!path.startsWith('/') || path.startsWith('//')) throw new TypeError(`postGateway wants a same-origin path, got ${path}`);
  const csrfToken = options.csrfToken ?? lastCsrfToken;
  if (csrfToken === undefined) {
    // No session was ever read in this page: a state-changing call cannot be authorised.
    throw new GatewayError('session-expired', 0, 'No CSRF token: the session has not been loaded.');
  }
  const response = await send(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body ?? {}),
    signal,
  });
  const parsed = await readJson(response);
  if (!response.ok) throw errorFromResponse(response, parsed, path);
  return parsed as T | undefined;
}

/** The CSRF token of the last session read (for tests and for callers that build their own requests). */
export function currentCsrfToken(): string | undefined {
  return lastCsrfToken;
}

function fhirUrl(path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/^fhir\//, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.split(/[/?#]/)[0] === '..' || trimmed.includes('/../') || trimmed === '') {
    throw new TypeError(`fetchFhir wants a path under /fhir/, got ${path}`);
  }
  return `/fhir/${trimmed}`;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  const sentAt = Date.now();
  try {
    const response = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store', redirect: 'follow' });
    if (response.status !== 401 && typeof window !== 'undefined') {
      window.dispatchEvent(new CustomEvent(GATEWAY_ACTIVITY_EVENT, { detail: { sentAt } }));
    }
    return response;
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    throw new GatewayError('offline', 0, undefined, { cause: error });
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // An HTML error page from a proxy, or a truncated body: never guess at its meaning.
    if (!response.ok) return undefined;
    throw new GatewayError('unexpected', response.status, 'The response was not valid JSON.', { cause: error });
  }
}

function errorFromResponse(response: Response, body: unknown, path?: string): GatewayError {
  const kind = errorKindForStatus(response.status);
  if (kind === 'session-expired' && path !== undefined && typeof window !== 'undefined') {
    window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path } }));
  }
  return new GatewayError(kind, response.status, operationOutcomeText(body));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
