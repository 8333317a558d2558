/**
 * Self-scheduling, pure input and the open-slot list: a visit type the profile offers and a Slot the EHR publishes.
 * The booking itself (care-actions.ts) takes the slot with a versioned update, so two people cannot both get it.
 */
import type { Schedule, Slot } from 'fhir/r4';
import { z } from 'zod';
import { CARE_ERRORS } from './care-errors.ts';

const id = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);

export const BookingInput = z
  .object({
    patientId: id,
    slotId: id,
    visitType: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
    details: z.string().trim().max(1000).default(''),
  })
  .strict();
export type BookingInput = z.infer<typeof BookingInput>;

export function parseBooking(body: unknown): BookingInput {
  const parsed = BookingInput.safeParse(body);
  if (!parsed.success) throw CARE_ERRORS.invalid(String(parsed.error.issues[0]?.path.join('.') ?? ''));
  return parsed.data;
}

export interface OpenSlotView {
  readonly id: string;
  readonly start: string;
  readonly end: string;
  /** The schedule's own name ("General Pediatrics — Dr. Shah"): a clinic, never anything about the patient. */
  readonly clinic: string;
  readonly visitTypes: readonly string[];
}

/** Free slots in [now, now + horizon] offering the visit type, soonest first. */
export function openSlots(slots: readonly Slot[], schedules: readonly Schedule[], visitType: { system?: string; code?: string }, now: number, horizonDays: number): OpenSlotView[] {
  const names = new Map(schedules.map((s) => [`Schedule/${s.id ?? ''}`, s.comment ?? '']));
  const active = new Set(schedules.filter((s) => s.active !== false).map((s) => `Schedule/${s.id ?? ''}`));
  return slots
    .filter((s) => s.status === 'free' && active.has(s.schedule.reference ?? ''))
    .filter((s) => {
      const start = Date.parse(s.start);
      return start > now && start <= now + horizonDays * 86_400_000;
    })
    .filter((s) => (s.serviceType ?? []).some((t) => (t.coding ?? []).some((k) => k.system === visitType.system && k.code === visitType.code)))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((s) => ({
      id: s.id ?? '',
      start: s.start,
      end: s.end,
      clinic: names.get(s.schedule.reference ?? '') ?? '',
      visitTypes: (s.serviceType ?? []).flatMap((t) => (t.coding ?? []).map((k) => k.code ?? '')).filter(Boolean),
    }));
}
