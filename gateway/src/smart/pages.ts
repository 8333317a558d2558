/**
 * The few server-rendered pages of the sign-in flow (errors, the open-server "act as" form). Every dynamic value
 * goes through escapeHtml; the pages carry no script and rely on the app's CSP.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Sprout</title></head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

interface Bilingual {
  readonly en: string;
  readonly es: string;
}

/**
 * Every sign-in error a family can meet, in English and Spanish. These pages come before the app (and its language
 * choice) exists, so they show both languages, each marked with its `lang`.
 */
export const SIGN_IN_MESSAGES = {
  'ehr-timeout': {
    en: 'The health record system did not answer in time. Please try again.',
    es: 'El sistema de expedientes médicos no respondió a tiempo. Inténtelo de nuevo.',
  },
  'ehr-unusable': {
    en: 'The health record system could not be reached or answered in a way the portal cannot use.',
    es: 'No se pudo conectar con el sistema de expedientes médicos, o respondió de una forma que el portal no puede usar.',
  },
  'ehr-misconfigured': {
    en: 'The health record system is not set up correctly for this portal.',
    es: 'El sistema de expedientes médicos no está configurado correctamente para este portal.',
  },
  'sign-in-refused': {
    en: 'The health record system did not accept this sign-in. Please sign in again.',
    es: 'El sistema de expedientes médicos no aceptó este inicio de sesión. Vuelva a iniciar sesión.',
  },
  'identity-unconfirmed': {
    en: 'The portal could not confirm who signed in. Please sign in again.',
    es: 'El portal no pudo confirmar quién inició sesión. Vuelva a iniciar sesión.',
  },
  'unknown-ehr': {
    en: 'This launch came from a health record system the portal is not set up to work with.',
    es: 'Este acceso llegó desde un sistema de expedientes médicos con el que el portal no está configurado para trabajar.',
  },
  'test-mode-no-launch': {
    en: 'This portal runs in test mode without sign-in; EHR launch is not available.',
    es: 'Este portal funciona en modo de prueba sin inicio de sesión; no se puede abrir desde el sistema de expedientes.',
  },
  'launch-incomplete': {
    en: 'This launch link is incomplete. Please open the portal again from your health record system.',
    es: 'Este enlace de acceso está incompleto. Vuelva a abrir el portal desde su sistema de expedientes médicos.',
  },
  'nothing-here': { en: 'There is nothing here.', es: 'Aquí no hay nada.' },
  'cross-site': {
    en: 'This request was refused: it did not come from the portal page.',
    es: 'Se rechazó esta solicitud: no vino de la página del portal.',
  },
  'link-used': {
    en: 'This sign-in link is not valid or was already used. Please sign in again.',
    es: 'Este enlace de inicio de sesión no es válido o ya se usó. Vuelva a iniciar sesión.',
  },
  'sign-in-cancelled': { en: 'The sign-in was cancelled or refused.', es: 'Se canceló o se rechazó el inicio de sesión.' },
  'answer-incomplete': {
    en: 'The sign-in answer was incomplete. Please sign in again.',
    es: 'La respuesta del inicio de sesión estaba incompleta. Vuelva a iniciar sesión.',
  },
} as const satisfies Record<string, Bilingual>;

export type SignInMessageId = keyof typeof SIGN_IN_MESSAGES;

const SIGN_IN_PAGE_TEXT = {
  title: { en: 'Sign-in did not complete', es: 'No se completó el inicio de sesión' },
  said: { en: 'The health record system said:', es: 'El sistema de expedientes médicos indicó:' },
  again: { en: 'Sign in again', es: 'Volver a iniciar sesión' },
} as const satisfies Record<string, Bilingual>;

/**
 * A sign-in error, in both languages. `detail` (e.g. the EHR's error_description) is untrusted text in whatever
 * language the EHR wrote it: escaped, shortened, and shown once, quoted as the EHR's words.
 */
export function renderSignInError(options: { readonly message: SignInMessageId; readonly detail?: string; readonly loginUrl?: string }): string {
  const message = SIGN_IN_MESSAGES[options.message];
  const loginUrl = escapeHtml(options.loginUrl ?? '/login');
  const section = (lang: keyof Bilingual) => `<section lang="${lang}">
<h${lang === 'en' ? 1 : 2}>${escapeHtml(SIGN_IN_PAGE_TEXT.title[lang])}</h${lang === 'en' ? 1 : 2}>
<p>${escapeHtml(message[lang])}</p>
<p><a href="${loginUrl}">${escapeHtml(SIGN_IN_PAGE_TEXT.again[lang])}</a></p>
</section>`;
  const detail =
    options.detail === undefined
      ? ''
      : `<p>${escapeHtml(SIGN_IN_PAGE_TEXT.said.en)} / <span lang="es">${escapeHtml(SIGN_IN_PAGE_TEXT.said.es)}</span>
<q>${escapeHtml(options.detail.slice(0, 300))}</q></p>`;
  return page(`${SIGN_IN_PAGE_TEXT.title.en} / ${SIGN_IN_PAGE_TEXT.title.es}`, `${section('en')}
${section('es')}
${detail}`);
}

/** Open-server test mode: choose whom to act as (no OAuth on the FHIR server). */
export function renderOpenServerLogin(options: { readonly fhirBaseUrl: string; readonly returnTo?: string; readonly error?: string }): string {
  const error = options.error === undefined ? '' : `<p role="alert">${escapeHtml(options.error)}</p>`;
  const returnTo = options.returnTo === undefined ? '' : `<input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}">`;
  return page(
    'Test mode: choose who you are',
    `<h1>Test mode: choose who you are</h1>
<p><strong>Test mode.</strong> This portal is connected to an open FHIR server without sign-in (${escapeHtml(options.fhirBaseUrl)}).
Do not use real patient data. The same access rules apply as in a real sign-in.</p>
${error}
<form method="post" action="/login">
<label for="fhirUser">Act as (a Patient, RelatedPerson, Person or Practitioner reference, for example RelatedPerson/123)</label>
<input id="fhirUser" name="fhirUser" required pattern="(Patient|RelatedPerson|Person|Practitioner)/[A-Za-z0-9.\\-]{1,64}" autocomplete="off">
${returnTo}
<button type="submit">Continue</button>
</form>`,
  );
}

const TOO_MANY_TEXT = {
  title: { en: 'Too many sign-in attempts', es: 'Demasiados intentos de inicio de sesión' },
  body: {
    en: (minutes: number) =>
      `Too many sign-in requests came from your network in a short time. Please wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`} and try again.`,
    es: (minutes: number) =>
      `Llegaron demasiadas solicitudes de inicio de sesión desde su red en poco tiempo. Espere ${minutes === 1 ? '1 minuto' : `${minutes} minutos`} y vuelva a intentarlo.`,
  },
  again: { en: 'Try again', es: 'Intentar de nuevo' },
} as const;

/** The 429 page of the sign-in routes (sent with Retry-After), in both languages. */
export function renderTooManyRequests(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const section = (lang: keyof Bilingual) => `<section lang="${lang}">
<h${lang === 'en' ? 1 : 2}>${escapeHtml(TOO_MANY_TEXT.title[lang])}</h${lang === 'en' ? 1 : 2}>
<p>${escapeHtml(TOO_MANY_TEXT.body[lang](minutes))}</p>
<p><a href="/login">${escapeHtml(TOO_MANY_TEXT.again[lang])}</a></p>
</section>`;
  return page(`${TOO_MANY_TEXT.title.en} / ${TOO_MANY_TEXT.title.es}`, `${section('en')}
${section('es')}`);
}

/** A phone number as a tel: URI (digits and a leading +), or undefined when it has no digits. */
export function telHref(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return /\d/.test(digits) ? `tel:${digits}` : undefined;
}

const BLOCKED_TEXT = {
  title: { en: 'Sign-in is paused for this account', es: 'El inicio de sesión está en pausa para esta cuenta' },
  body: {
    en: 'Someone reported that another person may have used this account, so we paused online access to keep the records safe. Nothing is wrong on your side.',
    es: 'Alguien informó que otra persona pudo haber usado esta cuenta, así que pausamos el acceso en línea para proteger los expedientes. Usted no hizo nada mal.',
  },
  call: {
    en: (hospital: string) => `To turn sign-in back on, call ${hospital} Health Information Management:`,
    es: (hospital: string) => `Para volver a activar el inicio de sesión, llame al Departamento de Administración de Información de Salud de ${hospital}:`,
  },
  callNoPhone: {
    en: (hospital: string) => `To turn sign-in back on, call ${hospital} and ask for Health Information Management.`,
    es: (hospital: string) => `Para volver a activar el inicio de sesión, llame a ${hospital} y pida el Departamento de Administración de Información de Salud.`,
  },
} as const;

/**
 * A blocked account's sign-in ends here (403): kind, in both languages, and whom to call (the profile's HIM phone as
 * a tel: link). It never says who reported it or when.
 */
export function renderAccountBlocked(options: { readonly hospitalName: string; readonly himPhone?: string }): string {
  const href = options.himPhone === undefined ? undefined : telHref(options.himPhone);
  const phone = options.himPhone === undefined || href === undefined ? '' : ` <a href="${escapeHtml(href)}">${escapeHtml(options.himPhone)}</a>`;
  const section = (lang: keyof Bilingual) => `<section lang="${lang}">
<h${lang === 'en' ? 1 : 2}>${escapeHtml(BLOCKED_TEXT.title[lang])}</h${lang === 'en' ? 1 : 2}>
<p>${escapeHtml(BLOCKED_TEXT.body[lang])}</p>
<p>${phone === '' ? escapeHtml(BLOCKED_TEXT.callNoPhone[lang](options.hospitalName)) : `${escapeHtml(BLOCKED_TEXT.call[lang](options.hospitalName))}${phone}`}</p>
</section>`;
  return page(`${BLOCKED_TEXT.title.en} / ${BLOCKED_TEXT.title.es}`, `${section('en')}
${section('es')}`);
}
