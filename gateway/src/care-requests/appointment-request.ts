/**
 * Requesting an appointment, pure: the input as the app sends it, and the `Appointment` (status proposed,
 * requestedPeriod, participants needs-action) it becomes. The clinic books it (booked, real start) or declines it
 * (cancelled with a reason) in its work queue.
 */
import type { Appointment, Identifier, Meta, Reference } from 'fhir/r4';
import { z } from 'zod';
import { CARE_ERRORS } from './care-errors.ts';
import { CARE_REQUEST_SYSTEM, checkWindows, COMMON_REASONS, REQUEST_REASON_SYSTEM, type TimeWindow } from './care-fhir.ts';

const id = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);
const careTeamReference = z.string().regex(/^(Practitioner|Location|PractitionerRole|HealthcareService)\/[A-Za-z0-9.-]{1,64}$/);
const window = z.object({ start: z.string().max(40), end: z.string().max(40) }).strict();

export const AppointmentRequestInput = z
  .object({
    patientId: id,
    reason: z.enum(COMMON_REASONS),
    /** Free text in the family's words (required for "other"). */
    details: z.string().trim().max(1000).default(''),
    /** A clinician or department from the patient's care team. */
    with: careTeamReference,
    windows: z.array(window).min(1).max(3),
    phone: z.string().trim().regex(/^[+(]?[0-9][0-9 ().-]{5,23}[0-9]$/),
  })
  .strict();
export type AppointmentRequestInput = z.infer<typeof AppointmentRequestInput>;

/** Validates the body; the first bad field's localized error (nothing is claimed or written yet). */
export function parseAppointmentRequest(body: unknown, now: number, horizonDays: number): AppointmentRequestInput {
  const parsed = AppointmentRequestInput.safeParse(body);
  if (!parsed.success) throw CARE_ERRORS.invalid(String(parsed.error.issues[0]?.path.join('.') ?? ''));
  if (parsed.data.reason === 'other' && parsed.data.details === '') throw CARE_ERRORS.invalid('details');
  checkWindows(parsed.data.windows, now, horizonDays);
  return parsed.data;
}

export function buildAppointmentRequest(options: {
  readonly input: AppointmentRequestInput;
  readonly identifier: Identifier;
  readonly requester: Reference;
  readonly meta: Meta | undefined;
  readonly now: number;
}): Appointment {
  const { input } = options;
  const windows: TimeWindow[] = input.windows.map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() }));
  return {
    resourceType: 'Appointment',
    ...(options.meta === undefined ? {} : { meta: options.meta }),
    identifier: [options.identifier],
    status: 'proposed',
    created: new Date(options.now).toISOString(),
    reasonCode: [{ coding: [{ system: REQUEST_REASON_SYSTEM, code: input.reason }], ...(input.details === '' ? {} : { text: input.details }) }],
    ...(input.details === '' ? {} : { description: input.details }),
    comment: `Contact phone: ${input.phone}`,
    requestedPeriod: windows,
    serviceCategory: [{ coding: [{ system: CARE_REQUEST_SYSTEM, code: 'appointment-request' }] }],
    participant: [
      { actor: { reference: `Patient/${input.patientId}` }, required: 'required', status: 'needs-action' },
      { actor: { reference: input.with }, required: 'required', status: 'needs-action' },
      { actor: options.requester, required: 'information-only', status: 'accepted' },
    ],
  };
}

/** The clinicians and departments a family may ask for: actors of the patient's appointments and encounters seen. */
export function careTeamOf(resources: readonly { resourceType: string; participant?: readonly { actor?: Reference; individual?: Reference }[]; location?: readonly { location?: Reference }[] }[]): string[] {
  const team = new Set<string>();
  for (const resource of resources) {
    for (const p of resource.participant ?? []) {
      for (const ref of [p.actor?.reference, p.individual?.reference]) if (ref !== undefined && /^(Practitioner|Location)\//.test(ref)) team.add(ref);
    }
    for (const l of resource.location ?? []) if (l.location?.reference?.startsWith('Location/')) team.add(l.location.reference);
  }
  return [...team].sort();
}
