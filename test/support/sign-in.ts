import { HttpBrowser, type Page } from './http-browser';

export interface SignInOptions {
  username: string;
  password: string;
  /** What to click on a consent page, if one appears. */
  consent?: 'allow' | 'deny';
  /** The client's redirect URI; the browser stops when the issuer redirects there. */
  redirectUri: string;
}

export interface SignInResult {
  /** The URL the issuer sent the browser back to (code, state, error...). */
  callback: URL;
  /** Which interaction pages were shown, in order. */
  pagesSeen: ('sign-in' | 'consent')[];
}

const isSignIn = (page: Page) => /name=["']password["']/.test(page.html);

/** Clicks through the sandbox issuer's sign-in and consent pages, as a person would. */
export async function signIn(
  authorizationUrl: string | URL,
  options: SignInOptions,
  browser = new HttpBrowser(),
): Promise<SignInResult> {
  const redirect = new URL(options.redirectUri);
  const stopAt = (location: URL) =>
    location.protocol === redirect.protocol &&
    location.hostname === redirect.hostname &&
    location.pathname === redirect.pathname;
  const pagesSeen: SignInResult['pagesSeen'] = [];
  let step = await browser.follow(String(authorizationUrl), stopAt);
  for (let i = 0; i < 6; i++) {
    if ('redirect' in step) return { callback: step.redirect, pagesSeen };
    if (step.status >= 400) {
      throw new Error(
        `The issuer answered ${step.status} at ${step.url}: ${step.html.slice(0, 300)}`,
      );
    }
    if (isSignIn(step)) {
      pagesSeen.push('sign-in');
      step = await browser.submit(
        step,
        { username: options.username, password: options.password },
        stopAt,
      );
      continue;
    }
    pagesSeen.push('consent');
    const button =
      (options.consent ?? 'allow') === 'allow' ? /^(Allow|Authorize)$/ : /^(Deny|Cancel)$/;
    step = await browser.submit(step, {}, stopAt, button);
  }
  throw new Error('Sign-in did not finish after six pages');
}
