/**
 * What a family sees of a bill, computed purely from what the EHR gave and what the policy decided. R4 Account has no
 * balance, so the balance is the issued Invoices' totalNet minus the payments recorded against the account
 * (PaymentNotice.amount with payment status "paid"). Amounts are kept in cents (integers) so sums are exact.
 *
 * Policy (the profile's `bills` feature): "full" shows statements with their line items — except that a statement
 * with any line the reader may not see shows no lines at all (a missing line would itself say something); "balance-only"
 * shows the balance and payments and never a statement or a line; "none" shows nothing (the caller never builds one).
 */
import type { Account, ChargeItem, Invoice, PaymentNotice } from 'fhir/r4';

export type BillsLevel = 'full' | 'balance-only';

export interface BillLineView {
  readonly date: string | undefined;
  readonly description: string;
  readonly chargedCents: number;
  readonly owedCents: number;
}

export interface StatementView {
  readonly id: string;
  readonly number: string | undefined;
  readonly date: string | undefined;
  readonly owedCents: number;
  /** Undefined when the lines are withheld (some line is not the reader's to see). */
  readonly lines: readonly BillLineView[] | undefined;
}

export interface PaymentView {
  readonly date: string | undefined;
  readonly amountCents: number;
  readonly status: string;
}

export interface AccountView {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly name: string;
  /** The guarantor account the patient account belongs to (number and display), when the EHR names one. */
  readonly guarantor: { readonly number: string | undefined; readonly display: string | undefined };
  readonly level: BillsLevel;
  readonly currency: string;
  readonly balanceCents: number;
  /** Only with level "full". */
  readonly statements: readonly StatementView[] | undefined;
  readonly payments: readonly PaymentView[];
}

export interface AccountFacts {
  readonly account: Account;
  readonly patientId: string;
  readonly patientName: string;
  readonly level: BillsLevel;
  readonly invoices: readonly Invoice[];
  /** ChargeItems the policy shows to this reader, by "ChargeItem/<id>". Anything absent is withheld. */
  readonly visibleChargeItems: ReadonlyMap<string, ChargeItem>;
  readonly payments: readonly PaymentNotice[];
}

export function toCents(value: number | undefined): number {
  return value === undefined || !Number.isFinite(value) ? 0 : Math.round(value * 100);
}

const PAID = 'paid';
function paymentStatusOf(notice: PaymentNotice): string {
  return notice.paymentStatus?.coding?.find((c) => c.code !== undefined)?.code ?? 'unknown';
}

export function balanceCents(invoices: readonly Invoice[], payments: readonly PaymentNotice[]): number {
  const owed = invoices.filter((i) => i.status === 'issued').reduce((sum, i) => sum + toCents(i.totalNet?.value), 0);
  const paid = payments.filter((p) => p.status === 'active' && paymentStatusOf(p) === PAID).reduce((sum, p) => sum + toCents(p.amount.value), 0);
  return owed - paid;
}

function lineOf(invoice: Invoice, item: NonNullable<Invoice['lineItem']>[number], visible: ReadonlyMap<string, ChargeItem>): BillLineView | undefined {
  const reference = item.chargeItemReference?.reference;
  const charge = reference === undefined ? undefined : visible.get(reference);
  if (charge === undefined) return undefined;
  const base = item.priceComponent?.filter((p) => p.type === 'base').reduce((sum, p) => sum + toCents(p.amount?.value), 0) ?? 0;
  const deductions = item.priceComponent?.filter((p) => p.type === 'deduction' || p.type === 'discount').reduce((sum, p) => sum + toCents(p.amount?.value), 0) ?? 0;
  return {
    date: (charge.occurrenceDateTime ?? invoice.date)?.slice(0, 10),
    description: charge.code.text ?? charge.code.coding?.find((c) => c.display)?.display ?? '',
    chargedCents: base,
    owedCents: charge.priceOverride ? toCents(charge.priceOverride.value) : base - deductions,
  };
}

export function statementView(invoice: Invoice, visible: ReadonlyMap<string, ChargeItem>): StatementView {
  const items = invoice.lineItem ?? [];
  const lines = items.map((item) => lineOf(invoice, item, visible));
  const complete = lines.every((line): line is BillLineView => line !== undefined);
  return {
    id: invoice.id ?? '',
    number: invoice.identifier?.find((i) => i.value)?.value,
    date: invoice.date?.slice(0, 10),
    owedCents: toCents(invoice.totalNet?.value),
    lines: complete ? lines : undefined,
  };
}

export function accountView(facts: AccountFacts): AccountView {
  const { account } = facts;
  const issued = facts.invoices.filter((i) => i.status === 'issued' || i.status === 'balanced');
  const payments = [...facts.payments]
    .filter((p) => p.status === 'active')
    .sort((a, b) => (b.paymentDate ?? b.created).localeCompare(a.paymentDate ?? a.created))
    .map((p): PaymentView => ({ date: (p.paymentDate ?? p.created).slice(0, 10), amountCents: toCents(p.amount.value), status: paymentStatusOf(p) }));
  return {
    id: account.id ?? '',
    patientId: facts.patientId,
    patientName: facts.patientName,
    name: account.name ?? '',
    guarantor: { number: account.partOf?.identifier?.value ?? account.partOf?.reference, display: account.partOf?.display },
    level: facts.level,
    currency: facts.invoices.find((i) => i.totalNet?.currency)?.totalNet?.currency ?? 'USD',
    balanceCents: balanceCents(facts.invoices, facts.payments),
    statements: facts.level === 'full'
      ? [...issued].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '')).map((i) => statementView(i, facts.visibleChargeItems))
      : undefined,
    payments,
  };
}

/** Accounts grouped by guarantor account, with each guarantor's total. */
export function byGuarantor(accounts: readonly AccountView[]): { number: string | undefined; display: string | undefined; balanceCents: number; accounts: AccountView[] }[] {
  const groups = new Map<string, { number: string | undefined; display: string | undefined; balanceCents: number; accounts: AccountView[] }>();
  for (const account of accounts) {
    const key = account.guarantor.number ?? `account:${account.id}`;
    const group = groups.get(key) ?? { number: account.guarantor.number, display: account.guarantor.display, balanceCents: 0, accounts: [] };
    group.accounts.push(account);
    group.balanceCents += account.balanceCents;
    groups.set(key, group);
  }
  return [...groups.values()];
}
