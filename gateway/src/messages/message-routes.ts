/**
 * /api/messages — the messaging API behind requireSession (session + CSRF):
 *
 *   GET    /api/messages?patient=&q=&offset=&limit=   threads, newest first, with unread marks and "load more" paging
 *   GET    /api/messages/threads/:id                  one thread's messages (marks it read)
 *   GET    /api/messages/recipients?patient=          the care team this person may write to about the patient
 *   GET    /api/messages/:id/attachments/:binaryId    an attachment of a visible message (download, type re-checked)
 *   POST   /api/messages                              send (multipart; the action frame: Idempotency-Key, policy, audit)
 *   GET    /api/messages/drafts                       this person's drafts (and messages waiting to send)
 *   PUT    /api/messages/drafts/:id                   save a draft as it is typed (sealed in the store)
 *   DELETE /api/messages/drafts/:id
 *
 * Every read judges each Communication with the request's policy; reads append an audit record naming what was
 * returned and what was withheld.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { createAccessLoader, type PatientAccess } from '../access/load-access.ts';
import { ActionError, actionErrorResponse } from '../actions/action-errors.ts';
import { actionHandler, readJsonBody, type ActionDeps } from '../actions/action.ts';
import { createRequestPolicy } from '../fhir/request-policy.ts';
import type { GatewayEnv } from '../http/context.ts';
import { sniffAttachmentType } from './attachments.ts';
import { loadCareTeam } from './care-team.ts';
import { groupThreads, matchesText, type MessageView } from './message-fhir.ts';
import { MESSAGE_ERRORS } from './message-errors.ts';
import { createReadMarkers, loadMessages, toMessageView } from './mailbox.ts';
import { createPartyDirectory } from './parties.ts';
import { MAX_BODY_CHARS, MAX_SUBJECT_CHARS, sendMessageAction } from './send-message.ts';
import type { Communication } from 'fhir/r4';

const ID = /^[A-Za-z0-9.-]{1,64}$/;
const DRAFT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const PAGE = 20;

const DraftInput = z
  .object({
    patientId: z.string().regex(ID).optional(),
    recipient: z.string().max(100).optional(),
    subject: z.string().max(MAX_SUBJECT_CHARS).optional(),
    body: z.string().max(MAX_BODY_CHARS).optional(),
    inResponseTo: z.string().regex(ID).optional(),
  })
  .strict();

export function createMessageRoutes(deps: ActionDeps): Hono<GatewayEnv> {
  const { store, clock, profile } = deps;
  const routes = new Hono<GatewayEnv>();

  function requestContext(c: Context<GatewayEnv>) {
    const upstream = c.get('upstream');
    const principal = c.get('principal');
    const asOf = new Date(clock.now());
    const policy = createRequestPolicy({ upstream, principal, profile, asOf, signal: c.req.raw.signal });
    return { upstream, principal, policy, parties: createPartyDirectory(upstream, policy), asOf };
  }

  /** The patients whose messages this person may read: any relation the policy grants records or messaging for. */
  async function readablePatients(c: Context<GatewayEnv>, only?: string): Promise<PatientAccess[]> {
    const family = await createAccessLoader(c.get('upstream'), c.get('principal'), { profile, asOf: new Date(clock.now()), signal: c.req.raw.signal }).family();
    return family.patients.filter((p) => (p.decision.level !== 'none' || p.decision.features.messages) && (only === undefined || p.decision.patient === `Patient/${only}`));
  }

  async function audit(c: Context<GatewayEnv>, action: string, patient: string | undefined, returned: readonly string[], withheld: readonly string[]) {
    await store.audit.append({
      id: randomUUID(),
      recorded: new Date(clock.now()).toISOString(),
      requestId: c.get('requestId'),
      actor: c.get('principal').fhirUser,
      ...(patient === undefined ? {} : { patient }),
      action,
      query: `${c.req.method} ${new URL(c.req.url).pathname}`,
      outcome: withheld.length > 0 ? 'filtered' : 'allowed',
      returned,
      withheld,
      reasons: [],
    });
  }

  routes.get('/', async (c) => {
    const patientFilter = c.req.query('patient');
    if (patientFilter !== undefined && !ID.test(patientFilter)) return c.json({ threads: [], patients: [] });
    const offset = Math.max(0, Math.min(100_000, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0));
    const limit = Math.max(1, Math.min(100, Number.parseInt(c.req.query('limit') ?? `${PAGE}`, 10) || PAGE));
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const ctx = requestContext(c);
    const patients = await readablePatients(c, patientFilter);
    const messages = await loadMessages(ctx, patients);
    const byThread = new Map<string, MessageView[]>();
    for (const m of messages) byThread.set(m.threadId, [...(byThread.get(m.threadId) ?? []), m]);
    const matching = messages.filter((m) => matchesText(byThread.get(m.threadId) ?? [], q));
    const read = await createReadMarkers(store.drafts, ctx.principal, clock).load();
    const threads = groupThreads(matching, (id) => read.get(id));
    const page = threads.slice(offset, offset + limit);
    await audit(c, 'messages-inbox', patientFilter === undefined ? undefined : `Patient/${patientFilter}`, page.map((t) => `Communication/${t.id}`), []);
    c.header('Cache-Control', 'no-store');
    return c.json({
      threads: page,
      ...(offset + limit < threads.length ? { nextOffset: offset + limit } : {}),
      unreadCount: threads.filter((t) => t.unread).length,
      patients: patients.map((p) => ({ id: p.decision.patient.slice('Patient/'.length), name: p.patient.name?.[0] === undefined ? '' : [...(p.patient.name[0].given ?? []), p.patient.name[0].family].filter(Boolean).join(' '), canMessage: p.decision.features.messages })),
    });
  });

  routes.get('/threads/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const ctx = requestContext(c);
    const root = await ctx.upstream.getJson(`Communication/${id}`);
    if (!root.ok || root.resource.resourceType !== 'Communication') return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const rootJudgement = await ctx.policy.judge(root.resource);
    if (!rootJudgement.show || rootJudgement.access === undefined) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const patientId = rootJudgement.access.decision.patient.slice('Patient/'.length);
    const replies = await ctx.upstream.getJson(`Communication?subject=Patient/${encodeURIComponent(patientId)}&_count=200&_sort=sent`);
    const candidates = [root.resource as Communication, ...(replies.ok && replies.resource.resourceType === 'Bundle' ? (replies.resource.entry ?? []).map((e) => e.resource as Communication) : [])]
      .filter((r, i, all) => r?.resourceType === 'Communication' && all.findIndex((o) => o.id === r.id) === i)
      .filter((r) => r.id === id || r.inResponseTo?.some((ref) => ref.reference === `Communication/${id}`));
    const messages: MessageView[] = [];
    const withheld: string[] = [];
    for (const communication of candidates) {
      const judgement = await ctx.policy.judge(communication);
      const view = judgement.show ? await toMessageView(communication, rootJudgement.access, ctx.parties) : undefined;
      if (view === undefined) withheld.push(`Communication/${communication.id ?? ''}`);
      else messages.push(view);
    }
    messages.sort((a, b) => a.sent.localeCompare(b.sent));
    if (messages.length === 0) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const last = messages[messages.length - 1]!;
    await createReadMarkers(store.drafts, ctx.principal, clock).markRead(id, last.sent);
    await audit(c, 'messages-thread', `Patient/${patientId}`, messages.map((m) => `Communication/${m.id}`), withheld);
    c.header('Cache-Control', 'no-store');
    return c.json({ thread: { id, patientId, subject: messages[0]!.subject, canReply: rootJudgement.access.decision.features.messages }, messages });
  });

  routes.get('/recipients', async (c) => {
    const patientId = c.req.query('patient') ?? '';
    if (!ID.test(patientId)) return c.json({ recipients: [] });
    const ctx = requestContext(c);
    const access = await ctx.policy.accessFor(patientId);
    if (access === undefined || !access.decision.features.messages) return c.json({ recipients: [] });
    const recipients = await loadCareTeam({ upstream: ctx.upstream, policy: ctx.policy, profile, parties: ctx.parties, access });
    c.header('Cache-Control', 'no-store');
    return c.json({ recipients });
  });

  routes.get('/drafts', async (c) => {
    const drafts = await store.drafts.list(c.get('principal').fhirUser, 'message');
    c.header('Cache-Control', 'no-store');
    return c.json({ drafts: drafts.map((d) => ({ id: d.id, updatedAt: new Date(d.updatedAt).toISOString(), ...(d.data as object) })) });
  });

  routes.put('/drafts/:id', async (c) => {
    const id = c.req.param('id');
    try {
      if (!DRAFT_ID.test(id)) throw new ActionError(400, 'invalid-input', { en: 'This draft could not be saved.', es: 'No se pudo guardar este borrador.' });
      const parsed = DraftInput.safeParse(await readJsonBody(c, 64 * 1024));
      if (!parsed.success) throw new ActionError(400, 'invalid-input', { en: 'This draft could not be saved.', es: 'No se pudo guardar este borrador.' });
      const owner = c.get('principal').fhirUser;
      const previous = await store.drafts.get(owner, id);
      const outbox = (previous?.data as { outbox?: unknown } | undefined)?.outbox;
      await store.drafts.put({ owner, id, kind: 'message', updatedAt: clock.now(), data: { ...parsed.data, ...(outbox === undefined ? {} : { outbox }) } });
      c.header('Cache-Control', 'no-store');
      return c.json({ id, savedAt: new Date(clock.now()).toISOString() });
    } catch (error) {
      if (error instanceof ActionError) return actionErrorResponse(c, error);
      throw error;
    }
  });

  routes.delete('/drafts/:id', async (c) => {
    const id = c.req.param('id');
    if (DRAFT_ID.test(id)) await store.drafts.delete(c.get('principal').fhirUser, id);
    return c.body(null, 204);
  });

  routes.get('/:id/attachments/:binaryId', async (c) => {
    const id = c.req.param('id');
    const binaryId = c.req.param('binaryId');
    if (!ID.test(id) || !ID.test(binaryId)) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const ctx = requestContext(c);
    const found = await ctx.upstream.getJson(`Communication/${id}`);
    if (!found.ok || found.resource.resourceType !== 'Communication') return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const judgement = await ctx.policy.judge(found.resource);
    const attachment = (found.resource as Communication).payload?.find((p) => p.contentAttachment?.url === `Binary/${binaryId}`)?.contentAttachment;
    if (!judgement.show || attachment === undefined) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const response = await ctx.upstream.getRaw(`Binary/${binaryId}`, { accept: attachment.contentType ?? '*/*' });
    if (!response.ok) return actionErrorResponse(c, MESSAGE_ERRORS.threadNotFound());
    const bytes = new Uint8Array(await response.arrayBuffer());
    const type = sniffAttachmentType(bytes);
    if (type === undefined) return actionErrorResponse(c, MESSAGE_ERRORS.attachmentType(attachment.title ?? 'attachment'));
    await audit(c, 'messages-attachment', judgement.patient, [`Binary/${binaryId}`], []);
    const name = (attachment.title ?? 'attachment').replace(/[^\w.\- ]/g, '_');
    return c.body(bytes, 200, {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  routes.post('/', actionHandler(sendMessageAction, deps));
  return routes;
}
