/**
 * Step 5: the authorization request. The SDK builds it (PKCE S256, state, resource); this module
 * decides the scopes and resource the way the best MCP clients do, adds what the SDK has no hook
 * for (prompt, extra parameters such as Logto's first_screen or organization_id), and sends the
 * request once itself, without following redirects, so that an error answer is explained here
 * rather than left on the issuer's raw error page.
 */
import { startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { explainOAuthError } from './oauth-errors';
import { FLOW_ERROR, issuerCode } from './error-codes';
import { FlowStepError, type Finding } from './notes';

export type ResourceChoice =
  { mode: 'auto' } | { mode: 'custom'; value: string } | { mode: 'none' };

/**
 * MCP 2025-11-25 scope selection: the challenge's scope, else the server's scopes_supported, plus
 * what the user asked for (never required to retype what the server advertises), plus what a
 * step-up found missing, plus offline_access when refresh tokens are wanted.
 */
export function selectScopes(parts: {
  challenge?: string[];
  supported?: string[];
  configured?: string[];
  stepUp?: string[];
  refreshTokens?: boolean;
}): string[] {
  const fromServer = parts.challenge?.length ? parts.challenge : (parts.supported ?? []);
  const all = [...fromServer, ...(parts.configured ?? []), ...(parts.stepUp ?? [])];
  if (parts.refreshTokens) all.push('offline_access');
  return [...new Set(all)];
}

/** The resource indicator to send (RFC 8707), or undefined to ask for an opaque token. */
export function selectResource(
  choice: ResourceChoice,
  serverUrl: string,
  resourceMetadata: OAuthProtectedResourceMetadata | undefined,
): { resource?: string; findings: Finding[] } {
  if (choice.mode === 'none') {
    return {
      findings: [
        {
          level: 'info',
          message:
            'No resource indicator: the issuer hands out an opaque token, which the server checks at the userinfo endpoint (the tutorials’ path).',
        },
      ],
    };
  }
  if (choice.mode === 'custom') {
    const own = resourceMetadata?.resource;
    return {
      resource: choice.value,
      findings: [
        own && own !== choice.value
          ? {
              level: 'warning',
              message: `The profile asks for a token for ${choice.value}, but this server’s own resource indicator is ${own}: it will reject a token whose audience is not ${own}. Set the profile’s Resource to automatic (or to exactly ${own}).`,
              specRef: 'RFC 8707 §2; RFC 9728 §3.3',
            }
          : {
              level: 'info',
              message: `Custom resource indicator ${choice.value}: Logto issues a JWT for it if an API resource with that identifier exists.`,
            },
      ],
    };
  }
  if (!resourceMetadata) {
    return {
      findings: [
        {
          level: 'info',
          message: 'The server publishes no resource indicator, so none is sent (an opaque token).',
        },
      ],
    };
  }
  if (
    !checkResourceAllowed({
      requestedResource: serverUrl,
      configuredResource: resourceMetadata.resource,
    })
  ) {
    throw new FlowStepError(
      `The server’s metadata names the resource ${resourceMetadata.resource}, which does not cover the server URL ${serverUrl} (different origin or path).`,
      'Use the MCP URL the server prints (same host name as its resource indicator: localhost vs 127.0.0.1 matters), or fix the server’s resource indicator.',
      FLOW_ERROR.resourceMismatch,
    );
  }
  return {
    resource: resourceMetadata.resource,
    findings: [
      {
        level: 'info',
        message: `Resource indicator ${resourceMetadata.resource} from the server’s metadata: the issuer hands out a JWT whose audience is this server.`,
      },
    ],
  };
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  codeVerifier: string;
  scope: string[];
  resource?: string;
}

export async function buildAuthorizationRequest(opts: {
  authorizationServerUrl: string;
  metadata: AuthorizationServerMetadata;
  client: OAuthClientInformationMixed;
  redirectUri: string;
  scope: string[];
  resource?: string;
  state: string;
  prompt?: string;
  extraParams?: Record<string, string>;
  refreshTokens?: boolean;
}): Promise<AuthorizationRequest> {
  const { authorizationUrl, codeVerifier } = await startAuthorization(opts.authorizationServerUrl, {
    metadata: opts.metadata,
    clientInformation: opts.client,
    redirectUrl: opts.redirectUri,
    scope: opts.scope.join(' '),
    state: opts.state,
    ...(opts.resource && { resource: new URL(opts.resource) }),
  });
  // The SDK sends URL.href, which adds "/" to a pathless indicator; exact-match issuers (Logto)
  // would reject it. Send the indicator verbatim.
  if (opts.resource) authorizationUrl.searchParams.set('resource', opts.resource);
  // Logto issues a refresh token only with offline_access AND prompt=consent (docs/logto.md).
  const prompts = new Set((opts.prompt ?? '').split(/\s+/).filter(Boolean));
  if (opts.refreshTokens) prompts.add('consent');
  const sdkPrompt = authorizationUrl.searchParams.get('prompt');
  if (sdkPrompt) for (const p of sdkPrompt.split(' ')) prompts.add(p);
  if (prompts.size) authorizationUrl.searchParams.set('prompt', [...prompts].join(' '));
  for (const [key, value] of Object.entries(opts.extraParams ?? {})) {
    authorizationUrl.searchParams.set(key, value);
  }
  return {
    url: authorizationUrl,
    state: opts.state,
    codeVerifier,
    scope: opts.scope,
    ...(opts.resource && { resource: opts.resource }),
  };
}

/**
 * Sends the authorization request without following redirects. Logto answers a bad client ID,
 * redirect URI or resource with a JSON 400 (or a redirect carrying `error`): such an answer ends
 * the step with its cause and the fix. A redirect to a sign-in page means the request is good;
 * the interaction it opened is simply abandoned.
 */
export interface PreflightResult {
  findings: Finding[];
  /**
   * Set when the issuer approved at once (no person needed) and redirected straight back with a
   * code: that answer IS the authorization response. Opening a browser as well would spend a
   * second request and mint a second code.
   */
  callback?: URL;
}

export async function preflightAuthorization(
  request: AuthorizationRequest,
  ctx: {
    clientId: string;
    redirectUri: string;
    serverResource?: string;
    fixedRedirectPort?: number;
  },
  fetchFn: FetchLike,
): Promise<PreflightResult> {
  let response: Response;
  try {
    response = await fetchFn(request.url, { redirect: 'manual' });
  } catch (error) {
    throw new FlowStepError(
      `The authorization endpoint ${request.url.origin}${request.url.pathname} did not answer: ${(error as Error).message}`,
      'Check that the issuer is reachable.',
      FLOW_ERROR.authorizationUnreachable,
      { cause: error },
    );
  }
  const explainCtx = {
    ...ctx,
    scope: request.scope.join(' '),
    ...(request.resource && { resource: request.resource }),
  };
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    await response.body?.cancel().catch(() => undefined);
    const target = new URL(location, request.url);
    const error = target.searchParams.get('error');
    const toRedirectUri = target.href.startsWith(ctx.redirectUri.split('?')[0]!);
    if (error && toRedirectUri) {
      const explained = explainOAuthError(
        {
          error,
          ...(target.searchParams.get('error_description') && {
            error_description: target.searchParams.get('error_description')!,
          }),
        },
        {
          ...explainCtx,
          // Logto names the refused scope(s) of a third-party app in a `scope` parameter.
          ...(target.searchParams.get('scope') && {
            refusedScope: target.searchParams.get('scope')!,
          }),
        },
      );
      throw new FlowStepError(explained.message, explained.fix, issuerCode(error));
    }
    if (toRedirectUri) {
      return {
        findings: [
          {
            level: 'info',
            message:
              'The issuer approved without asking anyone and redirected straight back with a code.',
          },
        ],
        callback: target,
      };
    }
    return {
      findings: [
        {
          level: 'info',
          message: `The issuer accepted the request and sends the browser to ${target.origin}${target.pathname}.`,
        },
      ],
    };
  }
  if (response.status >= 400) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: unknown; error_description?: unknown; scope?: unknown } | undefined;
    if (body && typeof body.error === 'string') {
      const explained = explainOAuthError(
        {
          error: body.error,
          ...(typeof body.error_description === 'string' && {
            error_description: body.error_description,
          }),
        },
        { ...explainCtx, ...(typeof body.scope === 'string' && { refusedScope: body.scope }) },
      );
      throw new FlowStepError(explained.message, explained.fix, issuerCode(body.error));
    }
    throw new FlowStepError(
      `The authorization endpoint answered HTTP ${response.status}.`,
      'See the exchange in the trace for the issuer’s answer.',
      FLOW_ERROR.authorizationHttpError,
    );
  }
  await response.body?.cancel().catch(() => undefined);
  return {
    findings: [
      { level: 'info', message: 'The issuer accepted the request and shows its sign-in page.' },
    ],
  };
}
