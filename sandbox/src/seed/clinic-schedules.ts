/**
 * Open appointment slots for self-scheduling (issue 12): a Schedule per clinic and a week of weekday Slots from
 * tomorrow, relative to "today" like the rest of the date-shifted seed. Only clinics whose practitioner and location
 * exist in the loaded data get a schedule, so a bring-your-own seed without them gets none.
 */
import type { FhirResource, Schedule, Slot } from 'fhir/r4';

export const VISIT_TYPE_SYSTEM = 'urn:sprout:visit-type';

interface ClinicPlan {
  readonly id: string;
  readonly practitioner: string;
  readonly location: string;
  readonly name: string;
  /** Visit types offered in every slot. */
  readonly visitTypes: readonly { code: string; display: string }[];
  /** Local clinic hours as UTC hours (the sandbox's clinics are on Pacific time, UTC−8 in winter, −7 in summer). */
  readonly firstHourUtc: number;
  readonly slots: number;
}

const CLINICS: readonly ClinicPlan[] = [
  {
    id: 'general-pediatrics-shah',
    practitioner: 'priya-shah',
    location: 'general-pediatrics',
    name: 'General Pediatrics — Dr. Shah',
    visitTypes: [{ code: 'well-child', display: 'Well-child check-up' }, { code: 'follow-up', display: 'Follow-up visit' }],
    firstHourUtc: 17,
    slots: 6,
  },
  {
    id: 'endocrinology-nguyen',
    practitioner: 'linh-nguyen',
    location: 'endocrinology',
    name: 'Diabetes & Endocrinology — Dr. Nguyen',
    visitTypes: [{ code: 'follow-up', display: 'Follow-up visit' }],
    firstHourUtc: 16,
    slots: 4,
  },
];

const SLOT_MINUTES = 30;
const DAYS = 7;

/** The Schedules and free Slots for the clinics present in `existing` (resource references that were loaded). */
export function clinicSchedules(today: Date, existing: ReadonlySet<string>): FhirResource[] {
  const out: FhirResource[] = [];
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (const clinic of CLINICS) {
    if (!existing.has(`Practitioner/${clinic.practitioner}`) || !existing.has(`Location/${clinic.location}`)) continue;
    const serviceType = [{ coding: clinic.visitTypes.map((t) => ({ system: VISIT_TYPE_SYSTEM, code: t.code, display: t.display })) }];
    const schedule: Schedule = {
      resourceType: 'Schedule',
      id: clinic.id,
      active: true,
      serviceType,
      actor: [{ reference: `Practitioner/${clinic.practitioner}` }, { reference: `Location/${clinic.location}` }],
      comment: clinic.name,
    };
    out.push(schedule);
    for (let day = 1; day <= DAYS; day += 1) {
      const date = new Date(midnight + day * 86_400_000);
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
      for (let n = 0; n < clinic.slots; n += 1) {
        const start = new Date(date.getTime() + clinic.firstHourUtc * 3_600_000 + n * SLOT_MINUTES * 60_000);
        const slot: Slot = {
          resourceType: 'Slot',
          id: `${clinic.id}-${start.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`,
          schedule: { reference: `Schedule/${clinic.id}` },
          status: 'free',
          serviceType,
          start: start.toISOString(),
          end: new Date(start.getTime() + SLOT_MINUTES * 60_000).toISOString(),
        };
        out.push(slot);
      }
    }
  }
  return out;
}
