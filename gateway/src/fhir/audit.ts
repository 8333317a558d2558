/**
 * The facade's audit trail: one AuditRecord per request (maps to FHIR AuditEvent — agent = actor, entity = patient +
 * returned/withheld references, outcome, recorded, source = requestId), and the patient-facing view of it.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecord, Store } from '../store/types.ts';

/** Collects what one request returned and withheld, and why, per patient. */
export class AuditTally {
  readonly returned = new Set<string>();
  readonly withheld = new Set<string>();
  readonly reasons = new Set<string>();
  readonly patients = new Set<string>();
  /** The patient each returned / withheld reference belongs to (undefined: shared records, Binaries not yet placed). */
  readonly patientOf = new Map<string, string | undefined>();

  recordReturned(reference: string | undefined, patient: string | undefined, reason: string): void {
    if (reference !== undefined) {
      this.returned.add(reference);
      this.patientOf.set(reference, patient);
    }
    if (patient !== undefined) this.patients.add(patient);
    this.reasons.add(reason);
  }

  recordWithheld(reference: string | undefined, patient: string | undefined, reason: string): void {
    if (reference !== undefined) {
      this.withheld.add(reference);
      if (!this.patientOf.has(reference)) this.patientOf.set(reference, patient);
    }
    if (patient !== undefined) this.patients.add(patient);
    this.reasons.add(reason);
  }

  /** The patients at least one returned record belongs to, in the order they were first disclosed. */
  disclosedPatients(): string[] {
    const disclosed = new Set<string>();
    for (const reference of this.returned) {
      const patient = this.patientOf.get(reference);
      if (patient !== undefined) disclosed.add(patient);
    }
    return [...disclosed];
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

/**
 * The audit rows of one request: one per patient whose records it disclosed, each listing that patient's returned and
 * withheld records (plus the shared records returned with them), so every patient's "who viewed" list is complete.
 * A request that disclosed records of at most one patient gives one row, as before.
 */
export function buildAuditRecords(input: AuditInput): AuditRecord[] {
  const { tally } = input;
  const disclosed = tally.disclosedPatients();
  if (disclosed.length <= 1) return [buildAuditRecord(input)];
  const shared = [...tally.returned].filter((reference) => tally.patientOf.get(reference) === undefined);
  return disclosed.map((patient, index) =>
    auditRow(input, patient, [...[...tally.returned].filter((reference) => tally.patientOf.get(reference) === patient), ...shared], [
      ...tally.withheld,
    ].filter((reference) => {
      const owner = tally.patientOf.get(reference);
      return owner === patient || (owner === undefined && index === 0);
    })),
  );
}

/** One row for the whole request (the patient it named, or the only patient it touched). */
export function buildAuditRecord(input: AuditInput): AuditRecord {
  const { tally } = input;
  const patients = [...tally.patients];
  const patient = input.askedPatient ?? (patients.length === 1 ? patients[0] : tally.disclosedPatients().length === 1 ? tally.disclosedPatients()[0] : undefined);
  return auditRow(input, patient, [...tally.returned], [...tally.withheld]);
}

function auditRow(input: AuditInput, patient: string | undefined, returned: string[], withheld: string[]): AuditRecord {
  const outcome = input.failed ?? (withheld.length > 0 ? 'filtered' : 'allowed');
  return {
    id: randomUUID(),
    recorded: new Date(input.recorded).toISOString(),
    requestId: input.requestId,
    actor: input.actor,
    ...(patient === undefined ? {} : { patient }),
    action: input.action,
    query: input.query,
    outcome,
    returned,
    withheld,
    reasons: [...input.tally.reasons].sort(),
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
