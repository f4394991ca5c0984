import type { Store } from '../state/store';
import { ControlError } from './control-error';
import { esc, page } from './html';

export interface GrantRequest {
  appPublicToken: string | undefined;
  redirectUrl: string | undefined;
  agreementNumber: string | undefined;
}

/** Reads the grant page's parameters (query string and, for the form POST, the form body). */
export function grantParams(...sources: URLSearchParams[]): GrantRequest {
  const get = (...names: string[]): string | undefined => {
    for (const src of sources) {
      for (const [k, v] of src) if (names.includes(k.toLowerCase()) && v !== '') return v;
    }
    return undefined;
  };
  return {
    appPublicToken: get('apppublictoken', 'appid'),
    redirectUrl: get('redirecturl'),
    agreementNumber: get('agreementnumber'),
  };
}

function check(req: GrantRequest, appPublicToken: string): void {
  if (req.appPublicToken !== appPublicToken) throw new ControlError(400, 'Unknown app: the appPublicToken is not valid.');
  if (req.redirectUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(req.redirectUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new ControlError(400, 'redirectUrl must be an absolute http(s) URL.');
  }
}

export function grantErrorPage(message: string): string {
  return page('Grant access — e-conomic sandbox', `<h1>Cannot grant access</h1><p>${esc(message)}</p>`);
}

/** GET /requestaccess.aspx: the page with an Approve button and a choice of agreement. */
export function grantPage(store: Store, req: GrantRequest, appPublicToken: string): string {
  check(req, appPublicToken);
  const first = store.first().agreementNumber;
  const options = [...store.agreements.values()]
    .map((a) => `<option value="${a.agreementNumber}"${a.agreementNumber === first ? ' selected' : ''}>${esc(a.agreementNumber)} — ${esc(a.companyName)}</option>`)
    .join('');
  const hidden = [
    `<input type="hidden" name="appPublicToken" value="${esc(req.appPublicToken)}">`,
    req.redirectUrl !== undefined ? `<input type="hidden" name="redirectUrl" value="${esc(req.redirectUrl)}">` : '',
  ].join('');
  return page(
    'Grant access — e-conomic sandbox',
    `<h1>Grant access to <em>bogholder (sandbox)</em></h1>
<p>The app asks for access to an accounting agreement (role SuperUser).</p>
<form method="post" action="/requestaccess.aspx">
${hidden}
<p><label>Agreement <select name="agreementNumber">${options}</select></label></p>
<p><button type="submit" name="approve" value="1">Approve</button></p>
</form>`,
  );
}

export type GrantOutcome = { kind: 'redirect'; location: string } | { kind: 'page'; html: string };

/** Appends `token=…` to the redirect URL, keeping its other query parameters byte for byte. */
export function withToken(redirectUrl: string, token: string): string {
  const hash = redirectUrl.indexOf('#');
  const base = hash >= 0 ? redirectUrl.slice(0, hash) : redirectUrl;
  const fragment = hash >= 0 ? redirectUrl.slice(hash) : '';
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}token=${encodeURIComponent(token)}${fragment}`;
}

/** POST /requestaccess.aspx: approving issues a new grant token for the chosen agreement. */
export function approveGrant(store: Store, req: GrantRequest, appPublicToken: string): GrantOutcome {
  check(req, appPublicToken);
  const agreementNumber = req.agreementNumber !== undefined ? Number(req.agreementNumber) : store.first().agreementNumber;
  if (!store.agreements.has(agreementNumber)) throw new ControlError(400, `Unknown agreement ${req.agreementNumber}.`);
  const token = store.issueGrant(agreementNumber);
  if (req.redirectUrl !== undefined) return { kind: 'redirect', location: withToken(req.redirectUrl, token) };
  return {
    kind: 'page',
    html: page('Access granted — e-conomic sandbox', `<h1>Access granted</h1><p>Agreement ${esc(agreementNumber)}. Grant token:</p><pre id="token">${esc(token)}</pre>`),
  };
}
