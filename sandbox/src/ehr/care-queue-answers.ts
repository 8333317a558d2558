/**
 * What the clinician's answers to the families' care requests write, as an EHR would: book or decline a requested
 * appointment, carry out or decline a reschedule/cancel request, approve a renewal with a new MedicationRequest or
 * decline it. Every change is a versioned update of what the clinician saw (a 412 means someone answered first).
 */
import type { Appointment, MedicationRequest, Reference, Slot, Task } from 'fhir/r4';
import type { SandboxAccount } from '../auth/accounts.ts';
import { EhrFhirError, type EhrFhir } from './ehr-fhir.ts';

export const CARE_REQUEST_SYSTEM = 'urn:sprout:care-request';

const versioned = (resource: { meta?: { versionId?: string } }) => (resource.meta?.versionId === undefined ? {} : { ifMatch: `W/"${resource.meta.versionId}"` });

export const careCode = (task: Task): string | undefined => task.code?.coding?.find((k) => k.system === CARE_REQUEST_SYSTEM)?.code;

async function mustRead<T extends Appointment | Task | MedicationRequest | Slot>(fhir: EhrFhir, reference: string): Promise<T> {
  const resource = await fhir.read<T>(reference);
  if (resource === undefined) throw new EhrFhirError(404, `${reference} no longer exists`);
  return resource;
}

/** An ISO date-time with a zone, in the future; else an error the page shows. */
export function parseStart(value: string, now = Date.now()): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) throw new EhrFhirError(400, 'Give the start as a date-time with a zone, e.g. 2026-12-10T17:00:00Z.');
  const start = Date.parse(value.trim());
  if (!Number.isFinite(start) || start <= now) throw new EhrFhirError(400, 'The start must be in the future.');
  return start;
}

export async function bookRequestedAppointment(fhir: EhrFhir, practitioner: SandboxAccount, id: string, startText: string, minutesText: string): Promise<Appointment> {
  const appointment = await mustRead<Appointment>(fhir, `Appointment/${id}`);
  if (appointment.status !== 'proposed') throw new EhrFhirError(409, 'This request was already answered.');
  const start = parseStart(startText);
  const minutes = Math.min(240, Math.max(5, Number.parseInt(minutesText, 10) || 30));
  const participant = (appointment.participant ?? []).map((p) => ({ ...p, status: 'accepted' as const }));
  if (!participant.some((p) => p.actor?.reference === practitioner.accountId)) {
    participant.push({ actor: { reference: practitioner.accountId }, status: 'accepted', required: 'required' });
  }
  return fhir.update<Appointment>({
    ...appointment,
    status: 'booked',
    start: new Date(start).toISOString(),
    end: new Date(start + minutes * 60_000).toISOString(),
    minutesDuration: minutes,
    participant,
  }, versioned(appointment));
}

export async function declineRequestedAppointment(fhir: EhrFhir, id: string, reason: string): Promise<Appointment> {
  const appointment = await mustRead<Appointment>(fhir, `Appointment/${id}`);
  if (appointment.status !== 'proposed') throw new EhrFhirError(409, 'This request was already answered.');
  return fhir.update<Appointment>({
    ...appointment,
    status: 'cancelled',
    cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'prov' }], text: requireReason(reason) },
    participant: (appointment.participant ?? []).map((p) => (p.status === 'needs-action' ? { ...p, status: 'declined' as const } : p)),
  }, versioned(appointment));
}

function requireReason(reason: string): string {
  const text = reason.trim();
  if (text === '') throw new EhrFhirError(400, 'Say why, in words the family will read.');
  return text.slice(0, 1000);
}

async function finishTask(fhir: EhrFhir, task: Task, practitioner: SandboxAccount, output?: Reference): Promise<Task> {
  return fhir.update<Task>({
    ...task,
    status: 'completed',
    owner: { reference: practitioner.accountId },
    lastModified: new Date().toISOString(),
    ...(output === undefined ? {} : { output: [{ type: { text: 'result' }, valueReference: output }] }),
  }, versioned(task));
}

/** Carries out a request: cancel or move the appointment, or approve the renewal with a new order. */
export async function acceptTask(fhir: EhrFhir, practitioner: SandboxAccount, id: string, form: { start: string; minutes: string; repeats: string }): Promise<Task> {
  const task = await mustRead<Task>(fhir, `Task/${id}`);
  if (task.status !== 'requested') throw new EhrFhirError(409, 'This request was already answered.');
  const kind = careCode(task);
  if (kind === 'cancel' || kind === 'reschedule') {
    const appointment = await mustRead<Appointment>(fhir, task.focus?.reference ?? '');
    if (kind === 'cancel') {
      await fhir.update<Appointment>({ ...appointment, status: 'cancelled', cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat' }], ...(task.description === undefined ? {} : { text: task.description }) } }, versioned(appointment));
      await freeSlots(fhir, appointment);
    } else {
      const start = parseStart(form.start);
      const minutes = appointment.minutesDuration ?? Math.max(5, Math.round((Date.parse(appointment.end ?? '') - Date.parse(appointment.start ?? '')) / 60_000) || 30);
      await fhir.update<Appointment>({ ...appointment, start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() }, versioned(appointment));
    }
    return finishTask(fhir, task, practitioner, { reference: task.focus?.reference ?? '' });
  }
  if (kind === 'renewal') {
    const proposal = await mustRead<MedicationRequest>(fhir, task.focus?.reference ?? '');
    const original = await mustRead<MedicationRequest>(fhir, proposal.basedOn?.[0]?.reference ?? '');
    const repeats = Math.min(11, Math.max(0, Number.parseInt(form.repeats, 10) || 0));
    const now = new Date();
    const order = await fhir.create<MedicationRequest>({
      resourceType: 'MedicationRequest',
      ...(proposal.meta?.security === undefined ? {} : { meta: { security: proposal.meta.security } }),
      status: 'active',
      intent: 'order',
      ...(original.category === undefined ? {} : { category: original.category }),
      ...(original.medicationCodeableConcept === undefined ? {} : { medicationCodeableConcept: original.medicationCodeableConcept }),
      ...(original.medicationReference === undefined ? {} : { medicationReference: original.medicationReference }),
      subject: original.subject,
      authoredOn: now.toISOString(),
      requester: { reference: practitioner.accountId },
      basedOn: [{ reference: `MedicationRequest/${proposal.id ?? ''}` }],
      priorPrescription: { reference: `MedicationRequest/${original.id ?? ''}` },
      ...(original.reasonCode === undefined ? {} : { reasonCode: original.reasonCode }),
      ...(original.dosageInstruction === undefined ? {} : { dosageInstruction: original.dosageInstruction }),
      dispenseRequest: {
        ...(original.dispenseRequest ?? {}),
        validityPeriod: { start: now.toISOString().slice(0, 10) },
        numberOfRepeatsAllowed: repeats,
      },
    });
    await fhir.update<MedicationRequest>({ ...proposal, status: 'completed' }, versioned(proposal));
    return finishTask(fhir, task, practitioner, { reference: `MedicationRequest/${order.id ?? ''}` });
  }
  throw new EhrFhirError(400, 'This is not a request from the family portal.');
}

export async function declineTask(fhir: EhrFhir, practitioner: SandboxAccount, id: string, reason: string): Promise<Task> {
  const task = await mustRead<Task>(fhir, `Task/${id}`);
  if (task.status !== 'requested') throw new EhrFhirError(409, 'This request was already answered.');
  const text = requireReason(reason);
  if (careCode(task) === 'renewal') {
    const proposal = await fhir.read<MedicationRequest>(task.focus?.reference ?? '');
    if (proposal !== undefined && proposal.status === 'active') await fhir.update<MedicationRequest>({ ...proposal, status: 'cancelled' }, versioned(proposal));
  }
  return fhir.update<Task>({ ...task, status: 'rejected', statusReason: { text }, owner: { reference: practitioner.accountId }, lastModified: new Date().toISOString() }, versioned(task));
}

async function freeSlots(fhir: EhrFhir, appointment: Appointment): Promise<void> {
  for (const ref of appointment.slot ?? []) {
    const slot = await fhir.read<Slot>(ref.reference ?? '');
    if (slot !== undefined && slot.status === 'busy') await fhir.update<Slot>({ ...slot, status: 'free', identifier: [] }, versioned(slot));
  }
}
