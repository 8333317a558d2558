/**
 * SessionView fixtures in the shape GET /api/session returns (gateway/src/api/session-view.ts), one child per
 * access state the dashboard must explain. Birth dates are relative to today so the ages never go stale.
 */
import { availableActionsFor, SERVED_ACTION_KINDS, type ServedActionKind } from '../../../gateway/src/actions/available.ts';
import type { AccessFeatures, SessionPatientView, SessionView } from '../../../app/src/api/session.ts';

/**
 * The actions the fixtures' gateway serves (the real gateway's registry, gateway/src/actions/available.ts). Every
 * fixture's `availableActions` is computed from it exactly as GET /api/session does; `withServed` re-derives them for
 * a deployment that serves less.
 */
export const ALL_SERVED: readonly ServedActionKind[] = SERVED_ACTION_KINDS;

export function withServed(session: SessionView, served: readonly ServedActionKind[]): SessionView {
  return {
    ...session,
    patients: session.patients.map((patient) => ({ ...patient, availableActions: availableActionsFor(patient.access.features, served) })),
  };
}

const ALL_FEATURES: AccessFeatures = { viewRecord: true, messages: true, appointmentRequests: true, renewals: true, bills: 'full' };
const TEEN_FEATURES: AccessFeatures = { viewRecord: false, messages: true, appointmentRequests: true, renewals: false, bills: 'balance-only' };
const NO_FEATURES: AccessFeatures = { viewRecord: false, messages: false, appointmentRequests: false, renewals: false, bills: 'none' };

/** YYYY-MM-DD for `today` shifted by whole years/months/days (UTC calendar arithmetic). */
export function dateFromToday(today: Date, shift: { years?: number; months?: number; days?: number }): string {
  const date = new Date(Date.UTC(today.getUTCFullYear() - (shift.years ?? 0), today.getUTCMonth() - (shift.months ?? 0), today.getUTCDate() - (shift.days ?? 0)));
  return date.toISOString().slice(0, 10);
}

function child(
  id: string,
  name: string,
  birthDate: string,
  access: Partial<SessionPatientView['access']> & Pick<SessionPatientView['access'], 'level' | 'messageKey'>,
  relationship: SessionPatientView['relationship'] = 'guardian',
): SessionPatientView {
  const features = access.features ?? ALL_FEATURES;
  return {
    id,
    name,
    birthDate,
    relationship,
    access: { features, ...access },
    availableActions: availableActionsFor(features, ALL_SERVED),
  };
}

export interface FamilyFixture {
  readonly session: SessionView;
  /** The day the 12-year-old-to-be loses online access, YYYY-MM-DD. */
  readonly twelfthBirthday: string;
}

/** `now` fixes the calendar day for birth dates; the idle deadline is always 20 minutes from the real clock. */
export function familySession(now: Date = new Date(), overrides: Partial<SessionView> = {}): FamilyFixture {
  const twelfthBirthday = dateFromToday(now, { days: -5 });
  const patients: SessionPatientView[] = [
    child('infant-1', 'Lucía Ramírez', dateFromToday(now, { days: 20 }), { level: 'full', messageKey: 'access.guardian.full' }),
    child('toddler-1', 'Mateo Ramírez', dateFromToday(now, { months: 5, days: 3 }), { level: 'full', messageKey: 'access.guardian.full' }),
    child('school-1', 'Sofía Ramírez', dateFromToday(now, { years: 7, days: 10 }), { level: 'full', messageKey: 'access.guardian.full' }),
    child('almost12-1', 'Diego Ramírez', dateFromToday(now, { years: 12, days: -5 }), {
      level: 'full',
      messageKey: 'access.guardian.full',
      nextChange: { localDate: twelfthBirthday, level: 'none', messageKey: 'access.guardian.teen-messaging-only' },
    }),
    child('teen-1', 'Valentina Ramírez', dateFromToday(now, { years: 14, days: 40 }), {
      level: 'none',
      messageKey: 'access.guardian.teen-messaging-only',
      features: TEEN_FEATURES,
      // No access now and none at 18 either: the card must say what changes, not that access "ends".
      nextChange: { localDate: dateFromToday(now, { years: -3, days: -40 }), level: 'none', messageKey: 'access.guardian.adult-patient' },
    }),
    child('teen-2', 'Camila Ramírez', dateFromToday(now, { years: 15, days: 2 }), {
      level: 'allow-listed',
      messageKey: 'access.guardian.teen-allow-list',
      features: { ...TEEN_FEATURES, viewRecord: true },
    }),
    child('adult-1', 'Andrés Ramírez', dateFromToday(now, { years: 20, days: 90 }), { level: 'full', messageKey: 'access.conservator.full' }, 'conservator'),
    child('inactive-1', 'Tomás Ramírez', dateFromToday(now, { years: 9, days: 1 }), { level: 'none', messageKey: 'access.not-active', features: NO_FEATURES }),
    child('deceased-1', 'Elena Ramírez', dateFromToday(now, { years: 4, days: 1 }), { level: 'none', messageKey: 'access.deceased.contact-him', features: NO_FEATURES }),
  ];
  const session: SessionView = {
    signedIn: true,
    user: { name: 'María Ramírez', fhirUser: 'https://ehr.example/fhir/Person/maria', kind: 'Person' },
    patients,
    needPatientBanner: true,
    openServerMode: false,
    profile: { id: 'ca-strict', timeZone: 'America/Los_Angeles', himPhone: '(714) 509-8460', hospitalName: 'Sprout Children’s Hospital' },
    idleExpiresAt: Date.now() + 20 * 60_000,
    idleTimeoutSeconds: 1200,
    csrfToken: 'csrf-token-for-tests-0123456789',
    ...overrides,
  };
  return { session, twelfthBirthday };
}
