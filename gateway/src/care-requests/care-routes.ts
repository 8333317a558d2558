/**
 * /api/care: the appointment and renewal actions (POST, on the shared action frame) and the reads the app needs to
 * offer them (GET): what may be asked for a patient, open slots, and the family's requests with their status.
 * Every read goes through the request's policy; a patient the person may not act for gets the same 403 as a
 * feature that is off.
 */
import { Hono, type Context } from 'hono';
import type { Appointment, MedicationDispense, MedicationRequest, Resource, Schedule, Slot, Task } from 'fhir/r4';
import { actionErrorResponse, COMMON_ERRORS, requestLanguage } from '../actions/action-errors.ts';
import { operationOutcome } from '../errors.ts';
import { actionHandler, type ActionDeps } from '../actions/action.ts';
import { createRequestPolicy, type RequestPolicy } from '../fhir/request-policy.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { AccessFeatures } from '../policy/types.ts';
import { bookSlotAction, careTeamFor, changeAppointmentAction, requestAppointmentAction, requestRenewalAction } from './care-actions.ts';
import { COMMON_REASONS } from './care-fhir.ts';
import { randomUUID } from 'node:crypto';
import { calendarEventOf, icsCalendar } from './calendar.ts';
import { createCalendarFeeds } from './calendar-feed.ts';
import { readVersioned, searchAll, visibleOf } from './care-reads.ts';
import { renewability } from './renewal.ts';
import { requestViews } from './request-list.ts';
import { openSlots } from './slot-booking.ts';

const PATIENT_ID = /^[A-Za-z0-9.-]{1,64}$/;

export function createCareRoutes(deps: ActionDeps): Hono<GatewayEnv> {
  const { clock, profile } = deps;
  const routes = new Hono<GatewayEnv>();
  routes.post('/appointment-requests', actionHandler(requestAppointmentAction(clock, profile), deps));
  routes.post('/bookings', actionHandler(bookSlotAction(clock, profile), deps));
  routes.post('/appointment-changes', actionHandler(changeAppointmentAction(clock, profile), deps));
  routes.post('/renewals', actionHandler(requestRenewalAction(clock, profile), deps));

  /** The policy for this request and the patient's features, or an error response (same 403 for every refusal). */
  async function forPatient(c: Context<GatewayEnv>, needs: (f: AccessFeatures) => boolean) {
    const patientId = c.req.query('patient') ?? '';
    if (!PATIENT_ID.test(patientId)) return { response: actionErrorResponse(c, COMMON_ERRORS.notPermitted()) } as const;
    const policy = createRequestPolicy({ upstream: c.get('upstream'), principal: c.get('principal'), profile, asOf: new Date(clock.now()), signal: c.req.raw.signal });
    const access = await policy.accessFor(patientId);
    if (access === undefined || !needs(access.decision.features)) return { response: actionErrorResponse(c, COMMON_ERRORS.notPermitted()) } as const;
    return { patientId, policy, features: access.decision.features, patient: access.patient } as const;
  }

  const json = (c: Context<GatewayEnv>, body: unknown) => {
    c.header('Cache-Control', 'no-store');
    return c.json(body as object, 200);
  };

  routes.get('/options', async (c) => {
    const found = await forPatient(c, (f) => f.appointmentRequests || f.renewals);
    if ('response' in found) return found.response;
    const { patientId, policy, features } = found;
    const upstream = c.get('upstream');
    const careTeam = features.appointmentRequests ? await careTeamFor({ upstream, policy }, patientId) : [];
    const named = await Promise.all(careTeam.map(async (reference) => ({ reference, name: nameOf(await shown(policy, reference)) })));
    return json(c, {
      appointmentRequests: features.appointmentRequests,
      renewals: features.renewals,
      reasons: COMMON_REASONS,
      careTeam: named.filter((m) => m.name !== undefined),
      selfScheduleVisitTypes: features.appointmentRequests ? profile.scheduling.selfScheduleVisitTypes.map((t) => ({ code: t.code, display: t.display ?? t.code })) : [],
      horizonDays: profile.scheduling.horizonDays,
      directChangeMinHours: profile.scheduling.directChangeMinHours,
      medications: features.renewals ? await medicationOptions(c, policy, patientId) : [],
    });
  });

  routes.get('/slots', async (c) => {
    const found = await forPatient(c, (f) => f.appointmentRequests);
    if ('response' in found) return found.response;
    const visitType = profile.scheduling.selfScheduleVisitTypes.find((t) => t.code === c.req.query('visitType'));
    if (visitType === undefined) return json(c, { slots: [] });
    const upstream = c.get('upstream');
    const now = clock.now();
    const [slots, schedules] = await Promise.all([
      searchAll<Slot>(upstream, `Slot?status=free&start=gt${encodeURIComponent(new Date(now).toISOString())}&_count=100`),
      searchAll<Schedule>(upstream, 'Schedule?active=true&_count=100'),
    ]);
    return json(c, { slots: openSlots(slots, schedules, visitType, now, profile.scheduling.horizonDays).slice(0, 60) });
  });

  routes.get('/requests', async (c) => {
    const found = await forPatient(c, (f) => f.appointmentRequests || f.renewals || f.viewRecord);
    if ('response' in found) return found.response;
    const { patientId, policy } = found;
    const upstream = c.get('upstream');
    const patient = `Patient/${patientId}`;
    const [appointments, tasks, proposals] = await Promise.all([
      searchAll<Appointment>(upstream, `Appointment?patient=${encodeURIComponent(patient)}&_count=100`),
      searchAll<Task>(upstream, `Task?patient=${encodeURIComponent(patient)}&_count=100`),
      searchAll<MedicationRequest>(upstream, `MedicationRequest?subject=${encodeURIComponent(patient)}&intent=proposal&_count=100`),
    ]);
    const [a, t, p] = await Promise.all([visibleOf(policy, appointments, patient), visibleOf(policy, tasks, patient), visibleOf(policy, proposals, patient)]);
    return json(c, { requests: requestViews(a, t, p) });
  });

  routes.get('/appointments/:id/calendar', async (c) => {
    const found = await forPatient(c, (f) => f.viewRecord || f.appointmentRequests);
    if ('response' in found) return found.response;
    const id = c.req.param('id');
    const notFound = () => c.json(operationOutcome('not-found', 'Not found.'), 404);
    if (!PATIENT_ID.test(id)) return notFound();
    const read = await readVersioned<Appointment>(c.get('upstream'), `Appointment/${id}`);
    const patient = `Patient/${found.patientId}`;
    // Hidden, absent, another patient's or not booked: the same 404.
    if (read === undefined || (await visibleOf(found.policy, [read.resource], patient)).length === 0) return notFound();
    const origin = new URL(c.req.url).origin;
    const event = calendarEventOf(read.resource, firstNameOf(found.patient), new URL(origin).hostname);
    if (event === undefined) return notFound();
    const language = requestLanguage(c.req.header('Accept-Language'));
    const body = icsCalendar([event], {
      name: 'Sprout',
      summary: (name) => (language === 'es' ? `Cita de ${name}` : `${name}'s appointment`),
      link: `${origin}/patient/${encodeURIComponent(found.patientId)}/appointments`,
      now: clock.now(),
    });
    return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'attachment; filename="appointment.ics"', 'Cache-Control': 'no-store' });
  });

  // The family's private calendar feed (calendar-feed.ts): whether there is one, a new URL (revoking the old), revoke.
  const feeds = createCalendarFeeds(deps.store, clock);
  const feedAudit = (c: Context<GatewayEnv>, action: string) =>
    deps.store.audit.append({
      id: randomUUID(), recorded: new Date(clock.now()).toISOString(), requestId: c.get('requestId'), actor: c.get('principal').fhirUser,
      action: `action:${action}`, query: `${c.req.method} /api/care/calendar-feed`, outcome: 'allowed', returned: [], withheld: [], reasons: ['calendar-feed'],
    });
  routes.get('/calendar-feed', async (c) => json(c, { exists: await feeds.exists(c.get('principal').fhirUser) }));
  routes.post('/calendar-feed', async (c) => {
    const path = await feeds.create(c.get('principal').fhirUser);
    await feedAudit(c, 'calendar-feed.create');
    return json(c, { url: `${new URL(c.req.url).origin}${path}` });
  });
  routes.delete('/calendar-feed', async (c) => {
    await feeds.revoke(c.get('principal').fhirUser);
    await feedAudit(c, 'calendar-feed.revoke');
    return json(c, { exists: false });
  });

  /** Each visible medication order with whether a renewal may be asked for (and, if not, the kind reason code). */
  async function medicationOptions(c: Context<GatewayEnv>, policy: RequestPolicy, patientId: string) {
    const upstream = c.get('upstream');
    const patient = `Patient/${patientId}`;
    const orders = (await visibleOf(policy, await searchAll<MedicationRequest>(upstream, `MedicationRequest?subject=${encodeURIComponent(patient)}&_count=100`), patient))
      .filter((r) => r.intent !== 'proposal');
    const dispenses = await searchAll<MedicationDispense>(upstream, `MedicationDispense?subject=${encodeURIComponent(patient)}&_count=100`);
    return orders.map((order) => {
      const own = dispenses.filter((d) => (d.authorizingPrescription ?? []).some((r) => r.reference === `MedicationRequest/${order.id ?? ''}`));
      const verdict = renewability(order, own, clock.now(), profile.scheduling.controlledSubstanceRenewals);
      return { id: order.id ?? '', name: order.medicationCodeableConcept?.text ?? order.medicationCodeableConcept?.coding?.[0]?.display ?? '', renewal: verdict.renewable ? 'offered' : verdict.because };
    });
  }

  return routes;
}

async function shown(policy: RequestPolicy, reference: string): Promise<Resource | undefined> {
  const resource = await policy.fetchReference(reference);
  if (resource === undefined) return undefined;
  return (await policy.judge(resource)).show ? resource : undefined;
}

function firstNameOf(patient: import('fhir/r4').Patient): string {
  const name = patient.name?.find((n) => n.use === 'usual') ?? patient.name?.[0];
  return name?.given?.[0] ?? name?.text?.split(' ')[0] ?? '';
}

function nameOf(resource: Resource | undefined): string | undefined {
  if (resource === undefined) return undefined;
  if (resource.resourceType === 'Location') return (resource as { name?: string }).name;
  if (resource.resourceType === 'Practitioner') {
    const name = (resource as import('fhir/r4').Practitioner).name?.[0];
    if (name === undefined) return undefined;
    return name.text ?? [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ');
  }
  return undefined;
}
