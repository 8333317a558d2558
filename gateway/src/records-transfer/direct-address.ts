/**
 * Direct addresses (the Direct Project's secure email for health information): syntax like an email address, and a
 * domain inside the trust community the hospital's HISP exchanges with. Pure.
 *
 * Trust: DIRECT_TRUST_DOMAINS lists the domains (and their subdomains) the HISP has trust anchors for. Unset, the
 * development default accepts domains whose first label is "direct" (direct.clinic.example) — the convention HISPs
 * use — and refuses everything else, so an ordinary mailbox (gmail.com) is never sent health records.
 */

export type DirectAddressCheck = { readonly ok: true; readonly address: string } | { readonly ok: false; readonly reason: 'malformed' | 'foreign' };

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkDirectAddress(raw: unknown, trustDomains: readonly string[]): DirectAddressCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'malformed' };
  const address = raw.trim();
  if (address.length > 254 || /[\s<>,;:"\\]/.test(address)) return { ok: false, reason: 'malformed' };
  const at = address.lastIndexOf('@');
  if (at <= 0 || at !== address.indexOf('@')) return { ok: false, reason: 'malformed' };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  if (local.length > 64 || !LOCAL.test(local) || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^[a-z]{2,63}$/.test(labels.at(-1) ?? '')) {
    return { ok: false, reason: 'malformed' };
  }
  const trusted = trustDomains.length === 0
    ? labels[0] === 'direct' && labels.length >= 3
    : trustDomains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
  return trusted ? { ok: true, address: `${local}@${domain}` } : { ok: false, reason: 'foreign' };
}
