/**
 * Who is reading, for the voice of every string: someone on their own record only ("self": a teen or an adult —
 * no "Family", no "All children"), someone who looks after others ("guardian", including conservators and a
 * parent who also has their own record), or a clinician launched from the EHR ("clinician").
 */
import type { SessionView } from '../api/session.ts';

export type Reader = 'self' | 'guardian' | 'clinician';

export function readerOf(session: Pick<SessionView, 'user' | 'patients'>): Reader {
  if (session.user.kind === 'Practitioner' || session.patients.some((patient) => patient.relationship === 'staff')) return 'clinician';
  if (session.patients.length > 0 && session.patients.every((patient) => patient.relationship === 'self')) return 'self';
  return 'guardian';
}
