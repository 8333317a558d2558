/**
 * The "send a message" action (gateway/src/actions frame): a multipart form with the patient, a recipient from that
 * patient's care team, a subject (new threads), the text, and up to five attachments. In the EHR it becomes a
 * Communication (conditional create on the action identifier), one Binary per attachment whose securityContext is
 * that Communication, then the Communication completed with its attachments (versioned update). If the EHR cannot
 * be reached the message text stays as a server-side draft marked "waiting to send" and the answer says we'll retry
 * (the browser retries with the same Idempotency-Key, so the message is never sent twice).
 */
import type { Binary, Communication } from 'fhir/r4';
import type { Context } from 'hono';
import { ActionError, COMMON_ERRORS } from '../actions/action-errors.ts';
import type { ActionContext, ActionDefinition, ActionResult } from '../actions/action.ts';
import { actionIdentifier, ifNoneExistFor } from '../actions/idempotency-key.ts';
import { UpstreamError } from '../fhir/upstream.ts';
import type { GatewayEnv } from '../http/context.ts';
import { checkAttachments, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type CheckedAttachment } from './attachments.ts';
import { loadCareTeam } from './care-team.ts';
import { MESSAGE_ERRORS } from './message-errors.ts';
import { newCommunication, relativeId, threadIdOf } from './message-fhir.ts';
import { createPartyDirectory } from './parties.ts';

export const MAX_BODY_CHARS = 10_000;
export const MAX_SUBJECT_CHARS = 200;
const MAX_REQUEST_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;
const ID = /^[A-Za-z0-9.-]{1,64}$/;
const DRAFT_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface SendInput {
  readonly patientId: string;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly inResponseTo?: string;
  readonly draftId?: string;
  readonly attachments: readonly CheckedAttachment[];
}

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function parseSendForm(c: Context<GatewayEnv>): Promise<SendInput> {
  const declared = Number(c.req.header('Content-Length') ?? '0');
  if (declared > MAX_REQUEST_BYTES) throw COMMON_ERRORS.tooLarge();
  if (!/^multipart\/form-data/i.test(c.req.header('Content-Type') ?? '')) throw COMMON_ERRORS.malformedBody();
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw COMMON_ERRORS.malformedBody();
  }
  const patientId = text(form, 'patientId');
  if (!ID.test(patientId)) throw COMMON_ERRORS.malformedBody();
  const inResponseTo = text(form, 'inResponseTo');
  if (inResponseTo !== '' && !ID.test(inResponseTo)) throw COMMON_ERRORS.malformedBody();
  const draftId = text(form, 'draftId');
  if (draftId !== '' && !DRAFT_ID.test(draftId)) throw COMMON_ERRORS.malformedBody();
  const body = text(form, 'body').replace(/\r\n/g, '\n').trim();
  if (body === '') throw MESSAGE_ERRORS.emptyBody();
  if (body.length > MAX_BODY_CHARS) throw MESSAGE_ERRORS.bodyTooLong();
  const subject = text(form, 'subject').replace(/\s+/g, ' ').trim();
  if (inResponseTo === '' && subject === '') throw MESSAGE_ERRORS.emptySubject();
  if (subject.length > MAX_SUBJECT_CHARS) throw MESSAGE_ERRORS.emptySubject();
  const recipient = text(form, 'recipient');
  if (!/^(Practitioner|PractitionerRole)\/[A-Za-z0-9.-]{1,64}$/.test(recipient)) throw MESSAGE_ERRORS.noRecipient();
  const files = form.getAll('attachment').filter((f): f is File => typeof f !== 'string');
  if (files.length > MAX_ATTACHMENTS) throw MESSAGE_ERRORS.tooManyAttachments();
  const loaded = await Promise.all(files.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
  const checked = checkAttachments(loaded);
  if (!Array.isArray(checked)) {
    switch (checked.problem) {
      case 'too-many':
        throw MESSAGE_ERRORS.tooManyAttachments();
      case 'too-large':
        throw MESSAGE_ERRORS.attachmentTooLarge(checked.name);
      case 'unsupported-type':
        throw MESSAGE_ERRORS.attachmentType(checked.name);
      case 'empty':
        throw MESSAGE_ERRORS.attachmentEmpty(checked.name);
    }
  }
  return {
    patientId,
    recipient,
    subject,
    body,
    attachments: checked,
    ...(inResponseTo === '' ? {} : { inResponseTo }),
    ...(draftId === '' ? {} : { draftId }),
  };
}

/** Whom the principal writes as, about this patient: their own Patient, or the RelatedPerson grant for this patient. */
export function senderFor(ctx: Pick<ActionContext<unknown>, 'principal' | 'access'>): string {
  if (ctx.principal.kind === 'Patient' || ctx.principal.kind === 'RelatedPerson') return ctx.principal.reference;
  return (ctx.access.decision.actingAs ?? []).find((r) => r.startsWith('RelatedPerson/')) ?? ctx.principal.reference;
}

async function send(ctx: ActionContext<SendInput>): Promise<ActionResult> {
  const { input, upstream, policy } = ctx;
  const parties = createPartyDirectory(upstream, policy);
  let subject = input.subject;
  let threadRoot: string | undefined;
  if (input.inResponseTo !== undefined) {
    const parent = await upstream.getJson(`Communication/${input.inResponseTo}`);
    if (!parent.ok || parent.resource.resourceType !== 'Communication') throw MESSAGE_ERRORS.threadNotFound();
    const root = parent.resource as Communication;
    const judgement = await policy.judge(root);
    if (!judgement.show || relativeId(root.subject?.reference, 'Patient') !== input.patientId) throw MESSAGE_ERRORS.threadNotFound();
    threadRoot = threadIdOf(root);
    subject = root.topic?.text ?? subject;
    const threadParties = [root.sender?.reference, ...(root.recipient ?? []).map((r) => r.reference)];
    if (!threadParties.includes(input.recipient)) {
      const team = await loadCareTeam({ upstream, policy, profile: ctx.profile, parties, access: ctx.access });
      if (!team.some((p) => p.reference === input.recipient)) throw MESSAGE_ERRORS.noRecipient();
    }
  } else {
    const team = await loadCareTeam({ upstream, policy, profile: ctx.profile, parties, access: ctx.access });
    if (!team.some((p) => p.reference === input.recipient)) throw MESSAGE_ERRORS.noRecipient();
  }

  const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'communication');
  const draft = newCommunication({
    patientId: input.patientId,
    sender: senderFor(ctx),
    recipient: input.recipient,
    subject,
    body: input.body,
    sent: new Date(ctx.clock.now()).toISOString(),
    identifier,
    ...(threadRoot === undefined ? {} : { inResponseTo: threadRoot }),
  });
  const created = await upstream.writeJson('POST', 'Communication', draft, { ifNoneExist: ifNoneExistFor(identifier) });
  if (!created.ok || created.resource.resourceType !== 'Communication' || created.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(created.status);
  let communication = created.resource as Communication;
  const reference = `Communication/${communication.id}`;
  const written = [reference];
  if (communication.status !== 'completed') {
    const payload = [...(communication.payload ?? []).filter((p) => p.contentAttachment === undefined)];
    for (const attachment of input.attachments) {
      const binary: Binary = {
        resourceType: 'Binary',
        contentType: attachment.contentType,
        securityContext: { reference },
        data: Buffer.from(attachment.data).toString('base64'),
      };
      const stored = await upstream.writeJson('POST', 'Binary', binary);
      if (!stored.ok || stored.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(stored.status);
      written.push(`Binary/${stored.resource.id}`);
      payload.push({ contentAttachment: { url: `Binary/${stored.resource.id}`, contentType: attachment.contentType, title: attachment.name, size: attachment.data.byteLength } });
    }
    const version = communication.meta?.versionId;
    const completed = await upstream.writeJson('PUT', reference, { ...communication, status: 'completed', payload }, version === undefined ? {} : { ifMatch: `W/"${version}"` });
    if (!completed.ok) throw COMMON_ERRORS.upstreamRefused(completed.status);
    communication = completed.resource as Communication;
  }
  if (input.draftId !== undefined) await ctx.store.drafts.delete(ctx.principal.fhirUser, input.draftId);
  return {
    status: 201,
    body: { status: 'sent', id: communication.id, threadId: threadIdOf(communication) },
    written,
  };
}

export const sendMessageAction: ActionDefinition<SendInput> = {
  name: 'messages.send',
  parse: parseSendForm,
  patientId: (input) => input.patientId,
  permitted: (decision) => decision.features.messages,
  fingerprint: (input) => ({ ...input, draftId: undefined }),
  async run(ctx) {
    try {
      return await send(ctx);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.failure === 'unauthorized') throw error;
      // The EHR is down: keep the words (not the files) server-side, marked waiting, and say we'll retry.
      const draftId = ctx.input.draftId ?? `outbox-${ctx.idempotencyKey.slice(0, 40)}`;
      await ctx.store.drafts.put({
        owner: ctx.principal.fhirUser,
        id: draftId,
        kind: 'message',
        updatedAt: ctx.clock.now(),
        data: {
          patientId: ctx.input.patientId,
          recipient: ctx.input.recipient,
          subject: ctx.input.subject,
          body: ctx.input.body,
          ...(ctx.input.inResponseTo === undefined ? {} : { inResponseTo: ctx.input.inResponseTo }),
          outbox: { status: 'waiting', idempotencyKey: ctx.idempotencyKey, lastError: error.failure, attachmentNames: ctx.input.attachments.map((a) => a.name) },
        },
      });
      throw new ActionError(503, 'saved-will-retry', MESSAGE_ERRORS.savedWillRetry(error).text, { cause: error, details: { draftId } });
    }
  },
};
