/**
 * Spanish for the clinician's family-view preview (preview.*). Placeholders ${0}, ${1} follow the order of the
 * English expressions (see ../README.md). The rule codes and legal basis lines stay as the policy core states them.
 */
import { str, type TemplateLike } from '@lit/localize';

export const templates: Readonly<Record<string, TemplateLike>> = {
  'preview.title': 'Lo que la familia ve en línea',
  'preview.intro': str`Para ${0}, hoy (${1}), según las reglas de ${2}.`,
  'preview.intro-how': 'Cada persona se decide exactamente como lo haría su propio inicio de sesión.',
  'preview.who-patient': 'el o la paciente',
  'preview.who-guardian-as': str`tutor legal (${0})`,
  'preview.who-guardian': 'tutor legal',
  'preview.unnamed': 'Persona sin nombre',
  'preview.today': 'Hoy',
  'preview.changes': 'Qué cambia y cuándo',
  'preview.no-change': 'No se prevé ningún cambio.',
  'preview.change-from': str`A partir del ${0}:`,
  'preview.level': 'Expediente en línea',
  'preview.why': 'Motivo (regla de la política)',
  'preview.features': 'Además del expediente',
  'preview.features-none': 'nada más',
  'preview.feature-messages': 'puede enviar mensajes al equipo de atención',
  'preview.feature-appointments': 'puede pedir citas',
  'preview.feature-renewals': 'puede pedir renovaciones de recetas',
  'preview.feature-bills': 've las facturas',
  'preview.feature-balance': 've solo el saldo pendiente',
  'preview.reads-patient': 'El o la paciente lee',
  'preview.reads-guardian': 'El tutor legal lee',
};
