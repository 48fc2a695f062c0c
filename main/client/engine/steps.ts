/**
 * The steps of a sign-in, each with its title, plain-language explanation and spec reference kept
 * together, so the UI, the CLI and the exported trace can never disagree about a step.
 */

export const STEP_IDS = [
  'probe',
  'resource-metadata',
  'authorization-server-metadata',
  'client',
  'authorization-request',
  'sign-in',
  'redirect',
  'token-exchange',
  'mcp-connect',
  'tool-call',
] as const;

export type StepId = (typeof STEP_IDS)[number];

/**
 * The steps after sign-in, in their own list so the sign-in list the UI shows stays as it is; the
 * trace records them as steps like the others.
 */
export const SESSION_STEP_IDS = ['refresh', 'revoke', 'end-session', 'old-token-check'] as const;

export type SessionStepId = (typeof SESSION_STEP_IDS)[number];

/** Any step the engine runs: a sign-in step or a step after sign-in. */
export type AnyStepId = StepId | SessionStepId;

export interface StepInfo<Id extends AnyStepId = StepId> {
  id: Id;
  title: string;
  explanation: string;
  specRef: string;
}

export const STEPS: Record<StepId, StepInfo> = {
  probe: {
    id: 'probe',
    title: 'Ask the MCP server without a token',
    explanation:
      'The client calls the MCP server as if it needed no sign-in. A protected server answers 401 with a WWW-Authenticate challenge that says where its protected resource metadata is and which scopes to ask for.',
    specRef:
      'MCP Authorization (2025-11-25) §Authorization Server Discovery; RFC 6750 §3; RFC 9728 §5.1',
  },
  'resource-metadata': {
    id: 'resource-metadata',
    title: 'Read the protected resource metadata',
    explanation:
      'The server’s metadata names its resource indicator and the authorization servers (issuers) it trusts. Servers from before June 2025 have none; then the client falls back to the server’s own origin.',
    specRef: 'RFC 9728 §3; MCP Authorization §Protected Resource Metadata Discovery',
  },
  'authorization-server-metadata': {
    id: 'authorization-server-metadata',
    title: 'Read the authorization server metadata',
    explanation:
      'The client fetches the issuer’s discovery document to learn its endpoints (authorize, token, revocation, end session), supported PKCE methods, client authentication methods and whether clients may register themselves.',
    specRef: 'RFC 8414 §3; OpenID Connect Discovery 1.0 §4',
  },
  client: {
    id: 'client',
    title: 'Identify the client',
    explanation:
      'The issuer must know this app. It uses a pre-registered client ID (a Logto app), a Client ID Metadata Document URL, or registers itself where the issuer allows Dynamic Client Registration.',
    specRef: 'RFC 7591 §3; MCP Authorization §Client Registration Approaches',
  },
  'authorization-request': {
    id: 'authorization-request',
    title: 'Prepare the authorization request',
    explanation:
      'The client builds the sign-in URL: client ID, redirect URI, scopes, the resource indicator (a JWT for the server) or none (an opaque token), a random state, and a PKCE S256 challenge. It sends the request once itself first, so a wrong client ID or redirect URI is explained here instead of on the issuer’s error page.',
    specRef: 'RFC 6749 §4.1.1; RFC 7636 §4.3; RFC 8707 §2.1',
  },
  'sign-in': {
    id: 'sign-in',
    title: 'Sign in at the issuer',
    explanation:
      'The sign-in page opens in the browser. The user signs in (and, for a third-party app, consents); the issuer then redirects the browser back to the app.',
    specRef: 'RFC 8252 §4.1',
  },
  redirect: {
    id: 'redirect',
    title: 'Receive the redirect',
    explanation:
      'The app receives the authorization code on its redirect URI (a loopback port or its private-use scheme), checks that the state is the one it sent and, where the issuer supports it, that iss names the expected issuer.',
    specRef: 'RFC 6749 §4.1.2; RFC 8252 §7; RFC 9207 §2.4',
  },
  'token-exchange': {
    id: 'token-exchange',
    title: 'Exchange the code for tokens',
    explanation:
      'The client sends the code and its PKCE verifier to the token endpoint and receives an access token (and an ID token and a refresh token when asked for).',
    specRef: 'RFC 6749 §4.1.3; RFC 7636 §4.5; RFC 8707 §2.2',
  },
  'mcp-connect': {
    id: 'mcp-connect',
    title: 'Open the MCP session and list tools',
    explanation:
      'The client initializes an MCP session with the access token in the Authorization header and lists the server’s tools.',
    specRef: 'MCP Lifecycle §Initialization; MCP Authorization §Access Token Usage',
  },
  'tool-call': {
    id: 'tool-call',
    title: 'Call the tool',
    explanation:
      'The client calls a tool (whoami by default). The server verifies the token and answers with what it learned about the user.',
    specRef: 'MCP Tools §Calling Tools',
  },
};

export const SESSION_STEPS: { [Id in SessionStepId]: StepInfo<Id> } = {
  refresh: {
    id: 'refresh',
    title: 'Refresh the access token',
    explanation:
      'The client trades its refresh token at the token endpoint for a new access token, before the old one expires or when asked to. The issuer may rotate the refresh token too.',
    specRef: 'RFC 6749 §6',
  },
  revoke: {
    id: 'revoke',
    title: 'Revoke the tokens',
    explanation:
      'On sign-out the client asks the issuer’s revocation endpoint to revoke the refresh token, then the access token, so neither can be used again.',
    specRef: 'RFC 7009 §2',
  },
  'end-session': {
    id: 'end-session',
    title: 'End the session at the issuer',
    explanation:
      'The client opens the issuer’s end-session endpoint with its client ID and the ID token as a hint, so the issuer ends the browser session too.',
    specRef: 'OpenID Connect RP-Initiated Logout 1.0 §2',
  },
  'old-token-check': {
    id: 'old-token-check',
    title: 'Ask the MCP server about the old token',
    explanation:
      'The client forgets its tokens and sends the old access token to the MCP server once more: a server that checks revocation refuses it; one that only checks a JWT’s signature and expiry may still accept it until it expires.',
    specRef: 'RFC 6750 §3; RFC 7009 §2',
  },
};
