/** The sentences of messaging errors, by the gateway's stable code (never the server's own text). */
import { msg } from '@lit/localize';

export function messageErrorText(code: string): string {
  switch (code) {
    case 'empty-body':
      return msg('Please write your message.', { id: 'messages.error-empty-body' });
    case 'body-too-long':
      return msg('Your message is too long (at most 10,000 characters).', { id: 'messages.error-body-too-long' });
    case 'empty-subject':
      return msg('Please add a subject.', { id: 'messages.error-empty-subject' });
    case 'recipient-not-in-care-team':
      return msg("Please choose someone from your child's care team.", { id: 'messages.error-recipient' });
    case 'too-many-attachments':
      return msg('You can attach up to 5 files.', { id: 'messages.error-too-many' });
    case 'attachment-too-large':
      return msg('Each file must be 10 MB or smaller.', { id: 'messages.error-too-large' });
    case 'attachment-type':
      return msg('Only PDF, JPEG and PNG files can be attached.', { id: 'messages.error-type' });
    case 'attachment-empty':
      return msg('One of the files is empty.', { id: 'messages.error-empty-file' });
    case 'not-permitted':
      return msg('You cannot send messages about this person in Sprout. If you think this is wrong, please call the hospital.', { id: 'messages.error-not-permitted' });
    case 'thread-not-found':
      return msg('We could not find this conversation.', { id: 'messages.error-thread' });
    case 'saved-will-retry':
    case 'upstream-unavailable':
    case 'offline':
      return msg("We couldn't reach the hospital. Your message is saved and we'll try again.", { id: 'messages.error-will-retry' });
    case 'action-in-progress':
      return msg('Still sending… please wait a moment.', { id: 'messages.error-in-progress' });
    case 'session-expired':
      return msg('Your session has ended. Please sign in again; your draft is saved.', { id: 'messages.error-session' });
    default:
      return msg('Your message could not be sent. Please try again.', { id: 'messages.error-unexpected' });
  }
}
