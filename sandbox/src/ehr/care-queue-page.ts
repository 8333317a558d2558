/**
 * The clinician's work queue for the families' care requests (issue 12): requested appointments (book a time or
 * decline with a reason), reschedule/cancel requests, and prescription renewals (approve with a new order or decline).
 */
import type { Appointment, MedicationRequest, Patient, Task } from 'fhir/r4';
import { acceptTask, bookRequestedAppointment, careCode, declineRequestedAppointment, declineTask } from './care-queue-answers.ts';
import { EhrFhirError, type EhrFhir } from './ehr-fhir.ts';
import { csrfField, html, type EhrPage, type EhrRequest, type EhrResponse, type SafeHtml } from './ehr-page.ts';

export const CARE_QUEUE_PATH = '/ehr/care-requests';

const when = (iso: string | undefined): string => {
  if (iso === undefined) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

async function patientName(fhir: EhrFhir, reference: string | undefined, cache: Map<string, string>): Promise<string> {
  if (reference === undefined) return 'Unknown patient';
  const known = cache.get(reference);
  if (known !== undefined) return known;
  const patient = await fhir.read<Patient>(reference);
  const name = patient?.name?.[0];
  const text = name === undefined ? reference : name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
  cache.set(reference, text);
  return text;
}

const field = (name: string, label: string, id: string, value = '', required = true): SafeHtml =>
  html`<label for="${id}">${label}</label><input id="${id}" name="${name}" value="${value}" ${required ? html`required` : html``}>`;

async function queuePage(request: EhrRequest, error?: string, status?: number): Promise<EhrResponse> {
  const { fhir } = request;
  const names = new Map<string, string>();
  const proposed = await fhir.search<Appointment>('Appointment?status=proposed&_count=100');
  const tasks = (await fhir.search<Task>('Task?status=requested&_count=100')).filter((t) => careCode(t) !== undefined);
  const appointmentRows = await Promise.all(proposed.map(async (a) => {
    const patient = a.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference;
    const windows = (a.requestedPeriod ?? []).map((p) => html`<li>${when(p.start)} – ${when(p.end)}</li>`);
    const reason = a.reasonCode?.[0];
    const id = a.id ?? '';
    return html`<tr><td>${await patientName(fhir, patient, names)}</td>
      <td>${reason?.coding?.[0]?.code ?? ''}${reason?.text === undefined ? html`` : html`: ${reason.text}`}<br><span class="note">${a.comment ?? ''}</span>
        ${a.meta?.security?.some((s) => s.code === 'R') ? html` <span class="label">confidential</span>` : html``}</td>
      <td><ul>${windows}</ul></td>
      <td><form method="post" action="${CARE_QUEUE_PATH}/appointment/${id}/book">${csrfField(request)}
          ${field('start', 'Start (ISO, with zone)', `start-${id}`, a.requestedPeriod?.[0]?.start ?? '')}
          ${field('minutes', 'Minutes', `minutes-${id}`, '30')}<button type="submit">Book</button></form>
        <form method="post" action="${CARE_QUEUE_PATH}/appointment/${id}/decline">${csrfField(request)}
          ${field('reason', 'Reason for the family', `decline-${id}`)}<button type="submit">Decline</button></form></td></tr>`;
  }));
  const taskRows = await Promise.all(tasks.map(async (t) => {
    const id = t.id ?? '';
    const kind = careCode(t) ?? '';
    let about = t.focus?.reference ?? '';
    if (kind === 'renewal') {
      const proposal = await fhir.read<MedicationRequest>(about);
      about = proposal?.medicationCodeableConcept?.text ?? proposal?.medicationCodeableConcept?.coding?.[0]?.display ?? about;
      const notes = (proposal?.note ?? []).map((n) => n.text).join('; ');
      if (notes !== '') about = `${about} (${notes})`;
    } else {
      const appointment = await fhir.read<Appointment>(about);
      about = `appointment ${when(appointment?.start)}`;
    }
    const preferred = (t.input ?? []).map((i) => html`<li>${when(i.valuePeriod?.start)} – ${when(i.valuePeriod?.end)}</li>`);
    const acceptFields = kind === 'reschedule' ? field('start', 'New start (ISO, with zone)', `start-${id}`, t.input?.[0]?.valuePeriod?.start ?? '')
      : kind === 'renewal' ? field('repeats', 'Refills', `repeats-${id}`, '2') : html``;
    return html`<tr><td>${await patientName(fhir, t.for?.reference, names)}</td>
      <td>${kind}: ${about}${t.description === undefined ? html`` : html`<br><span class="note">${t.description}</span>`}<ul>${preferred}</ul></td>
      <td><form method="post" action="${CARE_QUEUE_PATH}/task/${id}/accept">${csrfField(request)}${acceptFields}<button type="submit">${kind === 'renewal' ? 'Approve' : 'Accept'}</button></form>
        <form method="post" action="${CARE_QUEUE_PATH}/task/${id}/decline">${csrfField(request)}
          ${field('reason', 'Reason for the family', `decline-${id}`)}<button type="submit">Decline</button></form></td></tr>`;
  }));
  return {
    kind: 'html',
    title: 'Care requests',
    ...(status === undefined ? {} : { status }),
    body: html`<h1>Care requests</h1>
      ${error === undefined ? html`` : html`<p class="error" role="alert">${error}</p>`}
      <h2>Appointment requests</h2>
      ${appointmentRows.length === 0 ? html`<p class="note">No appointment requests.</p>`
        : html`<table><thead><tr><th>Patient</th><th>Reason</th><th>Preferred times</th><th>Answer</th></tr></thead><tbody>${appointmentRows}</tbody></table>`}
      <h2>Changes and renewals</h2>
      ${taskRows.length === 0 ? html`<p class="note">No pending changes or renewals.</p>`
        : html`<table><thead><tr><th>Patient</th><th>Request</th><th>Answer</th></tr></thead><tbody>${taskRows}</tbody></table>`}`,
  };
}

export const careQueuePage: EhrPage = {
  path: CARE_QUEUE_PATH,
  title: 'Care requests',
  nav: true,
  async handle(request) {
    if (request.method === 'GET') return queuePage(request);
    const [type, id = '', verb] = request.rest;
    const value = (name: string) => String(request.form?.get(name) ?? '');
    try {
      if (type === 'appointment' && verb === 'book') await bookRequestedAppointment(request.fhir, request.practitioner, id, value('start'), value('minutes'));
      else if (type === 'appointment' && verb === 'decline') await declineRequestedAppointment(request.fhir, id, value('reason'));
      else if (type === 'task' && verb === 'accept') await acceptTask(request.fhir, request.practitioner, id, { start: value('start'), minutes: value('minutes'), repeats: value('repeats') });
      else if (type === 'task' && verb === 'decline') await declineTask(request.fhir, request.practitioner, id, value('reason'));
      else return queuePage(request, 'There is no such answer.', 404);
    } catch (error) {
      if (error instanceof EhrFhirError) {
        const message = error.status === 412 ? 'Someone answered or changed this request a moment ago; here is the queue as it is now.' : error.message;
        return queuePage(request, message, error.status === 412 ? 409 : error.status >= 500 ? 502 : error.status);
      }
      throw error;
    }
    return { kind: 'redirect', location: CARE_QUEUE_PATH };
  },
};
