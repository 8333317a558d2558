/**
 * The app's side of /api/care (gateway/src/care-requests): reads (what may be asked, open slots, the Requests list)
 * and the actions, which carry the CSRF header and an Idempotency-Key made once per intent — a retry of the same
 * confirmation re-sends the same key, so a lost answer never makes a second request. Failures become CareError with
 * the gateway's stable code; the view picks its own localized sentence by it (never the server's text).
 */
import { currentCsrfToken, getGateway, SESSION_EXPIRED_EVENT } from '../api/gateway-client.ts';

export const ACTION_ERROR_SYSTEM = 'urn:sprout:action-error';

export interface CareOptions {
  readonly appointmentRequests: boolean;
  readonly renewals: boolean;
  readonly reasons: readonly string[];
  readonly careTeam: readonly { reference: string; name: string }[];
  readonly selfScheduleVisitTypes: readonly { code: string; display: string }[];
  readonly horizonDays: number;
  readonly directChangeMinHours: number | null;
  readonly medications: readonly { id: string; name: string; renewal: string }[];
}

export interface CareRequestView {
  readonly reference: string;
  readonly kind: 'appointment' | 'booking' | 'cancel' | 'reschedule' | 'renewal';
  readonly state: 'sent' | 'booked' | 'approved' | 'declined' | 'cancelled' | 'done';
  readonly created?: string;
  readonly start?: string;
  readonly answer?: string;
  readonly about?: string;
  readonly medication?: string;
}

export interface OpenSlot {
  readonly id: string;
  readonly start: string;
  readonly end: string;
  readonly clinic: string;
}

export class CareError extends Error {
  override readonly name = 'CareError';
  readonly status: number;
  /** The gateway's action-error code ("date-in-past", "slot-taken", …), or a transport kind ("offline", "unexpected"). */
  readonly code: string;
  /** The field the code is about ("windows.0"), when the gateway said. */
  readonly field: string | undefined;
  constructor(status: number, code: string, field?: string) {
    super(`care request failed: ${code} (${status})`);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const q = encodeURIComponent;

export const careOptions = (patientId: string, signal?: AbortSignal) => getGateway<CareOptions>(`/api/care/options?patient=${q(patientId)}`, signal);
export const careRequests = (patientId: string, signal?: AbortSignal) =>
  getGateway<{ requests: CareRequestView[] }>(`/api/care/requests?patient=${q(patientId)}`, signal).then((b) => b.requests);
export const openSlots = (patientId: string, visitType: string, signal?: AbortSignal) =>
  getGateway<{ slots: OpenSlot[] }>(`/api/care/slots?patient=${q(patientId)}&visitType=${q(visitType)}`, signal).then((b) => b.slots);

/** A fresh key for one intent (16 random bytes, URL-safe). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export type CareAction = 'appointment-requests' | 'bookings' | 'appointment-changes' | 'renewals';

export async function postCareAction<T = { reference: string; status: string }>(action: CareAction, body: unknown, key: string, language: string): Promise<T> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) throw new CareError(401, 'session-expired');
  let response: Response;
  try {
    response = await fetch(`/api/care/${action}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Idempotency-Key': key, 'Accept-Language': language },
      body: JSON.stringify(body),
    });
  } catch {
    throw new CareError(0, 'offline');
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path: `/api/care/${action}` } }));
    throw new CareError(401, 'session-expired');
  }
  const issue = (parsed as { issue?: { details?: { coding?: { system?: string; code?: string }[] }; expression?: string[] }[] } | undefined)?.issue?.[0];
  const code = issue?.details?.coding?.find((c) => c.system === ACTION_ERROR_SYSTEM)?.code;
  throw new CareError(response.status, code ?? (response.status >= 500 ? 'upstream-unavailable' : 'unexpected'), issue?.expression?.[0]);
}

/** The family's private calendar feed: whether one exists; a new URL (the old one stops working); stop it. */
export const calendarFeedExists = (signal?: AbortSignal) => getGateway<{ exists: boolean }>('/api/care/calendar-feed', signal).then((b) => b.exists);

export async function changeCalendarFeed(method: 'POST' | 'DELETE'): Promise<string | undefined> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) throw new CareError(401, 'session-expired');
  let response: Response;
  try {
    response = await fetch('/api/care/calendar-feed', { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-CSRF-Token': csrf } });
  } catch {
    throw new CareError(0, 'offline');
  }
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path: '/api/care/calendar-feed' } }));
    throw new CareError(401, 'session-expired');
  }
  if (!response.ok) throw new CareError(response.status, response.status >= 500 ? 'upstream-unavailable' : 'unexpected');
  return ((await response.json()) as { url?: string }).url;
}
