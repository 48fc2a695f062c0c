/**
 * The one-click scenarios of demo mode, as data: who signs in with which client and settings,
 * then what is done with the session. The runner (demo-runner.ts) plays them through the app's
 * own API against the sandbox; nothing here knows how.
 */
import type { ProfileResource } from '../profiles/schema';

/** A profile for one part of a scenario; the runner fills in the sandbox's server and issuer. */
export interface PartProfile {
  name: string;
  clientId: string;
  scopes: string[];
  resource?: ProfileResource;
  prompt?: string;
  refreshTokens?: boolean;
  /** The sandbox's confidential third-party client: the runner hands it the client secret. */
  thirdParty?: boolean;
}

export type DemoAct = { do: 'call' } | { do: 'refresh' } | { do: 'sign-out' };

export interface ScenarioPart {
  title: string;
  profile: PartProfile;
  signIn?: { username: 'alice' | 'bob'; consent: boolean };
  acts: DemoAct[];
  /** How the part is expected to end when it shows a mistake: the lesson in words. */
  lesson?: { cause: string; fix: string };
  takeaway?: string;
}

export interface Scenario {
  id: string;
  title: string;
  summary: string;
  parts: ScenarioPart[];
}

const API_SCOPES = ['openid', 'profile', 'whoami:read'];
/** `prompt=login`: every part signs in afresh, so two people never share the issuer's session. */
const FRESH = 'login';

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'first-vs-third-party',
    title: 'First-party vs third-party',
    summary:
      'alice signs in through the first-party app (no consent screen), then through a third-party agent (a consent screen), and we compare what each was granted.',
    parts: [
      {
        title: 'First-party app (sandbox-native)',
        profile: {
          name: 'Demo: first-party app',
          clientId: 'sandbox-native',
          scopes: API_SCOPES,
          prompt: FRESH,
        },
        signIn: { username: 'alice', consent: false },
        acts: [{ do: 'call' }],
        takeaway:
          'A first-party app is trusted by the tenant: no consent screen, the permissions come from alice’s roles.',
      },
      {
        title: 'Third-party agent (sandbox-third-party)',
        // No `email`: a third-party Logto app refuses scopes not enabled in its Permissions.
        profile: {
          name: 'Demo: third-party agent',
          clientId: 'sandbox-third-party',
          scopes: API_SCOPES,
          prompt: FRESH,
          thirdParty: true,
        },
        signIn: { username: 'alice', consent: true },
        acts: [{ do: 'call' }],
        takeaway:
          'A third-party app must ask alice: the consent screen lists what it wants, and it gets only what she allows.',
      },
    ],
  },
  {
    id: 'two-people',
    title: 'Two people',
    summary:
      'alice and bob sign in in separate sessions and call whoami. alice has a role granting whoami:read; bob does not, and the token says so.',
    parts: [
      {
        title: 'alice (role: MCP user)',
        profile: {
          name: 'Demo: alice',
          clientId: 'sandbox-native',
          scopes: API_SCOPES,
          prompt: FRESH,
        },
        signIn: { username: 'alice', consent: false },
        acts: [{ do: 'call' }],
        takeaway: 'alice’s token carries scope whoami:read: a server that requires it lets her in.',
      },
      {
        title: 'bob (role: Viewer)',
        profile: {
          name: 'Demo: bob',
          clientId: 'sandbox-native',
          scopes: API_SCOPES,
          prompt: FRESH,
        },
        signIn: { username: 'bob', consent: false },
        acts: [{ do: 'call' }],
        takeaway:
          'bob asked for whoami:read but no role grants it to him: his token’s scope is empty. This server does not require the scope, so it still answers; started with --require-scope whoami:read it answers 403 insufficient_scope.',
      },
    ],
  },
  {
    id: 'token-life',
    title: "A token's life",
    summary:
      'Sign in with a refresh token, call, refresh, then sign out (revoke and end the session), each time asking the server about the old access token.',
    parts: [
      {
        title: 'alice, with a refresh token',
        profile: {
          name: 'Demo: a token’s life',
          clientId: 'sandbox-native',
          scopes: [...API_SCOPES, 'offline_access'],
          prompt: 'consent',
          refreshTokens: true,
        },
        signIn: { username: 'alice', consent: false },
        acts: [{ do: 'call' }, { do: 'refresh' }, { do: 'call' }, { do: 'sign-out' }],
        takeaway:
          'A JWT access token is self-contained: refreshing or revoking does not recall it, the server accepts it until it expires. Keep lifetimes short, or use opaque tokens checked at userinfo.',
      },
    ],
  },
  {
    id: 'what-goes-wrong',
    title: 'What goes wrong',
    summary:
      'The common tenant mistakes played against the sandbox, each ending in the cause and the fix: a wrong client ID, an unregistered redirect URI, an unknown resource, a missing permission.',
    parts: [
      {
        title: 'Wrong client ID',
        profile: { name: 'Demo: wrong client ID', clientId: 'sandbox-natve', scopes: API_SCOPES },
        acts: [],
        lesson: {
          cause: 'The issuer does not know this client ID (a typo: sandbox-natve).',
          fix: 'Copy the App ID from Logto Console › Applications into Client ID.',
        },
      },
      {
        title: 'Unregistered redirect URI',
        profile: {
          name: 'Demo: unregistered redirect URI',
          clientId: 'sandbox-spa',
          scopes: API_SCOPES,
        },
        acts: [],
        lesson: {
          cause:
            'The SPA app accepts only http://localhost:6274/oauth/callback; this app redirects to its loopback port.',
          fix: 'Use a Native app for a desktop client and register http://127.0.0.1/callback (any port matches).',
        },
      },
      {
        title: 'Unknown resource',
        profile: {
          name: 'Demo: unknown resource',
          clientId: 'sandbox-native',
          scopes: API_SCOPES,
          resource: { mode: 'custom', value: 'https://api.example.invalid/' },
        },
        acts: [],
        lesson: {
          cause: 'No API resource with this indicator exists at the issuer (invalid_target).',
          fix: 'Set Resource to automatic, or create the API resource with the server’s indicator in Logto Console › API resources.',
        },
      },
      {
        title: 'Missing permission',
        profile: {
          name: 'Demo: missing permission',
          clientId: 'sandbox-native',
          scopes: API_SCOPES,
          prompt: FRESH,
        },
        signIn: { username: 'bob', consent: false },
        acts: [{ do: 'call' }],
        lesson: {
          cause: 'bob has no role granting whoami:read, so his token’s scope is empty.',
          fix: 'In Logto Console › User management › bob › Roles, assign a role that has the whoami:read permission of the API resource.',
        },
      },
    ],
  },
];

export const scenarioById = (id: string): Scenario | undefined =>
  SCENARIOS.find((s) => s.id === id);
