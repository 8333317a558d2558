/**
 * The errors of appointment and renewal actions, each with a stable code (the app shows its own sentence by it) and
 * an English and Spanish sentence. None names a record the person may not see: a medication that is hidden, absent
 * or another patient's is "not renewable", exactly like one whose refills are not used up.
 */
import { ActionError, COMMON_ERRORS } from '../actions/action-errors.ts';

export const CARE_ERRORS = {
  invalid: (field: string) =>
    COMMON_ERRORS.invalidInput(field, {
      en: 'Some of the details are missing or not valid. Please check the form and try again.',
      es: 'Faltan algunos datos o no son válidos. Revise el formulario e inténtelo de nuevo.',
    }),
  pastDate: (field: string) =>
    new ActionError(400, 'date-in-past', {
      en: 'That time has already passed. Please choose a time in the future.',
      es: 'Esa hora ya pasó. Elija una hora en el futuro.',
    }, { details: { field } }),
  beyondHorizon: (field: string, days: number) =>
    new ActionError(400, 'beyond-horizon', {
      en: `Appointments can be requested up to ${days} days ahead. Please choose an earlier time.`,
      es: `Se pueden pedir citas con hasta ${days} días de anticipación. Elija una fecha más cercana.`,
    }, { details: { field, days: String(days) } }),
  notCareTeam: () =>
    new ActionError(400, 'not-care-team', {
      en: 'Please choose a clinic or clinician from the list.',
      es: 'Elija una clínica o un profesional de la lista.',
    }, { details: { field: 'with' } }),
  slotTaken: () =>
    new ActionError(409, 'slot-taken', {
      en: 'Sorry, that time was just taken. Please choose another time.',
      es: 'Lo sentimos, esa hora se acaba de ocupar. Elija otra hora.',
    }),
  slotGone: () =>
    new ActionError(410, 'slot-gone', {
      en: 'That time is no longer offered. Please choose another time.',
      es: 'Esa hora ya no está disponible. Elija otra hora.',
    }),
  visitTypeNotOffered: () =>
    new ActionError(400, 'visit-type-not-offered', {
      en: 'This kind of visit cannot be booked online. Please request an appointment instead.',
      es: 'Este tipo de visita no se puede reservar en línea. Pida una cita en su lugar.',
    }, { details: { field: 'visitType' } }),
  notRenewable: () =>
    new ActionError(422, 'not-renewable', {
      en: 'A renewal cannot be requested for this medicine here. If you need more, please call the clinic.',
      es: 'No se puede pedir una renovación de este medicamento aquí. Si necesita más, llame a la clínica.',
    }),
  renewalNeedsVisit: () =>
    new ActionError(422, 'renewal-needs-visit', {
      en: 'For the safety of your family, this medicine is renewed at a visit. Please request an appointment and we will take care of it there.',
      es: 'Por la seguridad de su familia, este medicamento se renueva en una consulta. Pida una cita y lo atenderemos allí.',
    }),
  alreadyRequested: () =>
    new ActionError(409, 'already-requested', {
      en: 'You already asked for this, and the clinic has not answered yet. You can see it under Requests.',
      es: 'Ya pidió esto y la clínica aún no ha respondido. Puede verlo en Solicitudes.',
    }),
  notChangeable: () =>
    new ActionError(422, 'not-changeable', {
      en: 'This appointment can no longer be changed here. Please call the clinic.',
      es: 'Esta cita ya no se puede cambiar aquí. Llame a la clínica.',
    }),
  tooLateToChangeDirectly: (hours: number) =>
    new ActionError(422, 'too-late-to-change-directly', {
      en: `Appointments less than ${hours} hours away cannot be cancelled online. Please send a request or call the clinic.`,
      es: `Las citas que faltan menos de ${hours} horas no se pueden cancelar en línea. Envíe una solicitud o llame a la clínica.`,
    }, { details: { hours: String(hours) } }),
  changedMeanwhile: () =>
    new ActionError(409, 'changed-meanwhile', {
      en: 'This appointment was changed by the clinic a moment ago. Please reload the page and try again.',
      es: 'La clínica cambió esta cita hace un momento. Vuelva a cargar la página e inténtelo de nuevo.',
    }),
} as const;
