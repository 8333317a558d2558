/**
 * The app's side of /api/billing (gateway/src/billing): the family's bills, and the two payment actions, which carry
 * the CSRF header and an Idempotency-Key made once per intent (a retry of the same confirmation re-sends the same
 * key). Failures become BillingError with the gateway's stable code; the page picks its own localized sentence.
 */
import { currentCsrfToken, getGateway, SESSION_EXPIRED_EVENT } from '../api/gateway-client.ts';

const ACTION_ERROR_SYSTEM = 'urn:sprout:action-error';

export interface BillLine { readonly date?: string; readonly description: string; readonly chargedCents: number; readonly owedCents: number }
export interface Statement { readonly id: string; readonly number?: string; readonly date?: string; readonly owedCents: number; readonly lines?: readonly BillLine[] }
export interface Payment { readonly date?: string; readonly amountCents: number; readonly status: string }
export interface Account {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly name: string;
  readonly level: 'full' | 'balance-only';
  readonly currency: string;
  readonly balanceCents: number;
  readonly statements?: readonly Statement[];
  readonly payments: readonly Payment[];
}
export interface Guarantor { readonly number?: string; readonly display?: string; readonly balanceCents: number; readonly accounts: readonly Account[] }
export interface Bills { readonly canPay: boolean; readonly guarantors: readonly Guarantor[] }

export class BillingError extends Error {
  override readonly name = 'BillingError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string) {
    super(`billing action failed: ${code} (${status})`);
    this.status = status;
    this.code = code;
  }
}

export const fetchBills = (signal?: AbortSignal) => getGateway<Bills>('/api/billing', signal);

export const statementUrl = (accountId: string, language: string) => `/api/billing/accounts/${encodeURIComponent(accountId)}/statement.pdf?lang=${language === 'es' ? 'es' : 'en'}`;

export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function postBilling<T>(path: 'payments' | 'payments/complete', body: unknown, key: string, language: string): Promise<T> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) throw new BillingError(401, 'session-expired');
  let response: Response;
  try {
    response = await fetch(`/api/billing/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Idempotency-Key': key, 'Accept-Language': language },
      body: JSON.stringify(body),
    });
  } catch {
    throw new BillingError(0, 'offline');
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (response.ok) return parsed as T;
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path: `/api/billing/${path}` } }));
    throw new BillingError(401, 'session-expired');
  }
  const issue = (parsed as { issue?: { details?: { coding?: { system?: string; code?: string }[] } }[] } | undefined)?.issue?.[0];
  const code = issue?.details?.coding?.find((c) => c.system === ACTION_ERROR_SYSTEM)?.code;
  throw new BillingError(response.status, code ?? (response.status >= 500 ? 'upstream-unavailable' : 'unexpected'));
}

/** Dollars typed by a person ("25", "25.5", "$1,025.50") as cents; undefined when it is not an amount. */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
