/**
 * The app's side of /api/records (records sent to another physician over Direct) and /api/him (complete copies):
 * reads, and the two actions with the CSRF header and one Idempotency-Key per intent. Failures become SharingError
 * with the gateway's stable code (and the field it is about); the page shows its own localized sentence.
 */
import { currentCsrfToken, getGateway, SESSION_EXPIRED_EVENT } from '../api/gateway-client.ts';

const ACTION_ERROR_SYSTEM = 'urn:sprout:action-error';

export interface SentRecord { readonly transfer: string; readonly patientId: string; readonly sent?: string; readonly to: string; readonly documents: readonly string[]; readonly status: string }
export interface CopyRequest { readonly id: string; readonly patientId: string; readonly status: string; readonly requested?: string; readonly format?: string; readonly from?: string; readonly to?: string; readonly note?: string }
export interface HimView { readonly himPhone?: string; readonly children: readonly { patientId: string; name: string; requests: readonly CopyRequest[] }[] }

export class SharingError extends Error {
  override readonly name = 'SharingError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, field?: string) {
    super(`sharing action failed: ${code} (${status})`);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const fetchSent = (signal?: AbortSignal) => getGateway<{ sent: SentRecord[] }>('/api/records/sent', signal).then((b) => b.sent);
export const fetchHim = (signal?: AbortSignal) => getGateway<HimView>('/api/him/copy-requests', signal);

export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function postSharing<T>(path: '/api/records/send' | '/api/him/copy-requests', body: unknown, key: string, language: string): Promise<T> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) throw new SharingError(401, 'session-expired');
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Idempotency-Key': key, 'Accept-Language': language },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SharingError(0, 'offline');
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (response.ok) return parsed as T;
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path } }));
    throw new SharingError(401, 'session-expired');
  }
  const issue = (parsed as { issue?: { details?: { coding?: { system?: string; code?: string }[] }; expression?: string[] }[] } | undefined)?.issue?.[0];
  const code = issue?.details?.coding?.find((c) => c.system === ACTION_ERROR_SYSTEM)?.code;
  throw new SharingError(response.status, code ?? (response.status >= 500 ? 'upstream-unavailable' : 'unexpected'), issue?.expression?.[0]);
}
