import { escapeHtml, type Html } from './escape';
import { layout, type DemoAccountHint } from './layout';

export interface SignInPageOptions {
  action: string;
  appName: string;
  username?: string;
  error?: string;
  demoAccounts: readonly DemoAccountHint[];
}

/** Username + password sign-in; a failed attempt re-renders it with the message and the typed username. */
export function signInPage({
  action,
  appName,
  username = '',
  error,
  demoAccounts,
}: SignInPageOptions): Html {
  const focusPassword = username !== '';
  const body = `<h1>Sign in</h1>
<p class="lead">to continue to <strong>${escapeHtml(appName)}</strong></p>
${error ? `<p class="error" role="alert" id="sign-in-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${focusPassword ? '' : ' autofocus'}${error ? ' aria-describedby="sign-in-error"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focusPassword ? ' autofocus' : ''}>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`;
  return layout({ title: 'Sign in', body, demoAccounts });
}
