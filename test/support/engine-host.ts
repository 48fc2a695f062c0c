import { SessionStore } from '../../main/client/engine/session-store';
import { Flow, type FlowHost, type FlowSettings } from '../../main/client/engine/flow';
import { RedirectReceiver, startLoopbackListener } from '../../main/client/redirect';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { TraceRecorder } from '../../main/trace';
import { HttpBrowser } from './http-browser';
import { signIn, type SignInResult } from './sign-in';

export interface PersonAtTheBrowser {
  username: string;
  password: string;
  consent?: 'allow' | 'deny';
}

/**
 * A host for the engine as the desktop or web host would be, with a person at the browser:
 * sign-in pages are clicked through by HttpBrowser, and the issuer's redirect reaches the app
 * through the real loopback listener (or, in 'custom-scheme' mode, as a deep link).
 */
export async function startEngineHost(opts: { redirect?: 'loopback' | 'custom-scheme' } = {}) {
  const recorder = new TraceRecorder();
  const receiver = new RedirectReceiver();
  const listener =
    opts.redirect === 'custom-scheme' ? undefined : await startLoopbackListener({ receiver });
  const redirectUri = listener?.redirectUri ?? APP_REDIRECT_URI;
  const secrets = new MemorySecretStore();
  const sessions = new SessionStore(secrets);
  const browser = new HttpBrowser();
  const signIns: SignInResult[] = [];
  let person: PersonAtTheBrowser | undefined;

  const host: FlowHost = {
    recorder,
    receiver,
    redirectUri,
    sessions,
    signInTimeoutMs: 10_000,
    openAuthorizationUrl: async (url: URL) => {
      if (!person) return; // nobody at the browser: the flow waits (and times out)
      const result = await signIn(url, { ...person, redirectUri }, browser);
      signIns.push(result);
      if (listener) {
        const response = await fetch(result.callback);
        await response.text();
      } else {
        receiver.deliver(result.callback, 'deep-link');
      }
    },
  };
  return {
    recorder,
    receiver,
    redirectUri,
    secrets,
    browser,
    signIns,
    /** Who signs in when the app opens the browser (undefined: nobody). */
    setPerson: (p: PersonAtTheBrowser | undefined) => {
      person = p;
    },
    flow: (settings: FlowSettings, overrides: Partial<FlowHost> = {}) =>
      new Flow(settings, { ...host, ...overrides }),
    close: async () => {
      receiver.cancelAll('test over');
      await listener?.close();
    },
  };
}
