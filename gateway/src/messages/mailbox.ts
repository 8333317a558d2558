/**
 * Reading messages: every Communication about each patient this person relates to, judged one by one by the same
 * policy as every record (createRequestPolicy → decideResource), and turned into views. Nothing the policy hides
 * reaches a view — a teen's own threads, a reply marked confidential to the patient, a message about confidential
 * care. Read state is per person: how far they have read each thread (a watermark in the store).
 */
import type { Bundle, Communication } from 'fhir/r4';
import type { PatientAccess } from '../access/load-access.ts';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Principal } from '../policy/types.ts';
import type { Clock } from '../http/clock.ts';
import type { DraftRepository } from '../store/action-types.ts';
import { attachmentsOf, bodyOf, isConfidentialToPatient, relativeId, sentAt, threadIdOf, type MessageView } from './message-fhir.ts';
import type { PartyDirectory } from './parties.ts';

/** Communications read per patient, at most (pages of 100): the inbox shows the newest threads first. */
export const MAX_MESSAGES_PER_PATIENT = 2000;

export interface MailboxDeps {
  readonly upstream: FhirUpstream;
  readonly policy: RequestPolicy;
  readonly principal: Principal;
  readonly parties: PartyDirectory;
}

async function communicationsOf(upstream: FhirUpstream, patientId: string, extra = ''): Promise<Communication[]> {
  const out: Communication[] = [];
  let next: string | undefined = `Communication?subject=Patient/${encodeURIComponent(patientId)}&_sort=-sent&_count=500${extra}`;
  while (next !== undefined && out.length < MAX_MESSAGES_PER_PATIENT) {
    const result = await upstream.getJson(next);
    if (!result.ok || result.resource.resourceType !== 'Bundle') throw new Error(`Communication search failed (${result.status})`);
    const bundle = result.resource as Bundle;
    for (const entry of bundle.entry ?? []) if (entry.resource?.resourceType === 'Communication' && entry.search?.mode !== 'include') out.push(entry.resource as Communication);
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if ((bundle.entry ?? []).length === 0) next = undefined;
  }
  return out;
}

export async function toMessageView(communication: Communication, access: PatientAccess, parties: PartyDirectory): Promise<MessageView | undefined> {
  const id = communication.id;
  const patientId = relativeId(communication.subject?.reference, 'Patient');
  const senderRef = communication.sender?.reference;
  if (id === undefined || patientId === undefined || senderRef === undefined || communication.status !== 'completed') return undefined;
  const actingAs = new Set(access.decision.actingAs ?? []);
  const recipients = (communication.recipient ?? []).map((r) => r.reference).filter((r): r is string => r !== undefined);
  const [sender, ...recipientViews] = await Promise.all([senderRef, ...recipients].map((r) => parties.party(r)));
  return {
    id,
    threadId: threadIdOf(communication),
    patientId,
    sent: sentAt(communication),
    sender: sender!,
    recipients: recipientViews,
    subject: communication.topic?.text ?? '',
    body: bodyOf(communication),
    attachments: attachmentsOf(communication),
    confidential: isConfidentialToPatient(communication),
    fromMe: actingAs.has(senderRef),
  };
}

/** The visible messages about these patients. */
export async function loadMessages(deps: MailboxDeps, patients: readonly PatientAccess[]): Promise<MessageView[]> {
  const perPatient = await Promise.all(
    patients.map(async (access) => {
      const patientId = access.decision.patient.slice('Patient/'.length);
      const communications = await communicationsOf(deps.upstream, patientId);
      deps.policy.seed(communications);
      await deps.policy.prefetch(communications);
      const views: MessageView[] = [];
      for (const communication of communications) {
        const judgement = await deps.policy.judge(communication);
        if (!judgement.show) continue;
        const view = await toMessageView(communication, access, deps.parties);
        if (view !== undefined) views.push(view);
      }
      return views;
    }),
  );
  return perPatient.flat();
}

/**
 * Read state: per person, the instant of the newest message they have seen in each thread — one sealed record per
 * person in the drafts table (kind "read-marks"), so an inbox costs one read however many threads it has. Two
 * concurrent marks may overwrite each other; the loser is a thread shown unread once more, never a leak.
 */
export const READ_MARKS_ID = 'read-marks';
export function createReadMarkers(drafts: DraftRepository, principal: Principal, clock: Clock) {
  const owner = principal.fhirUser;
  async function current(): Promise<Record<string, string>> {
    const stored = await drafts.get(owner, READ_MARKS_ID);
    return stored !== undefined && stored.kind === 'read-marks' && typeof stored.data === 'object' && stored.data !== null ? { ...(stored.data as Record<string, string>) } : {};
  }
  return {
    async load(): Promise<Map<string, string>> {
      return new Map(Object.entries(await current()));
    },
    async markRead(threadId: string, upTo: string): Promise<void> {
      const marks = await current();
      if (marks[threadId] !== undefined && marks[threadId] >= upTo) return;
      marks[threadId] = upTo;
      await drafts.put({ owner, id: READ_MARKS_ID, kind: 'read-marks', data: marks, updatedAt: clock.now() });
    },
  };
}
