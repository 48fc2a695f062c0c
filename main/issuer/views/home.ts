import { escapeHtml, type Html } from './escape';
import { layout, type DemoAccountHint } from './layout';

/** What someone sees opening the issuer's origin in a browser: what this is and where things are. */
export function homePage(issuer: string, demoAccounts: readonly DemoAccountHint[]): Html {
  const discovery = `${issuer}/.well-known/openid-configuration`;
  const body = `<h1>Sandbox issuer is running</h1>
<p class="lead">A local OpenID Provider that behaves like a Logto tenant, so MCP Auth Desktop works with no tenant at all. Nothing here is a real account.</p>
<p>Issuer: <code>${escapeHtml(issuer)}</code></p>
<p>Discovery: <a href="${escapeHtml(discovery)}"><code>${escapeHtml(discovery)}</code></a></p>`;
  return layout({ title: 'Sandbox issuer', body, demoAccounts });
}
