/**
 * /api/records — sending records to another physician over Direct (issue 13), behind the session and CSRF:
 *
 *   POST /send        action "records.send-direct": { patientId, to, note, documents: [{ kind: document, id } |
 *                     { kind: immunizations } | { kind: summary }] } → 202 { transfer, status: "queued", communication }
 *   GET  /sent        "Sent records" (an accounting of disclosures): this person's transfers per child, with the
 *                     delivery status (queued, sent, retrying, failed)
 *   GET  /directory   Direct addresses the EHR publishes (Endpoint, connection type direct-project), if any
 *
 * Only what the sender may see can be sent: every document is judged by the facade's policy (documents.ts) and a
 * generated summary is built only from visible records. The disclosure is a FHIR Communication in the EHR (category
 * records-disclosure: who, what, to whom, when) and one audit record; the message goes through the outbox
 * (direct-delivery.ts), so a HISP that refuses or times out is retried and nothing is lost.
 */
import { Hono } from 'hono';
import type { Communication, Endpoint } from 'fhir/r4';
import { z } from 'zod';
import { ActionError, COMMON_ERRORS } from '../actions/action-errors.ts';
import { actionHandler, readJsonBody, type ActionDefinition } from '../actions/action.ts';
import { actionIdentifier, ifNoneExistFor } from '../actions/idempotency-key.ts';
import { loadFamilyAccess } from '../access/load-access.ts';
import { searchAll } from '../care-requests/care-reads.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Store } from '../store/types.ts';
import { checkDirectAddress } from './direct-address.ts';
import { gatherAttachments, type DocumentChoice } from './documents.ts';
import { DIRECT_TEMPLATE, readTransfer, saveTransfer } from './transfer-records.ts';

export const DISCLOSURE_CATEGORY = { system: 'urn:sprout:communication-category', code: 'records-disclosure', display: 'Records sent by the family over Direct' } as const;
const MAX_TOTAL_BYTES = 10 * 1024 * 1024;

const Input = z.object({
  patientId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
  to: z.string().max(300),
  note: z.string().max(2000).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/).default(''),
  documents: z.array(z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('document'), id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/) }).strict(),
    z.object({ kind: z.literal('immunizations') }).strict(),
    z.object({ kind: z.literal('summary') }).strict(),
  ])).min(1).max(10),
}).strict();
type SendInput = { readonly patientId: string; readonly to: string; readonly note: string; readonly documents: readonly DocumentChoice[] };

export const SEND_ERRORS = {
  malformedAddress: (): ActionError =>
    new ActionError(400, 'direct-address-malformed', {
      en: 'This is not a valid Direct address. It looks like an email address, for example dr.lee@direct.clinic.example.',
      es: 'Esta no es una dirección Direct válida. Se parece a un correo electrónico, por ejemplo dr.lee@direct.clinic.example.',
    }, { details: { field: 'to' } }),
  foreignAddress: (): ActionError =>
    new ActionError(400, 'direct-address-foreign', {
      en: "This address is not a Direct address the hospital can send records to. Ask the doctor's office for their Direct address.",
      es: 'Esta dirección no es una dirección Direct a la que el hospital pueda enviar expedientes. Pida al consultorio su dirección Direct.',
    }, { details: { field: 'to' } }),
  noDocuments: (): ActionError =>
    COMMON_ERRORS.invalidInput('documents', {
      en: 'Choose at least one document to send (at most ten), and write a note of at most 2,000 characters.',
      es: 'Elija al menos un documento para enviar (diez como máximo) y escriba una nota de 2000 caracteres como máximo.',
    }),
  tooLarge: (): ActionError =>
    new ActionError(413, 'documents-too-large', {
      en: 'These documents are too large to send together. Please send fewer at a time.',
      es: 'Estos documentos son demasiado grandes para enviarlos juntos. Envíe menos a la vez.',
    }),
} as const;

export function sendRecordsAction(deps: { readonly trustDomains: readonly string[] }): ActionDefinition<SendInput> {
  return {
    name: 'records.send-direct',
    async parse(c) {
      const parsed = Input.safeParse(await readJsonBody(c, 16 * 1024));
      if (!parsed.success) {
        if (parsed.error.issues.some((i) => i.path[0] === 'to') && !parsed.error.issues.some((i) => i.path[0] !== 'to')) throw SEND_ERRORS.malformedAddress();
        throw parsed.error.issues.some((i) => i.path[0] === 'patientId') ? COMMON_ERRORS.malformedBody() : SEND_ERRORS.noDocuments();
      }
      const address = checkDirectAddress(parsed.data.to, deps.trustDomains);
      if (!address.ok) throw address.reason === 'foreign' ? SEND_ERRORS.foreignAddress() : SEND_ERRORS.malformedAddress();
      return { patientId: parsed.data.patientId, to: address.address, note: parsed.data.note.trim(), documents: parsed.data.documents };
    },
    patientId: (input) => input.patientId,
    // Only a person who sees the record can send from it; what exactly is judged per document in run.
    permitted: (decision) => decision.level !== 'none' && decision.features.viewRecord,
    async run(ctx) {
      const attachments = await gatherAttachments({ upstream: ctx.upstream, policy: ctx.policy, access: ctx.access, choices: ctx.input.documents, now: new Date(ctx.clock.now()) });
      if (attachments.reduce((sum, a) => sum + Buffer.byteLength(a.content, 'base64'), 0) > MAX_TOTAL_BYTES) throw SEND_ERRORS.tooLarge();
      const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'records-disclosure');
      const transferId = identifier.value ?? '';
      const now = new Date(ctx.clock.now()).toISOString();
      const communication: Communication = {
        resourceType: 'Communication',
        identifier: [identifier],
        status: 'in-progress',
        category: [{ coding: [DISCLOSURE_CATEGORY] }],
        medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'EMAILWRIT', display: 'email' }] }],
        subject: { reference: `Patient/${ctx.input.patientId}` },
        topic: { text: 'Records sent to another physician' },
        sent: now,
        sender: { reference: ctx.principal.reference },
        recipient: [{ identifier: { system: 'urn:ietf:rfc:3986', value: `mailto:${ctx.input.to}` }, display: ctx.input.to }],
        payload: [
          ...attachments.map((a) => (a.source.startsWith('DocumentReference/') ? { contentReference: { reference: a.source, display: a.title } } : { contentString: a.title })),
          ...(ctx.input.note === '' ? [] : [{ contentString: `Note: ${ctx.input.note}` }]),
        ],
      };
      const written = await ctx.upstream.writeJson('POST', 'Communication', communication, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!written.ok || written.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(written.status);
      const reference = `Communication/${written.resource.id}`;
      if ((await readTransfer(ctx.store, transferId)) === undefined) {
        await saveTransfer(ctx.store, { id: transferId, subject: ctx.principal.fhirUser, patientId: ctx.input.patientId, to: ctx.input.to, note: ctx.input.note, attachments, communication: reference, createdAt: ctx.clock.now(), status: 'queued', attempts: 0 });
      }
      await ctx.store.outbox.enqueue({ dedupeKey: `direct:${transferId}`, recipient: ctx.principal.reference, to: ctx.input.to, language: 'en', template: DIRECT_TEMPLATE, params: { transfer: transferId } }, ctx.clock.now());
      return { status: 202, body: { transfer: transferId, status: 'queued', communication: reference, files: attachments.map((a) => a.filename) }, written: [reference] };
    },
  };
}

export interface SentRecordView {
  readonly transfer: string;
  readonly patientId: string;
  readonly sent: string | undefined;
  readonly to: string;
  readonly documents: readonly string[];
  readonly status: string;
  readonly attempts: number;
}

export function createRecordsTransferRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly profile: HospitalProfile; readonly logger: Logger; readonly trustDomains: readonly string[] }): Hono<GatewayEnv> {
  const routes = new Hono<GatewayEnv>();
  routes.post('/send', actionHandler(sendRecordsAction(deps), deps));

  routes.get('/sent', async (c) => {
    const upstream = c.get('upstream');
    const principal = c.get('principal');
    const family = await loadFamilyAccess(upstream, principal, { profile: deps.profile, asOf: new Date(deps.clock.now()), signal: c.req.raw.signal });
    const sent: SentRecordView[] = [];
    for (const member of family.patients) {
      const id = member.patient.id;
      if (id === undefined) continue;
      const own = new Set([principal.reference, ...(member.decision.actingAs ?? [])]);
      const disclosures = await searchAll<Communication>(upstream, `Communication?subject=${encodeURIComponent(`Patient/${id}`)}&category=${encodeURIComponent(`${DISCLOSURE_CATEGORY.system}|${DISCLOSURE_CATEGORY.code}`)}&_count=100`);
      for (const disclosure of disclosures) {
        // This person's own disclosures only: what they sent, to whom, when (no clinical text beyond the titles they chose).
        if (!own.has(disclosure.sender?.reference ?? '') || disclosure.subject?.reference !== `Patient/${id}`) continue;
        if (!disclosure.category?.some((cat) => cat.coding?.some((x) => x.system === DISCLOSURE_CATEGORY.system && x.code === DISCLOSURE_CATEGORY.code))) continue;
        const transfer = disclosure.identifier?.[0]?.value ?? '';
        const record = transfer === '' ? undefined : await readTransfer(deps.store, transfer);
        sent.push({
          transfer,
          patientId: id,
          sent: disclosure.sent,
          to: disclosure.recipient?.[0]?.display ?? '',
          documents: (disclosure.payload ?? []).map((p) => p.contentReference?.display ?? p.contentString ?? '').filter((t) => t !== '' && !t.startsWith('Note: ')),
          status: record?.status ?? 'unknown',
          attempts: record?.attempts ?? 0,
        });
      }
    }
    sent.sort((a, b) => (b.sent ?? '').localeCompare(a.sent ?? ''));
    c.header('Cache-Control', 'no-store');
    return c.json({ sent });
  });

  routes.get('/directory', async (c) => {
    const endpoints = await searchAll<Endpoint>(c.get('upstream'), 'Endpoint?connection-type=direct-project&status=active&_count=100').catch(() => [] as Endpoint[]);
    const entries = endpoints
      .map((e) => ({ name: e.name ?? '', address: checkDirectAddress(e.address.replace(/^mailto:/i, ''), deps.trustDomains) }))
      .filter((e): e is { name: string; address: { ok: true; address: string } } => e.address.ok)
      .map((e) => ({ name: e.name, address: e.address.address }));
    c.header('Cache-Control', 'no-store');
    return c.json({ entries });
  });
  return routes;
}
