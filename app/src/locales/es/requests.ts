/**
 * Spanish for the care requests (ids requests.*): appointment requests, renewals, their states and errors.
 * Usted form, plain words for families. Placeholders follow the order of the English expressions (see ../README.md).
 */
import { str } from '@lit/localize';
import type { TemplateLike } from '@lit/localize';

export const templates: Readonly<Record<string, TemplateLike>> = {
  'requests.title': 'Solicitudes',
  'requests.list-title': 'Sus solicitudes',
  'requests.empty': 'Todavía no hay solicitudes.',
  'requests.asked': 'Pedida',
  'requests.when': 'Cuándo',
  'requests.answer': 'La clínica dice',
  'requests.add-to-calendar': 'Añadir al calendario',
  'requests.request-appointment': 'Pedir una cita',
  'requests.request-renewal': 'Pedir una renovación',
  'requests.renewals': 'Renovación de recetas',
  'requests.renewal-title': str`Pedir una renovación de ${0}`,
  'requests.needs-visit': 'Por la seguridad de su familia, este medicamento se renueva en una consulta. Pida una cita y lo atenderemos allí.',
  'requests.sent-appointment': 'Se envió su solicitud. La clínica responderá aquí y le avisaremos por correo electrónico.',
  'requests.sent-renewal': 'Se envió su solicitud de renovación a quien recetó el medicamento. La respuesta aparecerá aquí.',

  // Form and confirmation
  'requests.reason': 'Motivo',
  'requests.details': 'Cuéntenos más (opcional; obligatorio para “Otra cosa”)',
  'requests.with': 'Con',
  'requests.window': str`Horario preferido ${0}`,
  'requests.window-day': 'Día',
  'requests.window-from': 'Desde',
  'requests.window-to': 'Hasta',
  'requests.window-add': 'Agregar otro horario',
  'requests.window-remove': 'Quitar este horario',
  'requests.windows': 'Horarios preferidos',
  'requests.phone': 'Teléfono para comunicarnos con usted',
  'requests.phone-short': 'Teléfono',
  'requests.quantity': '¿Cuánto necesita? (opcional)',
  'requests.pharmacy': 'Farmacia (opcional; si lo deja vacío usamos la última)',
  'requests.pharmacy-short': 'Farmacia',
  'requests.medicine': 'Medicamento',
  'requests.amount': 'Cantidad',
  'requests.review': 'Revisar la solicitud',
  'requests.cancel': 'Cancelar',
  'requests.confirm-title': 'Revise su solicitud, por favor',
  'requests.send': 'Enviar solicitud',
  'requests.change': 'Cambiar',

  // Reasons
  'requests.reason-check-up': 'Chequeo',
  'requests.reason-follow-up': 'Visita de seguimiento',
  'requests.reason-illness': 'Enfermedad o lesión',
  'requests.reason-vaccines': 'Vacunas',
  'requests.reason-forms': 'Formularios escolares o deportivos',
  'requests.reason-other': 'Otra cosa',

  // Kinds and states
  'requests.kind-appointment': 'Solicitud de cita',
  'requests.kind-booking': 'Reservada en línea',
  'requests.kind-cancel': 'Solicitud de cancelación',
  'requests.kind-reschedule': 'Solicitud de cambio de horario',
  'requests.kind-renewal': 'Renovación de receta',
  'requests.state-sent': 'Enviada — esperando a la clínica',
  'requests.state-booked': 'Reservada',
  'requests.state-approved': 'Aprobada',
  'requests.state-declined': 'Rechazada',
  'requests.state-cancelled': 'Cancelada',
  'requests.state-done': 'Hecha',

  // Errors
  'requests.error-past': 'Esa hora ya pasó. Elija una hora en el futuro.',
  'requests.error-horizon': str`Se pueden pedir citas con hasta ${0} días de anticipación. Elija una fecha más cercana.`,
  'requests.error-care-team': 'Elija una clínica o un profesional de la lista.',
  'requests.error-slot-taken': 'Lo sentimos, esa hora se acaba de ocupar. Elija otra hora.',
  'requests.error-slot-gone': 'Esa hora ya no está disponible. Elija otra hora.',
  'requests.error-not-renewable': 'No se puede pedir una renovación de este medicamento aquí. Si necesita más, llame a la clínica.',
  'requests.error-already': 'Ya pidió esto y la clínica aún no ha respondido. Puede verlo en Solicitudes.',
  'requests.error-not-changeable': 'Esta cita ya no se puede cambiar aquí. Llame a la clínica.',
  'requests.error-changed': 'La clínica cambió esto hace un momento. Vuelva a cargar la página e inténtelo de nuevo.',
  'requests.error-not-permitted': 'No puede hacer esto para esta persona en Sprout. Si cree que es un error, llame al hospital.',
  'requests.error-in-progress': 'Todavía estamos procesando esta solicitud. Espere un momento, por favor.',
  'requests.error-invalid': 'Faltan algunos datos o no son válidos. Revise el formulario e inténtelo de nuevo.',
  'requests.error-window': str`Indique el día y la hora de inicio y de fin del horario preferido ${0}.`,
  'requests.error-offline': 'No podemos conectar con Sprout en este momento. No se perdió nada: revise su conexión y envíe de nuevo.',
  'requests.error-upstream': 'El sistema del hospital no responde en este momento. No se perdió nada: inténtelo de nuevo en unos minutos.',
  'requests.error-session': 'Su sesión terminó. Inicie sesión de nuevo.',
  'requests.error-unexpected': 'Algo salió mal de nuestro lado. No se perdió nada: inténtelo de nuevo.',
};
