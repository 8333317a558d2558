/**
 * Reads a family's bills through the session's upstream. Every Account is judged by the request's policy before it
 * is used (a hidden Account reads as absent); Invoices are read only to total the balance, and their lines reach the
 * reader only with bills "full", only through ChargeItems the policy shows. PaymentNotices carry no clinical content
 * (an amount, a date, a status) and are read for accounts already judged visible.
 */
import type { Account, ChargeItem, Invoice, PaymentNotice } from 'fhir/r4';
import type { PatientAccess } from '../access/load-access.ts';
import { loadFamilyAccess } from '../access/load-access.ts';
import { searchAll } from '../care-requests/care-reads.ts';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import { decideResource, type HospitalProfile } from '../policy/index.ts';
import type { Principal } from '../policy/types.ts';
import { accountView, type AccountView, type BillsLevel } from './billing-view.ts';

function patientName(access: PatientAccess): string {
  const name = access.patient.name?.[0];
  return [name?.given?.join(' '), name?.family].filter((part) => part !== undefined && part !== '').join(' ') || (access.patient.id ?? '');
}

/** The bills level for this patient, or undefined when bills are off. */
export function billsLevelOf(access: PatientAccess): BillsLevel | undefined {
  const level = access.decision.features.bills;
  return level === 'none' ? undefined : level;
}

async function visibleChargeItems(policy: RequestPolicy, invoices: readonly Invoice[], patient: string): Promise<Map<string, ChargeItem>> {
  const visible = new Map<string, ChargeItem>();
  for (const invoice of invoices) {
    const shownInvoice = await policy.judge(invoice);
    if (!shownInvoice.show || shownInvoice.patient !== patient) continue;
    for (const item of invoice.lineItem ?? []) {
      const reference = item.chargeItemReference?.reference;
      if (reference === undefined || !/^ChargeItem\/[A-Za-z0-9.-]{1,64}$/.test(reference)) continue;
      const charge = await policy.fetchReference(reference);
      if (charge?.resourceType !== 'ChargeItem') continue;
      const judgement = await policy.judge(charge);
      if (judgement.show && judgement.patient === patient) visible.set(reference, charge as ChargeItem);
    }
  }
  return visible;
}

/**
 * Whether the reader may see this Account. The facade's request policy hides everything of a patient whose record
 * access is "none" before the core is asked; a guardian with only features left (bills "balance-only") still gets
 * the account their bill is on, so for those the policy core decides directly (decideResource: Account is shown
 * only with the bills feature, and nothing an Account points at is followed or shown).
 */
async function accountShown(policy: RequestPolicy, profile: HospitalProfile, access: PatientAccess, account: Account, patient: string): Promise<boolean> {
  if (access.decision.level !== 'none') {
    const judgement = await policy.judge(account);
    return judgement.show && judgement.patient === patient;
  }
  const subjects = account.subject ?? [];
  if (subjects.length !== 1 || subjects[0]?.reference !== patient) return false;
  return decideResource(access.decision, account, () => undefined, profile, access.patient).effect === 'show';
}

/** The patient's visible accounts, each as the reader may see it. */
export async function readPatientBills(upstream: FhirUpstream, policy: RequestPolicy, profile: HospitalProfile, access: PatientAccess): Promise<AccountView[]> {
  const level = billsLevelOf(access);
  const patientId = access.patient.id;
  if (level === undefined || patientId === undefined) return [];
  const patient = `Patient/${patientId}`;
  const accounts = await searchAll<Account>(upstream, `Account?subject=${encodeURIComponent(patient)}&_count=50`);
  const views: AccountView[] = [];
  for (const account of accounts) {
    if (account.id === undefined || !(await accountShown(policy, profile, access, account, patient))) continue;
    const reference = `Account/${account.id}`;
    const invoices = (await searchAll<Invoice>(upstream, `Invoice?account=${encodeURIComponent(reference)}&_count=100`))
      .filter((invoice) => invoice.subject?.reference === patient && invoice.account?.reference === reference);
    const payments = (await searchAll<PaymentNotice>(upstream, `PaymentNotice?request=${encodeURIComponent(reference)}&_count=100`))
      .filter((notice) => notice.request?.reference === reference);
    const visible = level === 'full' ? await visibleChargeItems(policy, invoices, patient) : new Map<string, ChargeItem>();
    views.push(accountView({ account, patientId, patientName: patientName(access), level, invoices, visibleChargeItems: visible, payments }));
  }
  return views;
}

/** Every account of every family member whose bills this person may see. */
export async function readFamilyBills(options: {
  readonly upstream: FhirUpstream;
  readonly policy: RequestPolicy;
  readonly principal: Principal;
  readonly profile: HospitalProfile;
  readonly asOf: Date;
}): Promise<AccountView[]> {
  const family = await loadFamilyAccess(options.upstream, options.principal, { profile: options.profile, asOf: options.asOf });
  const views: AccountView[] = [];
  for (const member of family.patients) {
    if (billsLevelOf(member) === undefined || member.patient.id === undefined) continue;
    // The policy's own decision for the patient (the same facts; cached per request) decides what is shown.
    const access = await options.policy.accessFor(member.patient.id);
    if (access !== undefined) views.push(...(await readPatientBills(options.upstream, options.policy, options.profile, access)));
  }
  return views;
}
