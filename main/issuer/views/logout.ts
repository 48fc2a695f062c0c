import { escapeHtml, type Html } from './escape';
import { layout } from './layout';

/** RP-initiated logout confirmation; `form` is oidc-provider's hidden form (it carries the xsrf token). */
export function logoutConfirmPage(form: Html, clientName: string | undefined): Html {
  const body = `<h1>Sign out?</h1>
<p class="lead">${clientName ? `<strong>${escapeHtml(clientName)}</strong> asks to sign you out of the sandbox issuer.` : 'You are about to sign out of the sandbox issuer.'}</p>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
</div>`;
  return layout({ title: 'Sign out', body });
}

export function logoutSuccessPage(clientName: string | undefined): Html {
  const body = `<h1>You are signed out</h1>
<p class="lead">${clientName ? `You signed out of the sandbox issuer from <strong>${escapeHtml(clientName)}</strong>.` : 'You signed out of the sandbox issuer.'} You can close this tab.</p>`;
  return layout({ title: 'Signed out', body });
}
