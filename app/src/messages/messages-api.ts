/**
 * The app's side of /api/messages (gateway/src/messages): reads, drafts, and sending. A send carries the CSRF header
 * and an Idempotency-Key made once per message: a retry (a double click, a retry after "we'll retry") re-sends the
 * same key, so the hospital never gets the message twice. Sending uses XMLHttpRequest for its upload progress.
 * Failures become MessageError with the gateway's stable code; the view shows its own sentence for it.
 */
import { currentCsrfToken, getGateway, SESSION_EXPIRED_EVENT } from '../api/gateway-client.ts';

export const ACTION_ERROR_SYSTEM = 'urn:sprout:action-error';

// The message views are the gateway's contract (gateway/src/messages/message-fhir.ts), as for the session view.
import type { MessageView, PartyView, ThreadSummary } from '../../../gateway/src/messages/message-fhir.ts';
export type { AttachmentView, MessageView, PartyView, ThreadSummary } from '../../../gateway/src/messages/message-fhir.ts';

export interface Inbox {
  readonly threads: readonly ThreadSummary[];
  readonly nextOffset?: number;
  readonly unreadCount: number;
  readonly patients: readonly { id: string; name: string; canMessage: boolean }[];
}
export interface ThreadView {
  readonly thread: { id: string; patientId: string; subject: string; canReply: boolean };
  readonly messages: readonly MessageView[];
}
export interface Draft {
  readonly id: string;
  readonly patientId?: string;
  readonly recipient?: string;
  readonly subject?: string;
  readonly body?: string;
  readonly inResponseTo?: string;
  readonly updatedAt: string;
  readonly outbox?: { status: string; idempotencyKey: string; attachmentNames: string[] };
}

export class MessageError extends Error {
  override readonly name = 'MessageError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string) {
    super(`messages request failed: ${code} (${status})`);
    this.status = status;
    this.code = code;
  }
}

const q = encodeURIComponent;

export function fetchInbox(options: { patient?: string; q?: string; offset?: number }, signal?: AbortSignal): Promise<Inbox> {
  const params = new URLSearchParams();
  if (options.patient) params.set('patient', options.patient);
  if (options.q) params.set('q', options.q);
  if (options.offset) params.set('offset', String(options.offset));
  return getGateway<Inbox>(`/api/messages?${params.toString()}`, signal);
}
export const fetchThread = (id: string, signal?: AbortSignal) => getGateway<ThreadView>(`/api/messages/threads/${q(id)}`, signal);
export const fetchRecipients = (patientId: string, signal?: AbortSignal) =>
  getGateway<{ recipients: PartyView[] }>(`/api/messages/recipients?patient=${q(patientId)}`, signal).then((b) => b.recipients);
export const fetchDrafts = (signal?: AbortSignal) => getGateway<{ drafts: Draft[] }>('/api/messages/drafts', signal).then((b) => b.drafts);
export const attachmentUrl = (messageId: string, binaryId: string) => `/api/messages/${q(messageId)}/attachments/${q(binaryId)}`;

function codeOf(status: number, body: unknown): string {
  const issue = (body as { issue?: { details?: { coding?: { system?: string; code?: string }[] } }[] } | undefined)?.issue?.[0];
  const coding = issue?.details?.coding?.find((c) => c.system === ACTION_ERROR_SYSTEM);
  if (coding?.code) return coding.code;
  if (status === 401) return 'session-expired';
  if (status === 403) return 'refused';
  if (status >= 500) return 'upstream-unavailable';
  return 'unexpected';
}

async function writeJson(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) throw new MessageError(401, 'session-expired');
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Accept-Language': document.documentElement.lang || 'en' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new MessageError(0, 'offline');
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path } }));
  if (!response.ok) throw new MessageError(response.status, codeOf(response.status, await response.json().catch(() => undefined)));
}

export interface NotificationPreference {
  readonly emailEnabled: boolean;
  readonly language: 'en' | 'es';
}
export const fetchPreference = (signal?: AbortSignal) => getGateway<NotificationPreference>('/api/notifications/preferences', signal);
export const savePreference = (preference: NotificationPreference) => writeJson('PUT', '/api/notifications/preferences', preference);

export const saveDraft = (id: string, draft: Omit<Draft, 'id' | 'updatedAt' | 'outbox'>) => writeJson('PUT', `/api/messages/drafts/${q(id)}`, draft);
export const deleteDraft = (id: string) => writeJson('DELETE', `/api/messages/drafts/${q(id)}`);

/** A fresh key per intent (a message the person decided to send). */
export function newIntentKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface SendFields {
  readonly patientId: string;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly inResponseTo?: string;
  readonly draftId?: string;
}

/** Sends; `onProgress` gets the uploaded fraction (0–1). Resolves to { id, threadId }. */
export function sendMessage(fields: SendFields, files: readonly File[], key: string, onProgress: (fraction: number) => void): Promise<{ id: string; threadId: string }> {
  const csrf = currentCsrfToken();
  if (csrf === undefined) return Promise.reject(new MessageError(401, 'session-expired'));
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  for (const file of files) form.append('attachment', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/messages');
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Idempotency-Key', key);
    xhr.setRequestHeader('Accept-Language', document.documentElement.lang || 'en');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new MessageError(0, 'offline'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = undefined;
      }
      if (xhr.status === 401) window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT, { detail: { path: '/api/messages' } }));
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as { id: string; threadId: string });
      else reject(new MessageError(xhr.status, codeOf(xhr.status, body)));
    };
    xhr.send(form);
  });
}
