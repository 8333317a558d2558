/**
 * The turning-12 / turning-18 handover (issue 14, "beyond every portal"): ahead of a birthday on which a guardian's
 * online access narrows (the decision's `nextChange`), the family sees what changes on which date, what stays, how the
 * teen sets up their own access, and a link to print the current record while it is still shown.
 *
 * Pure rules here (which change deserves a handover, and its sentences); <sprout-child-card> renders them.
 */
import { msg, str } from '@lit/localize';
import type { AccessLevel, SessionPatientView } from '../api/session.ts';

/** How far ahead of the change the handover appears. */
export const HANDOVER_WINDOW_DAYS = 120;

const RANK: Record<AccessLevel, number> = { none: 0, 'allow-listed': 1, full: 2 };

/** Days from `today` to `date` (both YYYY-MM-DD, calendar days). */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether this child's card shows a handover: a guardian or conservator, a change ahead within the window, and
 * either less access after it, or the child becoming an adult who can have their own account.
 */
export function handoverDue(patient: SessionPatientView, today: string): boolean {
  const next = patient.access.nextChange;
  if (next === undefined) return false;
  if (patient.relationship !== 'guardian' && patient.relationship !== 'conservator') return false;
  const days = daysUntil(today, next.localDate);
  if (!(days > 0 && days <= HANDOVER_WINDOW_DAYS)) return false;
  return RANK[next.level] < RANK[patient.access.level] || next.messageKey === 'access.guardian.adult-patient';
}

/** What stays visible to the guardian after the change. */
export function whatStays(nextLevel: AccessLevel, name: string): string {
  switch (nextLevel) {
    case 'full':
      return msg(str`You will still see ${name}'s whole record online.`, { id: 'handover.stays-full' });
    case 'allow-listed':
      return msg(str`You will still see ${name}'s allergies, immunizations, medications and appointments online.`, {
        id: 'handover.stays-allow-list',
      });
    case 'none':
      return msg(
        str`Nothing is deleted: ${name}'s records stay at the hospital, and you can still ask Health Information Management for a paper copy.`,
        { id: 'handover.stays-none' },
      );
  }
}

/** How the teen (or young adult) gets their own access. */
export function ownAccessSteps(nextMessageKey: string, name: string): string {
  return nextMessageKey === 'access.guardian.adult-patient'
    ? msg(
        str`${name} can have their own Sprout account as an adult: at the next visit, ask the care team for an invitation. With ${name}'s written permission you can keep seeing the record.`,
        { id: 'handover.own-adult' },
      )
    : msg(
        str`${name} can have their own Sprout account for the parts of the record that are theirs: at the next visit, ask the care team for an invitation.`,
        { id: 'handover.own-teen' },
      );
}
