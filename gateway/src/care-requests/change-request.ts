/**
 * Asking to reschedule or cancel a booked appointment, pure input: as a request (a Task the clinic answers) or,
 * where the profile allows and the appointment is far enough away, a direct cancellation.
 */
import { z } from 'zod';
import { CARE_ERRORS } from './care-errors.ts';

const id = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);

export const ChangeInput = z
  .object({
    patientId: id,
    appointmentId: id,
    kind: z.enum(['cancel', 'reschedule']),
    mode: z.enum(['request', 'direct']).default('request'),
    reason: z.string().trim().max(1000).default(''),
    /** Preferred new times (reschedule requests). */
    windows: z.array(z.object({ start: z.string().max(40), end: z.string().max(40) }).strict()).max(3).default([]),
  })
  .strict();
export type ChangeInput = z.infer<typeof ChangeInput>;

export function parseChange(body: unknown): ChangeInput {
  const parsed = ChangeInput.safeParse(body);
  if (!parsed.success) throw CARE_ERRORS.invalid(String(parsed.error.issues[0]?.path.join('.') ?? ''));
  if (parsed.data.kind === 'reschedule' && parsed.data.mode === 'request' && parsed.data.windows.length === 0) throw CARE_ERRORS.invalid('windows');
  return parsed.data;
}
