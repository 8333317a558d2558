/** The bills feature's own errors (docs/actions.md: a stable code and a sentence in English and Spanish). */
import { ActionError } from '../actions/action-errors.ts';

export const BILLING_ERRORS = {
  accountNotFound: (): ActionError =>
    new ActionError(404, 'account-not-found', {
      en: 'We could not find this account for your family. Nothing was charged.',
      es: 'No encontramos esta cuenta para su familia. No se cobró nada.',
    }),
  invalidAmount: (): ActionError =>
    new ActionError(400, 'invalid-amount', {
      en: 'Enter an amount of at least $0.50 and no more than the balance due.',
      es: 'Escriba una cantidad de al menos $0.50 y no mayor que el saldo pendiente.',
    }, { details: { field: 'amount' } }),
  paymentsUnavailable: (): ActionError =>
    new ActionError(503, 'payments-unavailable', {
      en: 'Online payment is not available right now. Nothing was charged. Please try again later or call the billing office.',
      es: 'El pago en línea no está disponible en este momento. No se cobró nada. Inténtelo más tarde o llame a la oficina de facturación.',
    }),
  paymentNotFound: (): ActionError =>
    new ActionError(404, 'payment-not-found', {
      en: 'We could not find this payment for you. If you were charged, please call the billing office.',
      es: 'No encontramos este pago a su nombre. Si se le cobró, llame a la oficina de facturación.',
    }),
  paymentPending: (): ActionError =>
    new ActionError(409, 'payment-pending', {
      en: 'The payment processor has not confirmed this payment yet. We will check again in a moment.',
      es: 'El procesador de pagos todavía no confirmó este pago. Volveremos a comprobarlo en un momento.',
    }),
} as const;
