/** The messaging errors a person can meet, in English and Spanish (the app shows its own sentence per code). */
import { ActionError } from '../actions/action-errors.ts';
import { MAX_ATTACHMENTS } from './attachments.ts';

export const MESSAGE_ERRORS = {
  emptyBody: () =>
    new ActionError(400, 'empty-body', { en: 'Please write your message.', es: 'Escriba su mensaje.' }, { details: { field: 'body' } }),
  bodyTooLong: () =>
    new ActionError(400, 'body-too-long', { en: 'Your message is too long (at most 10,000 characters).', es: 'Su mensaje es demasiado largo (10 000 caracteres como máximo).' }, { details: { field: 'body' } }),
  emptySubject: () =>
    new ActionError(400, 'empty-subject', { en: 'Please add a subject.', es: 'Agregue un asunto.' }, { details: { field: 'subject' } }),
  noRecipient: () =>
    new ActionError(400, 'recipient-not-in-care-team', {
      en: "Please choose someone from your child's care team.",
      es: 'Elija a alguien del equipo de atención de su hijo o hija.',
    }, { details: { field: 'recipient' } }),
  tooManyAttachments: () =>
    new ActionError(400, 'too-many-attachments', {
      en: `You can attach up to ${MAX_ATTACHMENTS} files.`,
      es: `Puede adjuntar hasta ${MAX_ATTACHMENTS} archivos.`,
    }, { details: { field: 'attachments' } }),
  attachmentTooLarge: (name: string) =>
    new ActionError(413, 'attachment-too-large', {
      en: `"${name}" is larger than 10 MB.`,
      es: `"${name}" pesa más de 10 MB.`,
    }, { details: { field: 'attachments', file: name } }),
  attachmentType: (name: string) =>
    new ActionError(415, 'attachment-type', {
      en: `"${name}" is not a PDF, JPEG or PNG file.`,
      es: `"${name}" no es un archivo PDF, JPEG o PNG.`,
    }, { details: { field: 'attachments', file: name } }),
  attachmentEmpty: (name: string) =>
    new ActionError(400, 'attachment-empty', { en: `"${name}" is empty.`, es: `"${name}" está vacío.` }, { details: { field: 'attachments', file: name } }),
  threadNotFound: () =>
    new ActionError(404, 'thread-not-found', { en: 'We could not find this conversation.', es: 'No encontramos esta conversación.' }),
  savedWillRetry: (cause: unknown) =>
    new ActionError(503, 'saved-will-retry', {
      en: "We couldn't reach the hospital. Your message is saved and we'll try again.",
      es: 'No pudimos comunicarnos con el hospital. Su mensaje está guardado y lo intentaremos de nuevo.',
    }, { cause }),
} as const;
