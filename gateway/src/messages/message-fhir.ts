/**
 * Messages as FHIR, pure: the Communication a send creates, how Communications group into threads, and the views the
 * browser gets. A thread is its first message and every reply whose `inResponseTo` names that first message (replies
 * always point at the thread's root, so grouping needs no chain walking).
 */
import type { Attachment, Coding, Communication, Reference } from 'fhir/r4';

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** The label a clinician puts on a reply that is "confidential to the patient": restricted, shown to the patient only. */
export const CONFIDENTIAL_TO_PATIENT: Coding = { system: CONFIDENTIALITY_SYSTEM, code: 'R', display: 'restricted' };
export const MESSAGE_CATEGORY: Coding = { system: 'urn:sprout:communication-category', code: 'portal-message', display: 'Patient portal message' };

export interface PartyView {
  readonly reference: string;
  readonly name: string;
  /** "Pediatrics" — from the practitioner's PractitionerRole, when there is one. */
  readonly role?: string;
}

export interface AttachmentView {
  readonly binaryId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size?: number;
}

export interface MessageView {
  readonly id: string;
  readonly threadId: string;
  readonly patientId: string;
  /** ISO instant. */
  readonly sent: string;
  readonly sender: PartyView;
  readonly recipients: readonly PartyView[];
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly AttachmentView[];
  readonly confidential: boolean;
  readonly fromMe: boolean;
}

export interface ThreadSummary {
  readonly id: string;
  readonly patientId: string;
  readonly subject: string;
  readonly lastSent: string;
  readonly lastSender: PartyView;
  readonly preview: string;
  readonly messageCount: number;
  readonly unread: boolean;
  readonly hasAttachments: boolean;
}

export function relativeId(reference: string | undefined, type: string): string | undefined {
  if (reference === undefined) return undefined;
  const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$`).exec(reference);
  return match?.[1];
}

export function threadIdOf(communication: Communication): string {
  const root = communication.inResponseTo?.[0]?.reference;
  return relativeId(root, 'Communication') ?? communication.id ?? '';
}

export function isConfidentialToPatient(communication: Communication): boolean {
  return (communication.meta?.security ?? []).some((l) => l.system === CONFIDENTIALITY_SYSTEM && (l.code === 'R' || l.code === 'V'));
}

export function sentAt(communication: Communication): string {
  return communication.sent ?? communication.meta?.lastUpdated ?? '1970-01-01T00:00:00Z';
}

export function bodyOf(communication: Communication): string {
  return (communication.payload ?? [])
    .map((p) => p.contentString)
    .filter((s): s is string => typeof s === 'string')
    .join('\n\n');
}

export function attachmentsOf(communication: Communication): AttachmentView[] {
  const views: AttachmentView[] = [];
  for (const payload of communication.payload ?? []) {
    const attachment: Attachment | undefined = payload.contentAttachment;
    const binaryId = relativeId(attachment?.url, 'Binary');
    if (attachment === undefined || binaryId === undefined) continue;
    views.push({ binaryId, name: attachment.title ?? 'attachment', contentType: attachment.contentType ?? 'application/octet-stream', ...(attachment.size === undefined ? {} : { size: attachment.size }) });
  }
  return views;
}

/** The new Communication of a send, before its attachments exist (they are added once their Binaries are stored). */
export function newCommunication(input: {
  readonly patientId: string;
  readonly sender: string;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly sent: string;
  readonly inResponseTo?: string;
  readonly identifier: { system?: string; value?: string };
  readonly confidential?: boolean;
}): Communication {
  return {
    resourceType: 'Communication',
    ...(input.confidential === true ? { meta: { security: [CONFIDENTIAL_TO_PATIENT] } } : {}),
    identifier: [input.identifier],
    status: 'in-progress',
    category: [{ coding: [MESSAGE_CATEGORY] }],
    subject: { reference: `Patient/${input.patientId}` },
    ...(input.inResponseTo === undefined ? {} : { inResponseTo: [{ reference: `Communication/${input.inResponseTo}` } satisfies Reference] }),
    topic: { text: input.subject },
    sent: input.sent,
    sender: { reference: input.sender },
    recipient: [{ reference: input.recipient }],
    payload: [{ contentString: input.body }],
  };
}

/** Threads, newest activity first; `unread` when the newest message not from this person is newer than what they read. */
export function groupThreads(messages: readonly MessageView[], readUpTo: (threadId: string) => string | undefined): ThreadSummary[] {
  const byThread = new Map<string, MessageView[]>();
  for (const message of messages) {
    const list = byThread.get(message.threadId) ?? [];
    list.push(message);
    byThread.set(message.threadId, list);
  }
  const threads: ThreadSummary[] = [];
  for (const [id, list] of byThread) {
    list.sort((a, b) => a.sent.localeCompare(b.sent));
    const first = list[0]!;
    const last = list[list.length - 1]!;
    const read = readUpTo(id);
    const newestFromOthers = [...list].reverse().find((m) => !m.fromMe);
    threads.push({
      id,
      patientId: first.patientId,
      subject: first.subject,
      lastSent: last.sent,
      lastSender: last.sender,
      preview: last.body.slice(0, 140),
      messageCount: list.length,
      unread: newestFromOthers !== undefined && (read === undefined || newestFromOthers.sent > read),
      hasAttachments: list.some((m) => m.attachments.length > 0),
    });
  }
  return threads.sort((a, b) => b.lastSent.localeCompare(a.lastSent) || a.id.localeCompare(b.id));
}

/** Text search over the threads' messages (case- and accent-insensitive). */
export function matchesText(messages: readonly MessageView[], query: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const needle = fold(query.trim());
  if (needle === '') return true;
  return messages.some((m) => fold(`${m.subject}\n${m.body}\n${m.sender.name}`).includes(needle));
}
