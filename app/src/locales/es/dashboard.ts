/**
 * Spanish for the family dashboard and the access explanations (access.*).
 * Placeholders ${0}, ${1} follow the order of the English expressions (see ../README.md).
 */
import { str, type TemplateLike } from '@lit/localize';

export const templates: Readonly<Record<string, TemplateLike>> = {
  'dashboard.title': 'Su familia',
  'dashboard.title-self': 'Su expediente de salud',
  'dashboard.signed-in-as': str`Sesión iniciada como ${0}`,
  'dashboard.empty': str`Todavía no hay expedientes vinculados a su cuenta. Si necesita ayuda, comuníquese con el ${0}.`,
  'dashboard.age': str`Edad: ${0}`,
  'dashboard.still-available': 'Todavía puede:',
  'dashboard.open-record': str`Abrir el expediente de ${0}`,

  'access.him-with-phone': str`Departamento de Administración de Información de Salud al ${0}`,
  'access.him': 'Departamento de Administración de Información de Salud',
  'access.level-full': 'Acceso en línea completo',
  'access.level-allow-listed': 'Acceso en línea parcial',
  'access.level-none': 'Sin acceso en línea',
  'access.relationship-self': 'Su propio expediente',
  'access.relationship-guardian': 'Usted es padre, madre o tutor legal',
  'access.relationship-conservator': 'Usted es el curador legal',
  'access.relationship-staff': 'Usted es parte del equipo de atención',
  'access.guardian.full': str`Puede ver el expediente de salud de ${0} en línea.`,
  'access.guardian.teen-allow-list': str`${0} tiene 12 años o más. Para proteger la privacidad de los adolescentes, la ley de California permite a los padres y tutores ver en línea solo una parte del expediente, como alergias, vacunas, medicamentos y citas.`,
  'access.guardian.teen-authorized': str`${0} firmó un permiso que le permite a usted ver más de su expediente en línea.`,
  'access.guardian.teen-no-online-access': str`${0} tiene 12 años o más. La ley de California no permite a los padres ni a los tutores ver en línea el expediente de un adolescente. Para obtener una copia en papel, llame al ${1}.`,
  'access.guardian.adult-patient': str`${0} tiene 18 años o más y puede crear su propia cuenta. Si tiene preguntas sobre el expediente, comuníquese con el ${1}.`,
  'access.self.full': 'Este es su propio expediente de salud.',
  'access.self.teen': 'Este es su propio expediente de salud. Lo que la ley de California mantiene confidencial para los adolescentes solo se le muestra a usted.',
  'access.self.not-eligible': str`Podrá ver su propio expediente en línea a partir de que cumpla 18 años. Para obtener una copia antes, comuníquese con el ${0}.`,
  'access.conservator.full': str`Puede ver el expediente de ${0} en línea porque un tribunal lo nombró curador legal.`,
  'access.staff.use-ehr': 'Use el sistema clínico del hospital para ver este expediente.',
  'access.not-active': str`Su acceso a este expediente no está activo. Comuníquese con el ${0}.`,
  'access.deceased.contact-him': str`Para este expediente, comuníquese con el ${0}. Estamos aquí para ayudarle.`,
  'access.feature-messages': 'Enviar mensajes al equipo de atención',
  'access.feature-appointments': 'Pedir citas',
  'access.feature-renewals': 'Pedir la renovación de recetas',
  'access.feature-bills': 'Ver y pagar facturas',
  'access.feature-balance': 'Ver y pagar el saldo pendiente',
  'access.next-adult': str`El ${0}, ${1} cumple 18 años y puede tener su propia cuenta.`,
  'access.next-none': str`El acceso en línea termina el ${0}.`,
  'access.next-allow-listed': str`A partir del ${0}, verá en línea solo una parte del expediente.`,
  'access.next-full': str`El acceso en línea completo comienza el ${0}.`,
};
