/**
 * Notification email, pure: fixed sentences per template and language, with a link back to the portal and nothing
 * else. No template carries health information — no names of children, clinicians, departments, subjects or
 * message text — so an email read over someone's shoulder, or kept by a mail provider, says only "look in Sprout".
 * A feature adds a template here with both languages; `params` are limited to the names a template declares.
 */
import type { Language } from '../actions/action-errors.ts';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

interface Template {
  /** The only params accepted (each a URL on the portal). */
  readonly params: readonly string[];
  readonly subject: Readonly<Record<Language, string>>;
  /** Paragraphs; "{link}" is replaced by the link. */
  readonly body: Readonly<Record<Language, readonly string[]>>;
}

export const EMAIL_TEMPLATES: Readonly<Record<string, Template>> = {
  'new-message': {
    params: ['link'],
    subject: { en: 'You have a new message in Sprout', es: 'Tiene un mensaje nuevo en Sprout' },
    body: {
      en: [
        'You have a new message in Sprout.',
        'To read it, sign in to Sprout: {link}',
        'For your privacy, this email does not include the message. You can turn these emails off in Sprout.',
      ],
      es: [
        'Tiene un mensaje nuevo en Sprout.',
        'Para leerlo, inicie sesión en Sprout: {link}',
        'Por su privacidad, este correo no incluye el mensaje. Puede desactivar estos correos en Sprout.',
      ],
    },
  },
  'request-update': {
    params: ['link'],
    subject: { en: 'There is an update in Sprout', es: 'Hay una novedad en Sprout' },
    body: {
      en: ['One of your requests in Sprout has been answered.', 'To see it, sign in to Sprout: {link}', 'You can turn these emails off in Sprout.'],
      es: ['Una de sus solicitudes en Sprout tiene respuesta.', 'Para verla, inicie sesión en Sprout: {link}', 'Puede desactivar estos correos en Sprout.'],
    },
  },
  'appointment-reminder': {
    params: ['link'],
    subject: { en: 'Reminder: an appointment tomorrow', es: 'Recordatorio: una cita mañana' },
    body: {
      en: ['There is an appointment within the next day.', 'To see when and where, sign in to Sprout: {link}', 'You can turn these emails off in Sprout.'],
      es: ['Hay una cita en las próximas 24 horas.', 'Para ver cuándo y dónde, inicie sesión en Sprout: {link}', 'Puede desactivar estos correos en Sprout.'],
    },
  },
};

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** A link param must be an absolute http(s) URL without credentials (the portal's own address, in practice). */
function checkLink(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TemplateError('a link param is not a URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new TemplateError('a link param must be an http(s) URL without credentials');
  }
  return url.href;
}

export function renderEmail(template: string, language: string, params: Readonly<Record<string, string>>): RenderedEmail {
  const definition = Object.hasOwn(EMAIL_TEMPLATES, template) ? EMAIL_TEMPLATES[template] : undefined;
  if (definition === undefined) throw new TemplateError(`unknown email template "${template}"`);
  for (const name of Object.keys(params)) if (!definition.params.includes(name)) throw new TemplateError(`template "${template}" takes no param "${name}"`);
  const link = checkLink(params['link'] ?? '');
  const lang: Language = language === 'es' ? 'es' : 'en';
  const paragraphs = definition.body[lang];
  const text = paragraphs.map((p) => p.replace('{link}', link)).join('\n\n');
  const html = `<!doctype html><html lang="${lang}"><body>${paragraphs
    .map((p) => `<p>${escapeHtml(p).replace('{link}', `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)}</p>`)
    .join('')}</body></html>`;
  return { subject: definition.subject[lang], text: `${text}\n`, html };
}
