/**
 * Prescription renewals, pure: which prescriptions may be renewed (refills used up, or the prescription expired),
 * which need a visit instead (controlled substances, when the profile says so), and the resources a request is —
 * a `MedicationRequest` with intent proposal, basedOn the original, plus a `Task` for the prescriber.
 */
import type { CodeableConcept, Identifier, MedicationDispense, MedicationRequest, Meta, Reference, Task } from 'fhir/r4';
import { z } from 'zod';
import { CARE_ERRORS } from './care-errors.ts';
import { CARE_REQUEST_SYSTEM } from './care-fhir.ts';

/** A prescription is good for a year from when it was written unless it says otherwise (Cal. B&P 4063 practice). */
const DEFAULT_VALIDITY_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Controlled-substance ingredients (DEA schedules II–V) a pediatric portal meets: stimulants, opioids,
 * benzodiazepines, and a few others. Matched as words in the medicine's names.
 */
const CONTROLLED_INGREDIENTS = [
  'methylphenidate', 'dexmethylphenidate', 'amphetamine', 'dextroamphetamine', 'lisdexamfetamine', 'methamphetamine',
  'oxycodone', 'hydrocodone', 'codeine', 'morphine', 'hydromorphone', 'fentanyl', 'methadone', 'buprenorphine', 'tramadol', 'tapentadol',
  'alprazolam', 'lorazepam', 'clonazepam', 'diazepam', 'midazolam', 'clobazam', 'chlordiazepoxide', 'temazepam',
  'phenobarbital', 'pregabalin', 'lacosamide', 'zolpidem', 'modafinil', 'armodafinil', 'testosterone', 'dronabinol', 'cannabidiol',
];
/** RxNorm's DEA schedule lives outside the code; a hospital's own marking may come as this category. */
const CONTROLLED_CATEGORY = { system: 'urn:sprout:medication-class', code: 'controlled-substance' };

const conceptNames = (concept: CodeableConcept | undefined): string[] =>
  [concept?.text, ...(concept?.coding ?? []).map((c) => c.display)].filter((n): n is string => typeof n === 'string');

export function isControlledSubstance(request: MedicationRequest): boolean {
  if ((request.category ?? []).some((c) => (c.coding ?? []).some((k) => k.system === CONTROLLED_CATEGORY.system && k.code === CONTROLLED_CATEGORY.code))) return true;
  const names = conceptNames(request.medicationCodeableConcept).join(' ').toLowerCase();
  return CONTROLLED_INGREDIENTS.some((ingredient) => new RegExp(`\\b${ingredient}\\b`).test(names));
}

export type Renewability =
  | { readonly renewable: true; readonly because: 'refills-used' | 'expired' }
  | { readonly renewable: false; readonly because: 'not-an-order' | 'still-has-refills' | 'needs-visit' };

/** Refills left: numberOfRepeatsAllowed minus fills after the first (fhir-mappings' reading). */
export function refillsLeft(request: MedicationRequest, dispenses: readonly MedicationDispense[]): number | undefined {
  const allowed = request.dispenseRequest?.numberOfRepeatsAllowed;
  if (allowed === undefined) return undefined;
  const fills = dispenses.filter((d) => d.status === 'completed').length;
  return Math.max(0, allowed - Math.max(0, fills - 1));
}

export function prescriptionExpiry(request: MedicationRequest): number | undefined {
  const end = request.dispenseRequest?.validityPeriod?.end;
  if (end !== undefined) return Date.parse(end);
  const start = request.dispenseRequest?.validityPeriod?.start ?? request.authoredOn;
  return start === undefined ? undefined : Date.parse(start) + DEFAULT_VALIDITY_DAYS * DAY_MS;
}

export function renewability(request: MedicationRequest, dispenses: readonly MedicationDispense[], now: number, controlled: 'visit-required' | 'request'): Renewability {
  const isOrder = request.intent === 'order' || request.intent === 'original-order' || request.intent === 'instance-order';
  if (!isOrder || !(request.status === 'active' || request.status === 'completed')) return { renewable: false, because: 'not-an-order' };
  const expiry = prescriptionExpiry(request);
  const expired = expiry !== undefined && Number.isFinite(expiry) && expiry <= now;
  const left = refillsLeft(request, dispenses);
  // A prescription written for no repeats is used up once it was filled (or once its supply ran out: completed).
  const used = left === 0 && (request.dispenseRequest?.numberOfRepeatsAllowed !== 0 || dispenses.some((d) => d.status === 'completed') || request.status === 'completed' || supplyRanOut(request, now));
  if (!expired && !used) return { renewable: false, because: 'still-has-refills' };
  if (controlled === 'visit-required' && isControlledSubstance(request)) return { renewable: false, because: 'needs-visit' };
  return { renewable: true, because: expired ? 'expired' : 'refills-used' };
}

/** The first fill's expected supply has run out (for no-repeat prescriptions without dispense records). */
function supplyRanOut(request: MedicationRequest, now: number): boolean {
  const start = Date.parse(request.dispenseRequest?.validityPeriod?.start ?? request.authoredOn ?? '');
  const days = request.dispenseRequest?.expectedSupplyDuration?.value;
  return Number.isFinite(start) && days !== undefined && start + days * DAY_MS <= now;
}

export function throwUnlessRenewable(verdict: Renewability): void {
  if (verdict.renewable) return;
  throw verdict.because === 'needs-visit' ? CARE_ERRORS.renewalNeedsVisit() : CARE_ERRORS.notRenewable();
}

const id = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);
export const RenewalInput = z
  .object({
    patientId: id,
    medicationRequestId: id,
    /** "Enough for 90 days", in the family's words. */
    quantityNote: z.string().trim().max(300).default(''),
    /** A pharmacy on file (Organization id) or the family's words. */
    pharmacy: z.string().trim().max(200).default(''),
  })
  .strict();
export type RenewalInput = z.infer<typeof RenewalInput>;

export function parseRenewal(body: unknown): RenewalInput {
  const parsed = RenewalInput.safeParse(body);
  if (!parsed.success) throw CARE_ERRORS.invalid(String(parsed.error.issues[0]?.path.join('.') ?? ''));
  return parsed.data;
}

export function buildRenewalProposal(options: {
  readonly original: MedicationRequest;
  readonly input: RenewalInput;
  readonly identifier: Identifier;
  readonly requester: Reference;
  readonly meta: Meta | undefined;
  readonly now: number;
}): MedicationRequest {
  const { original, input } = options;
  const notes = [input.quantityNote === '' ? undefined : `Quantity: ${input.quantityNote}`, input.pharmacy === '' ? undefined : `Pharmacy: ${input.pharmacy}`]
    .filter((n): n is string => n !== undefined);
  return {
    resourceType: 'MedicationRequest',
    ...(options.meta === undefined ? {} : { meta: options.meta }),
    identifier: [options.identifier],
    status: 'active',
    intent: 'proposal',
    ...(original.medicationCodeableConcept === undefined ? {} : { medicationCodeableConcept: original.medicationCodeableConcept }),
    ...(original.medicationReference === undefined ? {} : { medicationReference: original.medicationReference }),
    subject: { reference: `Patient/${input.patientId}` },
    authoredOn: new Date(options.now).toISOString(),
    requester: options.requester,
    ...(original.requester === undefined ? {} : { performer: original.requester }),
    basedOn: [{ reference: `MedicationRequest/${original.id ?? ''}` }],
    ...(original.dosageInstruction === undefined ? {} : { dosageInstruction: original.dosageInstruction }),
    ...(notes.length === 0 ? {} : { note: notes.map((text) => ({ text })) }),
  };
}

export function buildRenewalTask(options: {
  readonly proposal: MedicationRequest;
  readonly original: MedicationRequest;
  readonly identifier: Identifier;
  readonly requester: Reference;
  readonly meta: Meta | undefined;
  readonly now: number;
}): Task {
  return {
    resourceType: 'Task',
    ...(options.meta === undefined ? {} : { meta: options.meta }),
    identifier: [options.identifier],
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: CARE_REQUEST_SYSTEM, code: 'renewal' }] },
    focus: { reference: `MedicationRequest/${options.proposal.id ?? ''}` },
    for: options.proposal.subject,
    authoredOn: new Date(options.now).toISOString(),
    requester: options.requester,
    ...(options.original.requester === undefined ? {} : { owner: options.original.requester }),
    reasonReference: { reference: `MedicationRequest/${options.original.id ?? ''}` },
  };
}
