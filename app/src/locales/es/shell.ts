/**
 * Spanish for the shell: header, sign-in and signed-out pages, idle warning, errors, language switch.
 * Placeholders ${0}, ${1} follow the order of the English expressions (see ../README.md).
 */
import { str, type TemplateLike } from '@lit/localize';

export const templates: Readonly<Record<string, TemplateLike>> = {
  'shell.skip-link': 'Saltar al contenido principal',
  'shell.test-mode': 'Modo de prueba: este portal está conectado a un servidor de prueba abierto. No escriba información de salud real.',
  'shell.nav-label': 'Principal',
  'shell.nav-family': 'Familia',
  'shell.nav-home': 'Inicio',
  'shell.sign-out': 'Cerrar sesión',
  'shell.signing-out': 'Cerrando sesión…',
  'shell.loading': 'Cargando…',
  'shell.start-failed': 'Sprout no pudo iniciar',
  'shell.not-found-title': 'Página no encontrada',
  'shell.not-found-text': 'No encontramos esta página.',
  'shell.not-found-home': 'Ir al resumen de su familia',
  'shell.footer-him': str`¿Preguntas sobre un expediente? Llame al Departamento de Administración de Información de Salud al ${0}.`,
  'shell.footer-emergency': 'En caso de emergencia médica, llame al 911 o vaya a la sala de emergencias más cercana.',
  'shell.title-record': 'Expediente de salud',
  'shell.switcher-label': 'Viendo',
  'shell.switcher-overview': 'Resumen de la familia',
  'shell.switcher-show': 'Mostrar',

  'lang.label': 'Idioma',
  'lang.changed': 'El idioma cambió a español.',

  'signin.title': 'Le damos la bienvenida a Sprout',
  'signin.description-record': 'Sprout es un lugar seguro para ver en línea la información de salud de su hijo o hija.',
  'signin.also': 'En este portal también puede:',
  'signin.button': 'Iniciar sesión',
  'signin.no-account': '¿Todavía no tiene una cuenta? Pídala al equipo de atención de su hijo o hija en su próxima visita.',

  'signedout.signed-out': 'Cerró la sesión. Gracias por usar Sprout.',
  'signedout.idle': 'Para proteger la privacidad de su familia, cerramos su sesión después de un tiempo sin actividad.',
  'signedout.expired': 'Su sesión terminó. Por favor, inicie sesión de nuevo.',
  'signedout.everywhere': 'Cerró la sesión en todos sus dispositivos.',
  'signedout.reported': 'El inicio de sesión en su cuenta está en pausa. Llame al hospital para volver a activarlo.',

  'account.open': 'Seguridad de la cuenta',
  'account.everywhere': 'Cerrar sesión en todos los dispositivos',
  'account.everywhere-hint': 'Cierra sus sesiones en todos los teléfonos, tabletas y computadoras, incluido este.',
  'account.report': 'Otra persona usó mi cuenta',
  'account.report-hint': 'Cierra la sesión en todos los dispositivos y pausa el inicio de sesión en su cuenta hasta que llame al hospital.',
  'account.close': 'Cerrar',
  'account.cancel': 'Cancelar',
  'account.everywhere-title': '¿Cerrar sesión en todos los dispositivos?',
  'account.everywhere-text': 'Se cerrará su sesión en todos los dispositivos, incluido este. Puede volver a iniciar sesión enseguida.',
  'account.report-title': '¿Informar que otra persona usó su cuenta?',
  'account.report-text':
    'Cerraremos la sesión en todos los dispositivos y pausaremos el inicio de sesión en su cuenta para proteger los expedientes de su familia. Para volver a activarlo, tendrá que llamar al hospital.',
  'account.report-confirm': 'Informar y pausar el inicio de sesión',
  'account.reported-title': 'El inicio de sesión está en pausa',
  'account.reported-text': 'Cerramos la sesión en todos los dispositivos y pausamos el inicio de sesión en su cuenta.',
  'account.call': str`Para volver a activar el inicio de sesión, llame al Departamento de Administración de Información de Salud de ${0}:`,
  'account.call-no-phone': str`Para volver a activar el inicio de sesión, llame a ${0} y pida el Departamento de Administración de Información de Salud.`,
  'account.done': 'Listo',

  'idle.title': '¿Sigue ahí?',
  'idle.countdown-text': 'Para proteger la privacidad de su familia, su sesión se cerrará a menos que decida continuar. Tiempo restante:',
  'idle.countdown-text-self': 'Para proteger su privacidad, su sesión se cerrará a menos que decida continuar. Tiempo restante:',
  'idle.stay': 'Continuar con la sesión',

  'error.offline': 'No podemos conectarnos con Sprout en este momento. Revise su conexión a internet e inténtelo de nuevo.',
  'error.session-expired': 'Su sesión terminó. Por favor, inicie sesión de nuevo.',
  'error.upstream-unavailable': 'El sistema del hospital no responde en este momento. Inténtelo de nuevo en unos minutos.',
  'error.not-found': 'No encontramos esta información.',
  'error.refused': 'No se pudo completar esta solicitud. Vuelva a cargar la página e inténtelo de nuevo.',
  'error.unexpected': 'Algo salió mal de nuestro lado. Inténtelo de nuevo más tarde.',
  'error.sign-in-again': 'Iniciar sesión de nuevo',
  'error.retry': 'Intentar de nuevo',
};
