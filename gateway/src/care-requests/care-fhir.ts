/**
 * Pure FHIR pieces shared by the care requests: who the request comes from, the confidentiality label a minor's own
 * request carries, time windows checked against "now" and the booking horizon, and the codes Sprout writes.
 */
import type { Coding, Meta, Reference } from 'fhir/r4';
import { findBand, type HospitalProfile } from '../policy/profile.ts';
import type { PatientAccessDecision, Principal } from '../policy/types.ts';
import { CARE_ERRORS } from './care-errors.ts';

export const CARE_REQUEST_SYSTEM = 'urn:sprout:care-request';
export const REQUEST_REASON_SYSTEM = 'urn:sprout:request-reason';
export const COMMON_REASONS = ['check-up', 'follow-up', 'illness', 'vaccines', 'forms', 'other'] as const;
export type CommonReason = (typeof COMMON_REASONS)[number];

/** A minor's own request is confidential care (Cal. HSC 123115 / FC 6920 ff.): labelled R, never shown to a guardian. */
export const RESTRICTED: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' };

export function isMinorActingForSelf(decision: PatientAccessDecision, profile: HospitalProfile): boolean {
  if (decision.role !== 'self') return false;
  const adult = findBand(profile.selfBands, 18);
  return adult === undefined || decision.rule !== adult.id;
}

/** meta for what an action creates: restricted when a minor asks for themself. */
export function requestMeta(decision: PatientAccessDecision, profile: HospitalProfile): Meta | undefined {
  return isMinorActingForSelf(decision, profile) ? { security: [RESTRICTED] } : undefined;
}

/** The reference the request is made by: the RelatedPerson grant the principal acts through for this patient, else itself. */
export function requesterOf(principal: Principal, decision: PatientAccessDecision): Reference {
  if (decision.role === 'self') return { reference: decision.patient };
  const grant = (decision.actingAs ?? []).find((r) => r.startsWith('RelatedPerson/'));
  return { reference: grant ?? principal.reference };
}

export interface TimeWindow {
  readonly start: string;
  readonly end: string;
}

const DAY_MS = 86_400_000;

/** An ISO date-time with a zone; undefined when unreadable. */
export function instantOf(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Each window in the future, within the horizon, start before end; otherwise the matching localized error. */
export function checkWindows(windows: readonly TimeWindow[], now: number, horizonDays: number): void {
  windows.forEach((window, index) => {
    const start = instantOf(window.start);
    const end = instantOf(window.end);
    const field = `windows.${index}`;
    if (start === undefined || end === undefined || end <= start) throw CARE_ERRORS.invalid(field);
    if (start <= now) throw CARE_ERRORS.pastDate(field);
    if (start > now + horizonDays * DAY_MS) throw CARE_ERRORS.beyondHorizon(field, horizonDays);
  });
}

export function checkInstantInRange(start: number, now: number, horizonDays: number, field: string): void {
  if (start <= now) throw CARE_ERRORS.pastDate(field);
  if (start > now + horizonDays * DAY_MS) throw CARE_ERRORS.beyondHorizon(field, horizonDays);
}

export const sameCoding = (a: Coding, b: Coding): boolean => a.system === b.system && a.code === b.code;
