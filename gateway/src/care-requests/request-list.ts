/**
 * The family's "Requests" list, pure: from the Appointments, Tasks and renewal proposals the policy let through,
 * one entry per request with where it stands — sent, booked (with the real time), declined (with the clinic's
 * reason), done. Only what Sprout wrote counts (its care-request codes), never the EHR's own work items.
 */
import type { Appointment, MedicationRequest, Task } from 'fhir/r4';
import { CARE_REQUEST_SYSTEM } from './care-fhir.ts';

export type RequestState = 'sent' | 'booked' | 'approved' | 'declined' | 'cancelled' | 'done';

export interface RequestView {
  readonly reference: string;
  readonly kind: 'appointment' | 'booking' | 'cancel' | 'reschedule' | 'renewal';
  readonly state: RequestState;
  /** When it was asked. */
  readonly created: string | undefined;
  /** The booked start (appointments), when known. */
  readonly start?: string;
  /** The clinic's answer in its words (a decline reason). */
  readonly answer?: string;
  /** What it is about: the appointment or the medication ("MedicationRequest/…"). */
  readonly about?: string;
  /** The medicine's name, for renewals. */
  readonly medication?: string;
}

const careCode = (concepts: readonly { coding?: readonly { system?: string; code?: string }[] }[] | undefined): string | undefined =>
  (concepts ?? []).flatMap((c) => c.coding ?? []).find((k) => k.system === CARE_REQUEST_SYSTEM)?.code;

function appointmentView(a: Appointment): RequestView | undefined {
  const code = careCode(a.serviceCategory);
  if (code !== 'appointment-request' && code !== 'self-scheduled') return undefined;
  const state: RequestState = a.status === 'proposed' || a.status === 'pending' ? 'sent'
    : a.status === 'booked' || a.status === 'arrived' || a.status === 'checked-in' ? 'booked'
      : a.status === 'fulfilled' ? 'done'
        : a.status === 'cancelled' && (a.start === undefined || code === 'appointment-request' && a.cancelationReason?.coding?.[0]?.code !== 'pat') ? 'declined' : 'cancelled';
  return {
    reference: `Appointment/${a.id ?? ''}`,
    kind: code === 'self-scheduled' ? 'booking' : 'appointment',
    state,
    created: a.created,
    ...(a.start === undefined ? {} : { start: a.start }),
    ...(state === 'declined' && a.cancelationReason?.text !== undefined ? { answer: a.cancelationReason.text } : {}),
  };
}

function taskState(t: Task): RequestState {
  switch (t.status) {
    case 'completed':
      return careCode(t.code === undefined ? [] : [t.code]) === 'renewal' ? 'approved' : 'done';
    case 'rejected':
    case 'failed':
      return 'declined';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'sent';
  }
}

function taskView(t: Task, proposals: ReadonlyMap<string, MedicationRequest>): RequestView | undefined {
  const code = careCode(t.code === undefined ? [] : [t.code]);
  if (code !== 'cancel' && code !== 'reschedule' && code !== 'renewal') return undefined;
  const state = taskState(t);
  const focus = t.focus?.reference;
  const proposal = focus === undefined ? undefined : proposals.get(focus);
  const medication = proposal?.medicationCodeableConcept?.text ?? proposal?.medicationCodeableConcept?.coding?.[0]?.display;
  return {
    reference: `Task/${t.id ?? ''}`,
    kind: code,
    state,
    created: t.authoredOn,
    ...(state === 'declined' && t.statusReason?.text !== undefined ? { answer: t.statusReason.text } : {}),
    ...(code === 'renewal' ? (t.reasonReference?.reference === undefined ? {} : { about: t.reasonReference.reference }) : focus === undefined ? {} : { about: focus }),
    ...(medication === undefined ? {} : { medication }),
  };
}

/** Requests, newest first. A renewal task without its (visible) proposal is left out. */
export function requestViews(appointments: readonly Appointment[], tasks: readonly Task[], proposals: readonly MedicationRequest[]): RequestView[] {
  const byRef = new Map(proposals.map((p) => [`MedicationRequest/${p.id ?? ''}`, p]));
  const views = [
    ...appointments.map(appointmentView),
    ...tasks.filter((t) => careCode(t.code === undefined ? [] : [t.code]) !== 'renewal' || byRef.has(t.focus?.reference ?? '')).map((t) => taskView(t, byRef)),
  ].filter((v): v is RequestView => v !== undefined);
  return views.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
}
