/**
 * The checkouts the gateway started and the processor's verified results, kept in the store's sealed drafts table
 * (no new table: docs/actions.md) under a system owner, so they hold across replicas and never sit in the browser.
 * A pending checkout names who started it (fhirUser), for which patient and account, and how much: the return is
 * refused to anyone else, and a webhook whose amount or reference differs is refused.
 */
import type { Store } from '../store/types.ts';

export const PAYMENTS_OWNER = 'urn:sprout:payments';

export interface PendingCheckout {
  readonly checkout: string;
  readonly reference: string;
  readonly subject: string;
  readonly patientId: string;
  readonly accountId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly createdAt: number;
}

export interface CheckoutResult {
  readonly checkout: string;
  readonly status: 'approved' | 'declined' | 'canceled';
  readonly eventId: string;
  readonly receivedAt: number;
}

const CHECKOUT_ID = /^[A-Za-z0-9_-]{8,128}$/;
export const isCheckoutId = (value: unknown): value is string => typeof value === 'string' && CHECKOUT_ID.test(value);

export async function savePending(store: Store, pending: PendingCheckout): Promise<void> {
  await store.drafts.put({ owner: PAYMENTS_OWNER, id: `checkout:${pending.checkout}`, kind: 'payment-checkout', data: pending, updatedAt: pending.createdAt });
}

export async function readPending(store: Store, checkout: string): Promise<PendingCheckout | undefined> {
  const draft = await store.drafts.get(PAYMENTS_OWNER, `checkout:${checkout}`);
  return draft?.kind === 'payment-checkout' ? (draft.data as PendingCheckout) : undefined;
}

export async function saveResult(store: Store, result: CheckoutResult): Promise<void> {
  await store.drafts.put({ owner: PAYMENTS_OWNER, id: `result:${result.checkout}`, kind: 'payment-result', data: result, updatedAt: result.receivedAt });
}

export async function readResult(store: Store, checkout: string): Promise<CheckoutResult | undefined> {
  const draft = await store.drafts.get(PAYMENTS_OWNER, `result:${checkout}`);
  return draft?.kind === 'payment-result' ? (draft.data as CheckoutResult) : undefined;
}
