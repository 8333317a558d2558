/**
 * Which parts of the child's record the page offers, given the policy's access level. This is presentation only:
 * the gateway enforces the same rules on every /fhir request, so a section shown here by mistake would still come
 * back empty — but we never offer a section the decision does not permit, and never request its data.
 */
import type { AccessLevel } from '../../../gateway/src/policy/types.ts';

export const RECORD_SECTIONS = ['summary', 'results', 'imaging', 'visits', 'documents', 'appointments', 'print'] as const;
export type RecordSection = (typeof RECORD_SECTIONS)[number];

/** The parts of the summary (and of the print view) that can be switched on or off by the access level. */
export const SUMMARY_PARTS = ['conditions', 'allergies', 'medications', 'immunizations'] as const;
export type SummaryPart = (typeof SUMMARY_PARTS)[number];

export interface RecordScope {
  readonly sections: readonly RecordSection[];
  readonly summaryParts: readonly SummaryPart[];
  /** True when the gateway shows only an allow-list, so lists carry the one generic "may not appear" note. */
  readonly partial: boolean;
}

/**
 * The allow-list view (guardian of a 12–17 year old under ca-adolescent-split, policy.md "Profiles"): allergies,
 * immunizations, medications, appointments and non-confidential documents. Health issues, results, imaging and
 * visits are not offered at all.
 */
const SCOPE_BY_LEVEL: Record<AccessLevel, RecordScope> = {
  full: { sections: RECORD_SECTIONS, summaryParts: SUMMARY_PARTS, partial: false },
  'allow-listed': {
    sections: ['summary', 'documents', 'appointments', 'print'],
    summaryParts: ['allergies', 'medications', 'immunizations'],
    partial: true,
  },
  none: { sections: [], summaryParts: [], partial: true },
};

/** Deny by default: an unknown level (a newer gateway, a corrupted session view) offers nothing. */
export function scopeForLevel(level: string | undefined): RecordScope {
  switch (level) {
    case 'full':
    case 'allow-listed':
    case 'none':
      return SCOPE_BY_LEVEL[level];
    default:
      return SCOPE_BY_LEVEL.none;
  }
}

export function isRecordSection(value: string | null | undefined): value is RecordSection {
  return (RECORD_SECTIONS as readonly string[]).includes(value ?? '');
}

/** The section to show for a requested route segment: the requested one when permitted, else the first permitted. */
export function resolveSection(requested: string | null | undefined, scope: RecordScope): RecordSection | undefined {
  if (isRecordSection(requested) && scope.sections.includes(requested)) return requested;
  return scope.sections[0];
}
