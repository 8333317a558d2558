/**
 * The clinician inbox (/ehr/messages): threads the signed-in clinician is part of, newest activity first; a thread's
 * messages with their attachments; and a reply form — text, attachments (PDF/JPEG/PNG), and "confidential to the
 * patient", which labels the reply restricted (v3-Confidentiality R) and addresses it to the patient, so no guardian
 * ever sees it. Replies are written as FHIR like a real EHR would: Binaries, then the Communication pointing at them,
 * then each Binary's securityContext set to the Communication.
 */
import type { Binary, Communication, FhirResource, Patient, Practitioner, RelatedPerson } from 'fhir/r4';
import { formatName } from '../auth/accounts.ts';
import { csrfField, html, type EhrPage, type EhrRequest, type EhrResponse, type SafeHtml } from './ehr-page.ts';

const CONFIDENTIAL = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' };
const CATEGORY = { system: 'urn:sprout:communication-category', code: 'portal-message', display: 'Patient portal message' };
const ID = /^[A-Za-z0-9.-]{1,64}$/;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const rootOf = (c: Communication): string => c.inResponseTo?.[0]?.reference?.split('/').pop() ?? c.id ?? '';
const isRestricted = (c: Communication): boolean => (c.meta?.security ?? []).some((l) => l.code === 'R' || l.code === 'V');
const sentOf = (c: Communication): string => c.sent ?? c.meta?.lastUpdated ?? '';

function sniff(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

async function myCommunications(request: EhrRequest): Promise<Communication[]> {
  const me = request.practitioner.accountId;
  const [received, sent] = await Promise.all([
    request.fhir.search<Communication>(`Communication?recipient=${me}`),
    request.fhir.search<Communication>(`Communication?sender=${me}`),
  ]);
  const byId = new Map<string, Communication>();
  for (const c of [...received, ...sent]) if (c.id !== undefined && c.status === 'completed') byId.set(c.id, c);
  return [...byId.values()];
}

async function nameOf(request: EhrRequest, reference: string | undefined, cache: Map<string, string>): Promise<string> {
  if (reference === undefined) return 'Unknown';
  const cached = cache.get(reference);
  if (cached !== undefined) return cached;
  const resource = await request.fhir.read<FhirResource>(reference);
  let name = reference;
  if (resource?.resourceType === 'Patient' || resource?.resourceType === 'RelatedPerson' || resource?.resourceType === 'Practitioner') {
    name = formatName((resource as Patient | RelatedPerson | Practitioner).name);
    if (resource.resourceType === 'RelatedPerson') name += ` (${(resource as RelatedPerson).relationship?.[0]?.coding?.[0]?.display ?? 'family'})`;
    if (resource.resourceType === 'Patient') name += ' (patient)';
  }
  cache.set(reference, name);
  return name;
}

async function inbox(request: EhrRequest): Promise<EhrResponse> {
  const all = await myCommunications(request);
  const threads = new Map<string, Communication[]>();
  for (const c of all) threads.set(rootOf(c), [...(threads.get(rootOf(c)) ?? []), c]);
  const names = new Map<string, string>();
  const rows: SafeHtml[] = [];
  const ordered = [...threads.entries()]
    .map(([id, list]) => ({ id, list: list.sort((a, b) => sentOf(a).localeCompare(sentOf(b))) }))
    .sort((a, b) => sentOf(b.list[b.list.length - 1]!).localeCompare(sentOf(a.list[a.list.length - 1]!)));
  for (const { id, list } of ordered) {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    const waiting = !last.sender?.reference?.startsWith('Practitioner/');
    rows.push(html`<tr class="${waiting ? 'unread' : ''}">
      <td><a href="/ehr/messages/${id}">${first.topic?.text ?? '(no subject)'}</a>${list.some(isRestricted) ? html` <span class="label">Confidential</span>` : html``}</td>
      <td>${await nameOf(request, first.subject?.reference, names)}</td>
      <td>${await nameOf(request, last.sender?.reference, names)}</td>
      <td>${sentOf(last).slice(0, 16).replace('T', ' ')}</td>
      <td>${waiting ? 'Needs reply' : 'Answered'}</td></tr>`);
  }
  return {
    kind: 'html',
    title: 'Messages',
    body: html`<h1>Messages</h1>
      ${rows.length === 0 ? html`<p>No messages.</p>` : html`<table><caption class="note">Conversations with patients and families, newest first</caption>
        <thead><tr><th scope="col">Subject</th><th scope="col">Patient</th><th scope="col">Last from</th><th scope="col">When</th><th scope="col">Status</th></tr></thead>
        <tbody>${rows}</tbody></table>`}`,
  };
}

async function thread(request: EhrRequest, id: string, error?: string): Promise<EhrResponse> {
  const all = (await myCommunications(request)).filter((c) => rootOf(c) === id).sort((a, b) => sentOf(a).localeCompare(sentOf(b)));
  if (all.length === 0) return { kind: 'html', status: 404, title: 'Not found', body: html`<p>There is no such conversation.</p>` };
  const names = new Map<string, string>();
  const items: SafeHtml[] = [];
  for (const c of all) {
    const attachments = (c.payload ?? []).map((p) => p.contentAttachment).filter((a) => a?.url?.startsWith('Binary/'));
    items.push(html`<article>
      <h2>${await nameOf(request, c.sender?.reference, names)} <span class="note">→ ${(await Promise.all((c.recipient ?? []).map((r) => nameOf(request, r.reference, names)))).join(', ')} · ${sentOf(c).slice(0, 16).replace('T', ' ')}</span>
        ${isRestricted(c) ? html`<span class="label">Confidential to the patient</span>` : html``}</h2>
      <pre class="body">${(c.payload ?? []).map((p) => p.contentString).filter(Boolean).join('\n\n')}</pre>
      ${attachments.length === 0 ? html`` : html`<ul>${attachments.map((a) => html`<li><a href="/ehr/messages/binary/${a?.url?.slice('Binary/'.length) ?? ''}">${a?.title ?? 'attachment'}</a> <span class="note">(${a?.contentType ?? ''})</span></li>`)}</ul>`}
    </article>`);
  }
  return {
    kind: 'html',
    title: all[0]!.topic?.text ?? 'Conversation',
    body: html`<p><a href="/ehr/messages">← All messages</a></p><h1>${all[0]!.topic?.text ?? 'Conversation'}</h1>
      <p class="note">Patient: ${await nameOf(request, all[0]!.subject?.reference, names)}</p>
      ${items}
      <h2 id="reply-heading">Reply</h2>
      ${error === undefined ? html`` : html`<p class="error" role="alert">${error}</p>`}
      <form method="post" action="/ehr/messages/${id}" enctype="multipart/form-data" aria-labelledby="reply-heading">
        ${csrfField(request)}
        <label for="body">Message</label><textarea id="body" name="body" rows="6" required></textarea>
        <label for="attachment">Attachments (PDF, JPEG or PNG, up to 10 MB each)</label><input id="attachment" name="attachment" type="file" multiple accept="application/pdf,image/jpeg,image/png">
        <label><input type="checkbox" name="confidential" value="yes"> Confidential to the patient (hidden from parents and guardians; sent to the patient)</label>
        <button type="submit">Send reply</button>
      </form>`,
  };
}

async function reply(request: EhrRequest, id: string): Promise<EhrResponse> {
  const all = (await myCommunications(request)).filter((c) => rootOf(c) === id).sort((a, b) => sentOf(a).localeCompare(sentOf(b)));
  const root = all[0];
  const form = request.form;
  if (root === undefined || form === undefined) return { kind: 'html', status: 404, title: 'Not found', body: html`<p>There is no such conversation.</p>` };
  const body = String(form.get('body') ?? '').trim();
  if (body === '') return { ...(await thread(request, id, 'Write a reply first.')), status: 400 } as EhrResponse;
  const confidential = form.get('confidential') === 'yes';
  const files = form.getAll('attachment').filter((f): f is File => typeof f !== 'string' && f.size > 0);
  if (files.length > 5) return thread(request, id, 'At most 5 attachments.');
  const checked: { name: string; type: string; data: Buffer }[] = [];
  for (const file of files) {
    const data = Buffer.from(await file.arrayBuffer());
    const type = sniff(data);
    if (data.length > MAX_FILE_BYTES || type === undefined) return thread(request, id, `${file.name}: only PDF, JPEG or PNG files up to 10 MB.`);
    checked.push({ name: file.name.split(/[\\/]/).pop()?.replace(/[^\w.\- ]/g, '_').slice(0, 100) || 'attachment', type, data });
  }
  const family = [...all].reverse().map((c) => c.sender?.reference).find((r) => r !== undefined && !r.startsWith('Practitioner/'));
  const patient = root.subject?.reference;
  const recipient = confidential ? patient : family ?? patient;
  if (recipient === undefined || patient === undefined) return thread(request, id, 'This conversation has no patient.');
  const binaries: Binary[] = [];
  for (const file of checked) binaries.push(await request.fhir.create<Binary>({ resourceType: 'Binary', contentType: file.type, data: file.data.toString('base64') }));
  const created = await request.fhir.create<Communication>({
    resourceType: 'Communication',
    ...(confidential ? { meta: { security: [CONFIDENTIAL] } } : {}),
    status: 'completed',
    category: [{ coding: [CATEGORY] }],
    subject: { reference: patient },
    inResponseTo: [{ reference: `Communication/${id}` }],
    topic: { text: root.topic?.text ?? '' },
    sent: new Date().toISOString(),
    sender: { reference: request.practitioner.accountId },
    recipient: [{ reference: recipient }],
    payload: [
      { contentString: body },
      ...binaries.map((b, i) => ({ contentAttachment: { url: `Binary/${b.id ?? ''}`, contentType: checked[i]!.type, title: checked[i]!.name, size: checked[i]!.data.length } })),
    ],
  });
  for (const binary of binaries) await request.fhir.update<Binary>({ ...binary, securityContext: { reference: `Communication/${created.id ?? ''}` } });
  return { kind: 'redirect', location: `/ehr/messages/${id}` };
}

export const messagesPage: EhrPage = {
  path: '/ehr/messages',
  title: 'Messages',
  nav: true,
  async handle(request) {
    const [first, second] = request.rest;
    if (first === undefined) return inbox(request);
    if (first === 'binary' && second !== undefined && ID.test(second)) {
      // Only attachments of conversations this clinician is part of.
      const mine = await myCommunications(request);
      if (!mine.some((c) => (c.payload ?? []).some((p) => p.contentAttachment?.url === `Binary/${second}`))) return { kind: 'html', status: 404, title: 'Not found', body: html`<p>Not found.</p>` };
      const binary = await request.fhir.binary(second);
      const title = mine.flatMap((c) => c.payload ?? []).find((p) => p.contentAttachment?.url === `Binary/${second}`)?.contentAttachment?.title;
      return binary === undefined ? { kind: 'html', status: 404, title: 'Not found', body: html`<p>Not found.</p>` } : { kind: 'bytes', contentType: binary.contentType, body: binary.data, ...(title === undefined ? {} : { filename: title }) };
    }
    if (!ID.test(first)) return { kind: 'html', status: 404, title: 'Not found', body: html`<p>There is no such conversation.</p>` };
    return request.method === 'POST' ? reply(request, first) : thread(request, first);
  },
};
