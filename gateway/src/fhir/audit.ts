/**
 * The facade's audit trail: one AuditRecord per request (maps to FHIR AuditEvent — agent = actor, entity = patient +
 * returned/withheld references, outcome, recorded, source = requestId), and the patient-facing view of it.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecord, Store } from '../store/types.ts';

/** Collects what one request returned and withheld, and why. */
export class AuditTally {
  readonly returned = new Set<string>();
  readonly withheld = new Set<string>();
  readonly reasons = new Set<string>();
  readonly patients = new Set<string>();

  recordReturned(reference: string | undefined, patient: string | undefined, reason: string): void {
    if (reference !== undefined) this.returned.add(reference);
    if (patient !== undefined) this.patients.add(patient);
    this.reasons.add(reason);
  }

  recordWithheld(reference: string | undefined, patient: string | undefined, reason: string): void {
    if (reference !== undefined) this.withheld.add(reference);
    if (patient !== undefined) this.patients.add(patient);
    this.reasons.add(reason);
  }
}

export interface AuditInput {
  readonly recorded: number;
  readonly requestId: string;
  readonly actor: string;
  readonly action: string;
  readonly query: string;
  readonly failed: 'denied' | 'error' | undefined;
  /** The patient the request named (compartment or patient parameter), when there was exactly one. */
  readonly askedPatient: string | undefined;
  readonly tally: AuditTally;
}

export function buildAuditRecord(input: AuditInput): AuditRecord {
  const { tally } = input;
  const outcome = input.failed ?? (tally.withheld.size > 0 ? 'filtered' : 'allowed');
  const patients = [...tally.patients];
  const patient = input.askedPatient ?? (patients.length === 1 ? patients[0] : undefined);
  return {
    id: randomUUID(),
    recorded: new Date(input.recorded).toISOString(),
    requestId: input.requestId,
    actor: input.actor,
    ...(patient === undefined ? {} : { patient }),
    action: input.action,
    query: input.query,
    outcome,
    returned: [...tally.returned],
    withheld: [...tally.withheld],
    reasons: [...tally.reasons].sort(),
  };
}

/** One line of "who viewed this record" for the family. Never carries what was withheld, nor the query text. */
export interface RecordView {
  /** fhirUser of the person who viewed. */
  readonly actor: string;
  /** ISO 8601 instant. */
  readonly recorded: string;
  /** read | vread | history | search | batch | binary */
  readonly action: string;
  /** How many records were shown in that request. */
  readonly recordsShown: number;
}

/**
 * The patient-facing part of the audit trail: requests that showed at least one record of this patient, newest first.
 * @param patient "Patient/<id>"
 */
export async function listRecordViews(store: Store, patient: string, options?: { limit?: number }): Promise<readonly RecordView[]> {
  const records = await store.audit.listForPatient(patient, options?.limit === undefined ? undefined : { limit: options.limit });
  return records
    .filter((record) => (record.outcome === 'allowed' || record.outcome === 'filtered') && record.returned.length > 0)
    .map((record) => ({ actor: record.actor, recorded: record.recorded, action: record.action, recordsShown: record.returned.length }));
}
