/** The pure half of bills: balances, what each bills level shows, and the statement PDF. */
import type { ChargeItem, Invoice, PaymentNotice } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { accountView, balanceCents, byGuarantor, statementView } from '../../../gateway/src/billing/billing-view.ts';
import { pdfString, renderPdf } from '../../../gateway/src/billing/pdf.ts';
import { statementLines, statementPdf } from '../../../gateway/src/billing/statement-pdf.ts';

const charge = (id: string, text: string, owed: number): ChargeItem => ({
  resourceType: 'ChargeItem', id, status: 'billed', code: { text }, subject: { reference: 'Patient/p' }, occurrenceDateTime: '2025-03-03', priceOverride: { value: owed, currency: 'USD' },
});
const invoice = (id: string, net: number, lines: string[], status: Invoice['status'] = 'issued'): Invoice => ({
  resourceType: 'Invoice', id, status, date: '2025-05-05', totalNet: { value: net, currency: 'USD' }, subject: { reference: 'Patient/p' },
  lineItem: lines.map((line, index) => ({ sequence: index + 1, chargeItemReference: { reference: `ChargeItem/${line}` }, priceComponent: [{ type: 'base', amount: { value: 100, currency: 'USD' } }] })),
});
const paid = (amount: number, date: string, status = 'paid'): PaymentNotice => ({
  resourceType: 'PaymentNotice', status: 'active', created: date, paymentDate: date, payment: {}, recipient: {}, amount: { value: amount, currency: 'USD' },
  paymentStatus: { coding: [{ code: status }] },
});

describe('balances', () => {
  it('are issued invoices minus paid notices, exactly in cents', () => {
    expect(balanceCents([invoice('a', 0.1, []), invoice('b', 0.2, [])], [])).toBe(30);
    expect(balanceCents([invoice('a', 185, []), invoice('draft', 999, [], 'draft'), invoice('gone', 50, [], 'cancelled')], [paid(50, '2025-05-20'), paid(20, '2025-05-21', 'cleared')])).toBe(13_500);
  });
});

describe('what each level shows', () => {
  const facts = {
    account: { resourceType: 'Account' as const, id: 'acct', status: 'active' as const, name: 'Isabel — patient account', partOf: { identifier: { value: 'G1' }, display: 'Guarantor G1' } },
    patientId: 'p', patientName: 'Isabel Rivera',
    invoices: [invoice('inv', 95, ['visit', 'naat'])],
    visibleChargeItems: new Map([['ChargeItem/visit', charge('visit', 'Office visit', 35)], ['ChargeItem/naat', charge('naat', 'Chlamydia trachomatis NAA', 60)]]),
    payments: [paid(10, '2025-05-20')],
  };

  it('"full": statements with their lines and the payment history', () => {
    const view = accountView({ ...facts, level: 'full' });
    expect(view.balanceCents).toBe(8_500);
    expect(view.statements?.[0]?.lines?.map((l) => [l.description, l.owedCents])).toEqual([['Office visit', 3_500], ['Chlamydia trachomatis NAA', 6_000]]);
    expect(view.payments).toEqual([{ date: '2025-05-20', amountCents: 1_000, status: 'paid' }]);
  });

  it('"full" with one line the reader may not see: the statement shows no lines at all', () => {
    const view = statementView(facts.invoices[0] as Invoice, new Map([['ChargeItem/visit', charge('visit', 'Office visit', 35)]]));
    expect(view.lines).toBeUndefined();
    expect(view.owedCents).toBe(9_500);
  });

  it('"balance-only": the balance and payments, no statement, no line, in the view and in the PDF', () => {
    const view = accountView({ ...facts, level: 'balance-only' });
    expect(view.statements).toBeUndefined();
    expect(JSON.stringify(view)).not.toMatch(/Chlamydia|Office visit/);
    const pdf = Buffer.from(statementPdf(view, 'en')).toString('latin1');
    expect(pdf).toContain('$85.00');
    expect(pdf).not.toMatch(/Chlamydia|Office visit/);
    expect(statementLines(view, 'es').map((l) => l.text)).toContain('Para esta cuenta solo se muestra el saldo.');
  });

  it('groups accounts under their guarantor account with its total', () => {
    const a = accountView({ ...facts, level: 'full' });
    const b = accountView({ ...facts, account: { ...facts.account, id: 'other' }, level: 'balance-only' });
    const lone = accountView({ ...facts, account: { resourceType: 'Account', id: 'lone', status: 'active' }, level: 'full' });
    expect(byGuarantor([a, b, lone]).map((g) => [g.number, g.balanceCents, g.accounts.length])).toEqual([['G1', 17_000, 2], [undefined, 8_500, 1]]);
  });
});

describe('the PDF writer', () => {
  it('writes a well-formed PDF whose cross-reference offsets point at its objects', () => {
    const bytes = renderPdf({ title: 'T', lines: Array.from({ length: 120 }, (_, i) => ({ text: `Line ${i} (with parens) and a \\ backslash`, right: '$1.00' })) });
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, index) => expect(text.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true));
    expect(/\/Count (\d+)/.exec(text)?.[1]).toBe('3'); // 120 lines break over three Letter pages
    expect(text).toContain('(Line 7 \\(with parens\\) and a \\\\ backslash) Tj');
  });

  it('prints Spanish in WinAnsiEncoding and replaces what it cannot print', () => {
    expect(pdfString('¿Saldo? año — €')).toBe('\\277Saldo? a\\361o \\227 \\200');
    expect(pdfString('漢')).toBe('?');
  });
});
