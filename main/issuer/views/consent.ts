import { escapeHtml, type Html } from './escape';
import { layout } from './layout';

export interface ConsentPermission {
  /** Plain-language description. */
  description: string;
  /** The scope value, shown small for the curious. */
  scope: string;
}

export interface ConsentResourceGroup {
  resourceName: string;
  indicator: string;
  granted: ConsentPermission[];
  /** Requested, but none of the user's roles carries it: the token will not include it. */
  notPermitted: string[];
}

export interface ConsentPageOptions {
  confirmAction: string;
  denyAction: string;
  appName: string;
  clientId: string;
  user: { name: string; username: string };
  profile: ConsentPermission[];
  resources: ConsentResourceGroup[];
}

function permissionList(items: readonly ConsentPermission[]): Html {
  return `<ul class="permissions">${items
    .map(
      (item) =>
        `<li>${escapeHtml(item.description)} <span class="muted"><code>${escapeHtml(item.scope)}</code></span></li>`,
    )
    .join('')}</ul>`;
}

/** The third-party consent screen: who asks, for what, on behalf of whom; Allow or Deny. */
export function consentPage(options: ConsentPageOptions): Html {
  const { appName, clientId, user, profile, resources } = options;
  const sections: Html[] = [];
  if (profile.length) {
    sections.push(`<h2>Your account</h2>${permissionList(profile)}`);
  }
  for (const group of resources) {
    const notPermitted = group.notPermitted.length
      ? `<p class="muted">Not available to your account (none of your roles grants it): ${group.notPermitted
          .map((scope) => `<code>${escapeHtml(scope)}</code>`)
          .join(', ')}</p>`
      : '';
    // Two different stories: the app asked for nothing on this API (its token will carry no API
    // scope), or it asked for permissions none of the user's roles grant.
    const granted = group.granted.length
      ? permissionList(group.granted)
      : group.notPermitted.length
        ? ''
        : `<p class="muted">Access to this API, with no permissions: the app asked for none of its scopes.</p>`;
    sections.push(
      `<h2>${escapeHtml(group.resourceName)} <span class="muted"><code>${escapeHtml(group.indicator)}</code></span></h2>${granted}${notPermitted}`,
    );
  }
  if (!sections.length) {
    sections.push(
      '<p class="muted">No specific permission: it only wants to know that you signed in.</p>',
    );
  }
  const body = `<h1><strong>${escapeHtml(appName)}</strong> wants to access your account</h1>
<p class="lead">Signed in as <strong>${escapeHtml(user.name)}</strong> (${escapeHtml(user.username)}). This is a third-party app (<code>${escapeHtml(clientId)}</code>), so you decide what it may do.</p>
${sections.join('\n')}
<div class="actions">
<form method="post" action="${escapeHtml(options.denyAction)}"><button type="submit" class="secondary">Deny</button></form>
<form method="post" action="${escapeHtml(options.confirmAction)}"><button type="submit" autofocus>Allow</button></form>
</div>`;
  return layout({ title: `Allow ${appName}?`, body });
}
