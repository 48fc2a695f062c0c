import { escapeHtml, type Html } from './escape';
import { layout } from './layout';

/** Shown when an interaction page cannot continue (expired, already used, opened in another browser). */
export function interactionErrorPage(message: string): Html {
  const body = `<h1>This sign-in cannot continue</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="lead">Start again from the app: it will open a fresh sign-in page.</p>`;
  return layout({ title: 'Sign-in expired', body });
}
