/**
 * The one-click scenarios of demo mode, as data: who signs in with which client and settings,
 * then what is done with the session. The runner (demo-runner.ts) plays them through the app's
 * own API against the sandbox, or a tenant where a scenario knows how; nothing here knows how.
 */
import type { ProfileResource } from '../profiles/schema';
import type { SandboxChanges } from './sandbox-changes';
import type { TenantBase, TenantProfile } from './target';

/** A profile for one part of a scenario; the runner fills in the target's server and issuer. */
export interface PartProfile extends Partial<Omit<TenantProfile, 'hasClientSecret'>> {
  name: string;
  clientId: string;
  scopes: string[];
  resource?: ProfileResource;
  prompt?: string;
  refreshTokens?: boolean;
  /**
   * Whose client secret the part's client gets: the sandbox's confidential third-party agent's,
   * or the secret of the tenant profile the part was built from.
   */
  secret?: 'sandbox-third-party' | 'target';
}

export type DemoAct =
  | { do: 'call' }
  /** `checkOld`: show the server the access token from before (default true). */
  | { do: 'refresh'; checkOld?: boolean }
  /** Wait until the server must refuse the current access token, then show it to the server. */
  | { do: 'expire' }
  | { do: 'sign-out' };

export interface ScenarioPart {
  title: string;
  profile: PartProfile;
  /** Who signs in: a sandbox user by name, or on a tenant a description of whom to pick. */
  signIn?: { username: string; consent: boolean };
  /** The loopback redirect URI on this path instead of the app's own (one never registered). */
  redirectPath?: string;
  /** The API permission the part is about: a lesson part whose token lacks it shows the lesson. */
  permission?: string;
  acts: DemoAct[];
  /** How the part is expected to end when it shows a mistake: the lesson in words. */
  lesson?: { cause: string; fix: string };
  /** Why the server refuses this part's token, told beside the server's own verdict. */
  refusal?: { cause: string; fix: string };
  takeaway?: string;
}

export interface Scenario {
  id: string;
  title: string;
  summary: string;
  /** What the sandbox must do differently for this story; restored when the run ends. */
  sandbox?: SandboxChanges;
  parts: ScenarioPart[];
  /** The same story on a tenant, built from one of the user's profiles (no sandbox change). */
  onTenant?: { summary: string; parts(base: TenantBase): ScenarioPart[] };
}

const API_PERMISSION = 'whoami:read';
const API_SCOPES = ['openid', 'profile', API_PERMISSION];
/**
 * A callback path from a web framework's guide: not this app's `/callback`, nor mcp-remote's
 * `/oauth/callback`, which a tenant may well have registered.
 */
const UNREGISTERED_REDIRECT_PATH = '/auth/callback';
const UNKNOWN_RESOURCE = 'https://api.example.invalid/';
/** `prompt=login`: every part signs in afresh, so two people never share the issuer's session. */
const FRESH = 'login';
/**
 * The access-token lifetime for "a token's life": short enough to wait for in front of a room.
 * The app's client refreshes on its own only in the last tenth of a token's life, so the first
 * call still uses this token (client/engine/refresh-margin.ts), and the bundled server allows no
 * clock leeway for the story, so it refuses the token from the second it expires.
 */
const SHORT_TOKEN_TTL_SEC = 20;

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
          secret: 'sandbox-third-party',
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
      'alice and bob sign in in separate sessions and call whoami. The bundled server requires whoami:read for this story: alice has a role granting it, bob does not, and the server answers him 403.',
    sandbox: { requiredScopes: ['whoami:read'] },
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
        takeaway:
          'alice’s token carries scope whoami:read, which the server requires: it lets her in and whoami answers.',
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
        refusal: {
          cause:
            'No role of bob’s grants whoami:read, so the issuer left it out of his token (its scope is empty). The server requires it: 403 insufficient_scope. Signing in again would give the same token.',
          fix: 'In Logto Console › Roles, give a role the whoami:read permission of the API resource and assign the role to bob (User management › bob › Roles); then he signs in again.',
        },
        takeaway:
          'The issuer decides what a token carries (from roles); the server decides what it may do. 403: “I know who you are; you may not.” 401: “I do not accept this token.”',
      },
    ],
  },
  {
    id: 'token-life',
    title: "A token's life",
    summary: `Sign in with a refresh token and call; let the access token really expire (the sandbox issues ${SHORT_TOKEN_TTL_SEC} s tokens for this story, and the server allows no clock leeway) and show it to the server; refresh and call again; then sign out. Each time the server's verdict on the old token is the proof.`,
    sandbox: { accessTokenTtlSec: SHORT_TOKEN_TTL_SEC, clockToleranceSec: 0 },
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
        acts: [
          { do: 'call' },
          { do: 'expire' },
          { do: 'refresh', checkOld: false },
          { do: 'call' },
          { do: 'sign-out' },
        ],
        takeaway:
          'Only expiry ends a JWT access token: the server refused the expired one, and still accepts the revoked one until its exp. Sign-out takes away the refresh token. Keep access tokens short-lived.',
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
          resource: { mode: 'custom', value: UNKNOWN_RESOURCE },
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
        permission: API_PERMISSION,
        acts: [{ do: 'call' }],
        lesson: {
          cause: 'bob has no role granting whoami:read, so his token’s scope is empty.',
          fix: 'In Logto Console › User management › bob › Roles, assign a role that has the whoami:read permission of the API resource.',
        },
      },
    ],
    onTenant: {
      summary:
        'The same mistakes played against your tenant with your profile’s client, each answered by your Logto: a client ID one character short, a redirect URI your app never registered, an unknown resource, and a sign-in by a user without the permission.',
      parts: tenantMistakes,
    },
  },
];

/** A client ID as a hurried paste leaves it: one character short. */
export function typoOf(clientId: string): string {
  const at = Math.floor((clientId.length * 2) / 3);
  return clientId.slice(0, at) + clientId.slice(at + 1);
}

/**
 * "What goes wrong" on a tenant: each part is the user's own profile with one thing wrong, so the
 * answer is their Logto's. The redirect part sends a path nobody registers for this app (Logto
 * matches a loopback redirect URI's path exactly, and any port: RFC 8252 §7.3).
 */
function tenantMistakes({ name, profile, permission }: TenantBase): ScenarioPart[] {
  const { hasClientSecret, ...own } = profile;
  const secret = hasClientSecret ? ({ secret: 'target' } as const) : {};
  const scopes = own.scopes.includes(permission) ? own.scopes : [...own.scopes, permission];
  const typo = typoOf(own.clientId);
  return [
    {
      title: 'Wrong client ID',
      profile: { ...own, name: 'Demo: wrong client ID', clientId: typo },
      acts: [],
      lesson: {
        cause: `Your tenant does not know this client ID (one character short: ${typo}).`,
        fix: `Copy the App ID from Logto Console › Applications into the Client ID of “${name}”.`,
      },
    },
    {
      title: 'Unregistered redirect URI',
      profile: { ...own, ...secret, name: 'Demo: unregistered redirect URI' },
      redirectPath: UNREGISTERED_REDIRECT_PATH,
      acts: [],
      lesson: {
        cause: `The app redirects to ${UNREGISTERED_REDIRECT_PATH} (a path copied from a web framework’s guide); your app registers no such redirect URI, so Logto stops at its own error page.`,
        fix: 'Register the exact redirect URI the app shows in Logto Console › Applications › Redirect URIs; for a Native app http://127.0.0.1/callback matches any port.',
      },
    },
    {
      title: 'Unknown resource',
      profile: {
        ...own,
        ...secret,
        name: 'Demo: unknown resource',
        resource: { mode: 'custom', value: UNKNOWN_RESOURCE },
      },
      acts: [],
      lesson: {
        cause: 'Your tenant has no API resource with this indicator (invalid_target).',
        fix: 'Set Resource to automatic, or create the API resource with the server’s indicator in Logto Console › API resources.',
      },
    },
    {
      title: 'Missing permission',
      profile: { ...own, ...secret, name: 'Demo: missing permission', scopes, prompt: FRESH },
      signIn: { username: `a user without ${permission}`, consent: false },
      permission,
      acts: [{ do: 'call' }],
      lesson: {
        cause: `No role of this user grants ${permission}, so the token leaves it out.`,
        fix: `In Logto Console › User management › the user › Roles, assign a role that has the ${permission} permission of the API resource.`,
      },
      takeaway: `This user has a role granting ${permission}, so nothing went wrong here. Run it again and sign in as a user without that role to see the mistake.`,
    },
  ];
}

export const scenarioById = (id: string): Scenario | undefined =>
  SCENARIOS.find((s) => s.id === id);
