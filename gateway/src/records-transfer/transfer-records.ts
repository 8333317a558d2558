/**
 * A records transfer as the gateway keeps it until (and after) the Direct message leaves: who sent what to whom, the
 * files, the delivery status. Sealed in the store's drafts table under a system owner (no new table), keyed by the
 * transfer id; the FHIR Communication in the EHR is the disclosure record, this is the message and its delivery.
 */
import type { Store } from '../store/types.ts';
import type { OutgoingAttachment } from './documents.ts';

export const TRANSFERS_OWNER = 'urn:sprout:direct-transfers';
export const DIRECT_TEMPLATE = 'direct-records';

export type DeliveryStatus = 'queued' | 'sent' | 'retrying' | 'failed';

export interface TransferRecord {
  readonly id: string;
  /** fhirUser of the sender. */
  readonly subject: string;
  readonly patientId: string;
  readonly to: string;
  readonly note: string;
  readonly attachments: readonly OutgoingAttachment[];
  readonly communication: string;
  readonly createdAt: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly sentAt?: number;
  readonly nextAttemptAt?: number;
}

export async function saveTransfer(store: Store, record: TransferRecord): Promise<void> {
  await store.drafts.put({ owner: TRANSFERS_OWNER, id: record.id, kind: 'direct-transfer', data: record, updatedAt: record.sentAt ?? record.createdAt });
}

export async function readTransfer(store: Store, id: string): Promise<TransferRecord | undefined> {
  const draft = await store.drafts.get(TRANSFERS_OWNER, id);
  return draft?.kind === 'direct-transfer' ? (draft.data as TransferRecord) : undefined;
}
