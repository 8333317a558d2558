/** The words of the care-request views (ids requests.*): reasons, states, kinds, and one sentence per error code. */
import { msg, str } from '@lit/localize';
import type { CareRequestView } from './care-api.ts';

export function reasonText(code: string): string {
  switch (code) {
    case 'check-up':
      return msg('Check-up', { id: 'requests.reason-check-up' });
    case 'follow-up':
      return msg('Follow-up visit', { id: 'requests.reason-follow-up' });
    case 'illness':
      return msg('Illness or injury', { id: 'requests.reason-illness' });
    case 'vaccines':
      return msg('Vaccines', { id: 'requests.reason-vaccines' });
    case 'forms':
      return msg('School or sports forms', { id: 'requests.reason-forms' });
    default:
      return msg('Something else', { id: 'requests.reason-other' });
  }
}

export function kindText(kind: CareRequestView['kind']): string {
  switch (kind) {
    case 'appointment':
      return msg('Appointment request', { id: 'requests.kind-appointment' });
    case 'booking':
      return msg('Booked online', { id: 'requests.kind-booking' });
    case 'cancel':
      return msg('Request to cancel', { id: 'requests.kind-cancel' });
    case 'reschedule':
      return msg('Request to reschedule', { id: 'requests.kind-reschedule' });
    case 'renewal':
      return msg('Prescription renewal', { id: 'requests.kind-renewal' });
  }
}

export function stateText(state: CareRequestView['state']): string {
  switch (state) {
    case 'sent':
      return msg('Sent — waiting for the clinic', { id: 'requests.state-sent' });
    case 'booked':
      return msg('Booked', { id: 'requests.state-booked' });
    case 'approved':
      return msg('Approved', { id: 'requests.state-approved' });
    case 'declined':
      return msg('Declined', { id: 'requests.state-declined' });
    case 'cancelled':
      return msg('Cancelled', { id: 'requests.state-cancelled' });
    case 'done':
      return msg('Done', { id: 'requests.state-done' });
  }
}

/** The sentence for a failed action, by the gateway's code; never the server's own text. */
export function careErrorText(code: string, detail?: { days?: number; hours?: number }): string {
  switch (code) {
    case 'date-in-past':
      return msg('That time has already passed. Please choose a time in the future.', { id: 'requests.error-past' });
    case 'beyond-horizon':
      return msg(str`Appointments can be requested up to ${detail?.days ?? 90} days ahead. Please choose an earlier time.`, { id: 'requests.error-horizon' });
    case 'not-care-team':
      return msg('Please choose a clinic or clinician from the list.', { id: 'requests.error-care-team' });
    case 'slot-taken':
      return msg('Sorry, that time was just taken. Please choose another time.', { id: 'requests.error-slot-taken' });
    case 'slot-gone':
      return msg('That time is no longer offered. Please choose another time.', { id: 'requests.error-slot-gone' });
    case 'not-renewable':
      return msg('A renewal cannot be requested for this medicine here. If you need more, please call the clinic.', { id: 'requests.error-not-renewable' });
    case 'renewal-needs-visit':
      return renewalNeedsVisitText();
    case 'already-requested':
      return msg('You already asked for this, and the clinic has not answered yet. You can see it under Requests.', { id: 'requests.error-already' });
    case 'not-changeable':
      return msg('This appointment can no longer be changed here. Please call the clinic.', { id: 'requests.error-not-changeable' });
    case 'changed-meanwhile':
      return msg('This was changed by the clinic a moment ago. Please reload the page and try again.', { id: 'requests.error-changed' });
    case 'not-permitted':
      return msg('You cannot do this for this person in Sprout. If you think this is wrong, please call the hospital.', { id: 'requests.error-not-permitted' });
    case 'action-in-progress':
      return msg('We are still working on this request. Please wait a moment.', { id: 'requests.error-in-progress' });
    case 'invalid-input':
      return msg('Some of the details are missing or not valid. Please check the form and try again.', { id: 'requests.error-invalid' });
    case 'offline':
      return msg("We can't reach Sprout right now. Nothing was lost: please check your connection and send again.", { id: 'requests.error-offline' });
    case 'upstream-unavailable':
    case 'upstream-refused':
      return msg("The hospital's system isn't answering right now. Nothing was lost: please try again in a few minutes.", { id: 'requests.error-upstream' });
    case 'session-expired':
      return msg('Your session has ended. Please sign in again.', { id: 'requests.error-session' });
    default:
      return msg('Something went wrong on our side. Nothing was lost: please try again.', { id: 'requests.error-unexpected' });
  }
}

export const renewalNeedsVisitText = (): string =>
  msg('For the safety of your family, this medicine is renewed at a visit. Please request an appointment and we will take care of it there.', { id: 'requests.needs-visit' });
