/**
 * The care-request actions on the shared write path (docs/actions.md): request an appointment, book an open slot,
 * ask to reschedule or cancel (or cancel directly where the profile allows), and request a prescription renewal.
 * Each writes real FHIR through the session's upstream, conditional on a per-key identifier, and reads nothing it
 * has not judged with the request's policy first.
 */
import type { Appointment, MedicationDispense, MedicationRequest, Schedule, Slot, Task } from 'fhir/r4';
import { COMMON_ERRORS } from '../actions/action-errors.ts';
import { readJsonBody, type ActionContext, type ActionDefinition } from '../actions/action.ts';
import { actionIdentifier, ifNoneExistFor } from '../actions/idempotency-key.ts';
import type { UpstreamJsonResult } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { HospitalProfile } from '../policy/profile.ts';
import { buildAppointmentRequest, careTeamOf, parseAppointmentRequest, type AppointmentRequestInput } from './appointment-request.ts';
import { CARE_ERRORS } from './care-errors.ts';
import { CARE_REQUEST_SYSTEM, checkInstantInRange, checkWindows, requesterOf, requestMeta, sameCoding } from './care-fhir.ts';
import { readVersioned, searchAll, visibleOf } from './care-reads.ts';
import { parseChange, type ChangeInput } from './change-request.ts';
import { buildRenewalProposal, buildRenewalTask, parseRenewal, renewability, throwUnlessRenewable, type RenewalInput } from './renewal.ts';
import { parseBooking, type BookingInput } from './slot-booking.ts';

const MAX_BODY = 16 * 1024;

/** An upstream "no": 409/412 mean someone changed it meanwhile; 5xx the EHR is down; anything else refused. */
export function refusal(result: Extract<UpstreamJsonResult, { ok: false }>): Error {
  if (result.status === 409 || result.status === 412) return CARE_ERRORS.changedMeanwhile();
  if (result.status >= 500) return COMMON_ERRORS.upstreamUnavailable(new Error(`upstream ${result.status}`));
  return COMMON_ERRORS.upstreamRefused(result.status);
}

/** The clinicians and departments of the patient's visible appointments and encounters, and of the open schedules. */
export async function careTeamFor(ctx: Pick<ActionContext<unknown>, 'upstream' | 'policy'>, patientId: string): Promise<string[]> {
  const patient = `Patient/${patientId}`;
  const [appointments, encounters, schedules] = await Promise.all([
    searchAll<Appointment>(ctx.upstream, `Appointment?patient=${encodeURIComponent(patient)}&_count=100`),
    searchAll<import('fhir/r4').Encounter>(ctx.upstream, `Encounter?patient=${encodeURIComponent(patient)}&_count=100`),
    searchAll<Schedule>(ctx.upstream, 'Schedule?active=true&_count=100'),
  ]);
  const seen = await visibleOf(ctx.policy, [...appointments, ...encounters], patient);
  return careTeamOf([...seen, ...schedules.map((s) => ({ resourceType: 'Schedule', participant: (s.actor ?? []).map((actor) => ({ actor })) }))]);
}

export function requestAppointmentAction(clock: Clock, profile: HospitalProfile): ActionDefinition<AppointmentRequestInput> {
  return {
    name: 'appointments.request',
    parse: async (c) => parseAppointmentRequest(await readJsonBody(c, MAX_BODY), clock.now(), profile.scheduling.horizonDays),
    patientId: (input) => input.patientId,
    permitted: (decision) => decision.features.appointmentRequests,
    async run(ctx) {
      if (!(await careTeamFor(ctx, ctx.input.patientId)).includes(ctx.input.with)) throw CARE_ERRORS.notCareTeam();
      const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'appointment-request');
      const appointment = buildAppointmentRequest({
        input: ctx.input, identifier, requester: requesterOf(ctx.principal, ctx.access.decision), meta: requestMeta(ctx.access.decision, ctx.profile), now: ctx.clock.now(),
      });
      const result = await ctx.upstream.writeJson('POST', 'Appointment', appointment, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!result.ok) throw refusal(result);
      const reference = `Appointment/${result.resource.id ?? ''}`;
      return { status: 201, body: { reference, status: 'proposed' }, written: [reference] };
    },
  };
}

export function bookSlotAction(clock: Clock, profile: HospitalProfile): ActionDefinition<BookingInput> {
  return {
    name: 'appointments.book',
    parse: async (c) => parseBooking(await readJsonBody(c, MAX_BODY)),
    patientId: (input) => input.patientId,
    permitted: (decision, input) =>
      decision.features.appointmentRequests && profile.scheduling.selfScheduleVisitTypes.some((t) => t.code === input.visitType),
    async run(ctx) {
      const visitType = profile.scheduling.selfScheduleVisitTypes.find((t) => t.code === ctx.input.visitType);
      if (visitType === undefined) throw CARE_ERRORS.visitTypeNotOffered();
      const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'booking');
      const read = await readVersioned<Slot>(ctx.upstream, `Slot/${ctx.input.slotId}`);
      if (read === undefined) throw CARE_ERRORS.slotGone();
      const slot = read.resource;
      const ours = (slot.identifier ?? []).some((i) => i.system === identifier.system && i.value === identifier.value);
      if (!ours) {
        if (slot.status !== 'free') throw CARE_ERRORS.slotTaken();
        if (!(slot.serviceType ?? []).some((t) => (t.coding ?? []).some((k) => sameCoding(k, visitType)))) throw CARE_ERRORS.visitTypeNotOffered();
        checkInstantInRange(Date.parse(slot.start), clock.now(), profile.scheduling.horizonDays, 'slotId');
        // The lock: a versioned update. Of two people taking this slot at once, exactly one update matches the version.
        const taken = await ctx.upstream.writeJson('PUT', `Slot/${slot.id ?? ''}`, { ...slot, status: 'busy', identifier: [...(slot.identifier ?? []), identifier] },
          read.version === undefined ? {} : { ifMatch: `W/"${read.version}"` });
        if (!taken.ok) {
          if (taken.status === 409 || taken.status === 412) throw CARE_ERRORS.slotTaken();
          if (taken.status === 404 || taken.status === 410) throw CARE_ERRORS.slotGone();
          throw refusal(taken);
        }
      }
      const schedule = await readVersioned<Schedule>(ctx.upstream, slot.schedule.reference ?? '');
      const actors = (schedule?.resource.actor ?? []).filter((a) => /^(Practitioner|Location)\//.test(a.reference ?? ''));
      const appointment: Appointment = {
        resourceType: 'Appointment',
        ...(requestMeta(ctx.access.decision, ctx.profile) === undefined ? {} : { meta: requestMeta(ctx.access.decision, ctx.profile) }),
        identifier: [identifier],
        status: 'booked',
        created: new Date(ctx.clock.now()).toISOString(),
        serviceType: [{ coding: [visitType] }],
        serviceCategory: [{ coding: [{ system: CARE_REQUEST_SYSTEM, code: 'self-scheduled' }] }],
        ...(ctx.input.details === '' ? {} : { description: ctx.input.details }),
        slot: [{ reference: `Slot/${slot.id ?? ''}` }],
        start: slot.start,
        end: slot.end,
        participant: [
          { actor: { reference: `Patient/${ctx.input.patientId}` }, required: 'required', status: 'accepted' },
          ...actors.map((actor) => ({ actor: { reference: actor.reference ?? '' }, required: 'required' as const, status: 'accepted' as const })),
          { actor: requesterOf(ctx.principal, ctx.access.decision), required: 'information-only', status: 'accepted' },
        ],
      };
      const created = await ctx.upstream.writeJson('POST', 'Appointment', appointment, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!created.ok) throw refusal(created);
      const reference = `Appointment/${created.resource.id ?? ''}`;
      return { status: 201, body: { reference, status: 'booked', start: slot.start, end: slot.end }, written: [`Slot/${slot.id ?? ''}`, reference] };
    },
  };
}

export function changeAppointmentAction(clock: Clock, profile: HospitalProfile): ActionDefinition<ChangeInput> {
  return {
    name: 'appointments.change',
    parse: async (c) => {
      const input = parseChange(await readJsonBody(c, MAX_BODY));
      if (input.windows.length > 0) checkWindows(input.windows, clock.now(), profile.scheduling.horizonDays);
      return input;
    },
    patientId: (input) => input.patientId,
    permitted: (decision) => decision.features.appointmentRequests,
    async run(ctx) {
      const patient = `Patient/${ctx.input.patientId}`;
      const read = await readVersioned<Appointment>(ctx.upstream, `Appointment/${ctx.input.appointmentId}`);
      // Hidden, absent and another patient's appointment read the same: not changeable.
      if (read === undefined || (await visibleOf(ctx.policy, [read.resource], patient)).length === 0) throw CARE_ERRORS.notChangeable();
      const appointment = read.resource;
      const start = Date.parse(appointment.start ?? '');
      if (appointment.status !== 'booked' || !Number.isFinite(start) || start <= clock.now()) throw CARE_ERRORS.notChangeable();
      const requester = requesterOf(ctx.principal, ctx.access.decision);
      const meta = requestMeta(ctx.access.decision, ctx.profile);
      if (ctx.input.mode === 'direct') {
        const hours = profile.scheduling.directChangeMinHours;
        if (ctx.input.kind !== 'cancel' || hours === null) throw CARE_ERRORS.notChangeable();
        if (start - clock.now() < hours * 3_600_000) throw CARE_ERRORS.tooLateToChangeDirectly(hours);
        const cancelled: Appointment = {
          ...appointment,
          status: 'cancelled',
          cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat' }], ...(ctx.input.reason === '' ? {} : { text: ctx.input.reason }) },
        };
        const result = await ctx.upstream.writeJson('PUT', `Appointment/${appointment.id ?? ''}`, cancelled, read.version === undefined ? {} : { ifMatch: `W/"${read.version}"` });
        if (!result.ok) throw refusal(result);
        const written = [`Appointment/${appointment.id ?? ''}`];
        // Give the slot back, if it came from one (best effort: the appointment is cancelled either way).
        for (const ref of appointment.slot ?? []) {
          const slot = await readVersioned<Slot>(ctx.upstream, ref.reference ?? '');
          if (slot !== undefined && slot.resource.status === 'busy') {
            const freed = await ctx.upstream.writeJson('PUT', ref.reference ?? '', { ...slot.resource, status: 'free', identifier: [] },
              slot.version === undefined ? {} : { ifMatch: `W/"${slot.version}"` });
            if (freed.ok) written.push(ref.reference ?? '');
          }
        }
        return { status: 200, body: { reference: written[0], status: 'cancelled' }, written };
      }
      const open = await searchAll<Task>(ctx.upstream, `Task?focus=${encodeURIComponent(`Appointment/${appointment.id ?? ''}`)}&status=requested,received,accepted,in-progress&_count=50`);
      if (open.some((t) => (t.code?.coding ?? []).some((k) => k.system === CARE_REQUEST_SYSTEM && (k.code === 'cancel' || k.code === 'reschedule')))) throw CARE_ERRORS.alreadyRequested();
      const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'appointment-change');
      const task: Task = {
        resourceType: 'Task',
        ...(meta === undefined ? {} : { meta }),
        identifier: [identifier],
        status: 'requested',
        intent: 'order',
        code: { coding: [{ system: CARE_REQUEST_SYSTEM, code: ctx.input.kind }] },
        focus: { reference: `Appointment/${appointment.id ?? ''}` },
        for: { reference: patient },
        authoredOn: new Date(ctx.clock.now()).toISOString(),
        requester,
        ...(ctx.input.reason === '' ? {} : { description: ctx.input.reason }),
        ...(ctx.input.windows.length === 0 ? {} : {
          input: ctx.input.windows.map((w) => ({ type: { text: 'preferred time' }, valuePeriod: { start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() } })),
        }),
      };
      const result = await ctx.upstream.writeJson('POST', 'Task', task, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!result.ok) throw refusal(result);
      const reference = `Task/${result.resource.id ?? ''}`;
      return { status: 201, body: { reference, status: 'requested' }, written: [reference] };
    },
  };
}

export function requestRenewalAction(clock: Clock, profile: HospitalProfile): ActionDefinition<RenewalInput> {
  return {
    name: 'renewals.request',
    parse: async (c) => parseRenewal(await readJsonBody(c, MAX_BODY)),
    patientId: (input) => input.patientId,
    permitted: (decision) => decision.features.renewals,
    async run(ctx) {
      const patient = `Patient/${ctx.input.patientId}`;
      const read = await readVersioned<MedicationRequest>(ctx.upstream, `MedicationRequest/${ctx.input.medicationRequestId}`);
      // A medicine the person may not see, or another patient's, is "not renewable" — never "hidden".
      if (read === undefined || (await visibleOf(ctx.policy, [read.resource], patient)).length === 0) throw CARE_ERRORS.notRenewable();
      const original = read.resource;
      const dispenses = await searchAll<MedicationDispense>(ctx.upstream, `MedicationDispense?prescription=${encodeURIComponent(`MedicationRequest/${original.id ?? ''}`)}&_count=100`);
      throwUnlessRenewable(renewability(original, dispenses, clock.now(), profile.scheduling.controlledSubstanceRenewals));
      const pending = await searchAll<MedicationRequest>(ctx.upstream, `MedicationRequest?intent=proposal&status=active,draft&subject=${encodeURIComponent(patient)}&_count=100`);
      const proposalIdentifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'renewal-proposal');
      const mine = (r: MedicationRequest) => (r.identifier ?? []).some((i) => i.system === proposalIdentifier.system && i.value === proposalIdentifier.value);
      if (pending.some((r) => !mine(r) && (r.basedOn ?? []).some((b) => b.reference === `MedicationRequest/${original.id ?? ''}`))) throw CARE_ERRORS.alreadyRequested();
      const requester = requesterOf(ctx.principal, ctx.access.decision);
      const meta = requestMeta(ctx.access.decision, ctx.profile);
      const now = ctx.clock.now();
      const proposal = buildRenewalProposal({ original, input: ctx.input, identifier: proposalIdentifier, requester, meta, now });
      const created = await ctx.upstream.writeJson('POST', 'MedicationRequest', proposal, { ifNoneExist: ifNoneExistFor(proposalIdentifier) });
      if (!created.ok) throw refusal(created);
      const proposalRef = `MedicationRequest/${created.resource.id ?? ''}`;
      const taskIdentifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'renewal-task');
      const task = buildRenewalTask({ proposal: created.resource as MedicationRequest, original, identifier: taskIdentifier, requester, meta, now });
      const taskResult = await ctx.upstream.writeJson('POST', 'Task', task, { ifNoneExist: ifNoneExistFor(taskIdentifier) });
      if (!taskResult.ok) throw refusal(taskResult);
      const taskRef = `Task/${taskResult.resource.id ?? ''}`;
      return { status: 201, body: { reference: proposalRef, task: taskRef, status: 'requested' }, written: [proposalRef, taskRef] };
    },
  };
}
