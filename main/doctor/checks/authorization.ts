/**
 * The authorization request exactly as the engine builds and pre-sends it (authorization.ts),
 * answered by the issuer without a sign-in. Logto answers an unknown client or an unregistered
 * redirect URI with a 400 JSON page, an unknown resource or a third-party app's disallowed scope
 * with a 303 to the redirect URI carrying `error` (and `scope`), and a good request with a 303 to
 * its sign-in page (docs/logto.md). Nothing is followed, so no interaction is started for real.
 */
import { randomBytes } from 'node:crypto';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  buildAuthorizationRequest,
  preflightAuthorization,
  selectScopes,
} from '../../client/engine/authorization';
import { FlowStepError } from '../../client/engine/notes';
import { LOOPBACK_CALLBACK_PATH, LOOPBACK_HOST } from '../../client/redirect/loopback-listener';
import { loopbackUrl, uriToRegister } from '../../client/redirect/uri-to-register';
import type { Check, DoctorInput } from '../types';
import { messageOf, type DoctorContext } from '../context';
import type { IssuerDocument } from './issuer';
import type { ServerFindings } from './server';

export interface ProbePlan {
  clientId: string;
  scope: string[];
  resource?: string;
}

type Answer =
  | { accepted: true }
  | { accepted: false; code: string; message: string; fix?: string; scope?: string[] };

/** An ephemeral port, as the app's loopback listener would get one. */
const somePort = () => 49_152 + (randomBytes(2).readUInt16BE() % 16_000);
export const loopbackRedirect = (port: number) =>
  `http://${LOOPBACK_HOST}:${port}${LOOPBACK_CALLBACK_PATH}`;

async function probe(
  doc: IssuerDocument,
  input: DoctorInput,
  plan: ProbePlan,
  redirectUri: string,
  fetchFn: FetchLike,
): Promise<Answer> {
  // The engine reads only the Location's error; the doctor also wants Logto's `scope` parameter.
  let location: string | null = null;
  const capturing: FetchLike = async (url, init) => {
    const response = await fetchFn(url, init);
    location = response.headers.get('location');
    return response;
  };
  try {
    const request = await buildAuthorizationRequest({
      authorizationServerUrl: doc.issuer,
      metadata: doc as unknown as AuthorizationServerMetadata,
      client: { client_id: plan.clientId },
      redirectUri,
      scope: plan.scope,
      state: randomBytes(16).toString('base64url'),
      extraParams: input.extraParams ?? {},
      refreshTokens: input.refreshTokens ?? false,
      ...(plan.resource && { resource: plan.resource }),
      ...(input.prompt && { prompt: input.prompt }),
    });
    await preflightAuthorization(request, { clientId: plan.clientId, redirectUri }, capturing);
    return { accepted: true };
  } catch (error) {
    const named = location
      ? URL.parse(location, doc.authorization_endpoint)?.searchParams.get('scope')
      : null;
    return {
      accepted: false,
      code: error instanceof FlowStepError ? (error.code ?? 'error') : 'error',
      message: messageOf(error),
      ...(error instanceof FlowStepError && error.fix && { fix: error.fix }),
      ...(named && { scope: named.split(' ').filter(Boolean) }),
    };
  }
}

const check = (c: Omit<Check, 'group'>): Check => ({ group: 'authorization', ...c });

/** Loopback: register it without a port (Native apps match any port). Anything else: exactly. */
function redirectFix(redirectUri: string): string {
  return loopbackUrl(redirectUri)
    ? `In Logto Console → Applications → your app → Redirect URIs, add ${uriToRegister(redirectUri)} (no port): a Native app accepts it on any port. An SPA or Traditional web app matches exactly, port included; a desktop client should use a Native app.`
    : `In Logto Console → Applications → your app → Redirect URIs, add exactly ${redirectUri}.`;
}

export function planProbe(
  input: DoctorInput & { clientId: string },
  server: ServerFindings | undefined,
): ProbePlan {
  const challenge = server?.challenge?.scope;
  const supported = server?.metadata?.scopes_supported;
  const scope = selectScopes({
    ...(challenge && { challenge }),
    ...(supported && { supported }),
    configured: input.scopes ?? [],
    refreshTokens: input.refreshTokens ?? false,
  });
  // Without a server, a custom resource is sent as typed; auto has nothing to follow.
  const resource =
    server?.resource ?? (input.resource?.mode === 'custom' ? input.resource.value : undefined);
  return { clientId: input.clientId, scope, ...(resource && { resource }) };
}

export async function checkAuthorization(
  input: DoctorInput,
  doc: IssuerDocument,
  plan: ProbePlan,
  ctx: DoctorContext,
): Promise<Check[]> {
  const checks: Check[] = [];
  const redirectUri = input.redirectUri ?? loopbackRedirect(somePort());
  let current = { ...plan };
  const refused: { resource?: Answer; scope?: Answer } = {};
  // At most three probes: each refusal of the resource or of scopes is set aside to learn the rest.
  let answer = await probe(doc, input, current, redirectUri, ctx.fetch);
  for (let round = 0; round < 2 && !answer.accepted; round += 1) {
    if (answer.code === 'invalid_target' && current.resource && !refused.resource) {
      refused.resource = answer;
      current = { clientId: current.clientId, scope: current.scope };
    } else if (answer.code === 'invalid_scope' && !refused.scope) {
      refused.scope = answer;
      const bad = new Set(answer.scope ?? current.scope.filter((s) => s !== 'openid'));
      current = { ...current, scope: current.scope.filter((s) => !bad.has(s)) };
    } else break;
    answer = await probe(doc, input, current, redirectUri, ctx.fetch);
  }

  // Another answer (a server error, a malformed request) says nothing about the client.
  if (
    !answer.accepted &&
    answer.code !== 'invalid_client' &&
    answer.code !== 'invalid_redirect_uri'
  ) {
    checks.push(
      check({
        id: 'authorization.request',
        status: 'fail',
        title: 'Authorization request accepted',
        detail: answer.message,
        ...(answer.fix && { fix: answer.fix }),
        specRef: 'RFC 6749 §4.1.2.1',
      }),
    );
    return checks;
  }
  if (!answer.accepted && answer.code === 'invalid_client') {
    checks.push(
      check({
        id: 'authorization.client',
        status: 'fail',
        title: 'Client ID known',
        detail: answer.message,
        cause: 'The issuer has no app with this ID, so it stops before checking anything else.',
        fix: 'Copy the App ID from Logto Console → Applications → your app (a Native app for a desktop client) into Client ID.',
        specRef: 'RFC 6749 §4.1.2.1',
      }),
    );
    return checks;
  }
  checks.push(
    check({
      id: 'authorization.client',
      status: 'pass',
      title: 'Client ID known',
      detail: `The issuer knows ${plan.clientId}.`,
    }),
  );
  if (!answer.accepted && answer.code === 'invalid_redirect_uri') {
    checks.push(
      check({
        id: 'authorization.redirect-uri',
        status: 'fail',
        title: 'Redirect URI accepted',
        detail: `The issuer refuses ${redirectUri}.`,
        cause: 'The redirect URI is not registered for this app.',
        fix: redirectFix(redirectUri),
        specRef: 'RFC 8252 §7.3',
      }),
    );
    return checks;
  }
  checks.push(
    check({
      id: 'authorization.redirect-uri',
      status: 'pass',
      title: 'Redirect URI accepted',
      detail: `The issuer accepts ${redirectUri}.`,
    }),
  );
  checks.push(await anyPortCheck(doc, input, current, redirectUri, ctx));
  checks.push(resourceCheck(plan, refused.resource));
  checks.push(scopeCheck(plan, doc, refused.scope));
  checks.push(refreshCheck(input, doc));
  return checks;
}

async function anyPortCheck(
  doc: IssuerDocument,
  input: DoctorInput,
  plan: ProbePlan,
  first: string,
  ctx: DoctorContext,
): Promise<Check> {
  const title = 'Redirect URI accepted on another port';
  const url = new URL(first);
  if (!url.port) {
    return check({
      id: 'authorization.redirect-any-port',
      status: 'pass',
      title,
      detail: `${first} names no port, so none can change.`,
    });
  }
  do url.port = String(somePort());
  while (url.href === first);
  const second = url.href;
  const answer = await probe(doc, input, plan, second, ctx.fetch);
  if (answer.accepted) {
    return check({
      id: 'authorization.redirect-any-port',
      status: 'pass',
      title,
      detail: `${second} is accepted too: the loopback redirect works whichever port the app listens on.`,
    });
  }
  return check({
    id: 'authorization.redirect-any-port',
    status: 'fail',
    title,
    detail: `${first} is accepted but ${second} is not (${answer.code}).`,
    cause:
      'The app listens on a new loopback port at every sign-in; this app matches the redirect URI exactly, port included (an SPA or Traditional web app).',
    fix: redirectFix(first),
    specRef: 'RFC 8252 §7.3',
  });
}

function resourceCheck(plan: ProbePlan, refused: Answer | undefined): Check {
  const title = 'Resource known to the issuer';
  if (!plan.resource) {
    return check({
      id: 'authorization.resource',
      status: 'pass',
      title,
      detail: 'No resource indicator is sent: the issuer hands out an opaque token.',
    });
  }
  if (refused && !refused.accepted) {
    return check({
      id: 'authorization.resource',
      status: 'fail',
      title,
      detail: `The issuer answered invalid_target for ${plan.resource}.`,
      cause: 'No API resource has this identifier.',
      fix: `In Logto Console → API resources, create one whose API identifier is exactly ${plan.resource} (trailing slash included), or set the profile’s resource to none for an opaque token.`,
      specRef: 'RFC 8707 §2',
    });
  }
  return check({
    id: 'authorization.resource',
    status: 'pass',
    title,
    detail: `The issuer knows the API resource ${plan.resource}: the token will be a JWT for it.`,
  });
}

function scopeCheck(plan: ProbePlan, doc: IssuerDocument, refused: Answer | undefined): Check {
  const title = 'Scopes allowed for this app';
  if (refused && !refused.accepted) {
    const named = refused.scope?.join(' ');
    return check({
      id: 'authorization.scopes',
      status: 'fail',
      title,
      detail: named
        ? `The issuer refuses ${named} for this app (invalid_scope).`
        : `The issuer refuses the scopes ${plan.scope.join(' ')} (invalid_scope).`,
      cause: 'A third-party app may ask only for the permissions enabled for it.',
      fix: named
        ? `Enable ${named} in Logto Console → Applications → the app → Permissions, or remove ${named} from the profile’s scopes.`
        : (refused.fix ?? 'Remove the scopes the issuer refuses.'),
      specRef: 'RFC 6749 §3.3',
    });
  }
  const supported = Array.isArray(doc.scopes_supported) ? (doc.scopes_supported as string[]) : [];
  // With a resource, API permissions are not in scopes_supported (Logto lists only OIDC scopes).
  const dropped = plan.resource
    ? []
    : plan.scope.filter((s) => supported.length && !supported.includes(s));
  if (dropped.length) {
    return check({
      id: 'authorization.scopes',
      status: 'warn',
      title,
      detail: `${dropped.join(' ')} ${dropped.length > 1 ? 'are' : 'is'} not in the issuer’s scopes_supported and no resource is sent.`,
      cause: 'Logto drops unknown scopes silently: the token will not carry them.',
      fix: 'Send the resource (profile resource: automatic) so API permissions can be granted, or remove these scopes.',
    });
  }
  return check({
    id: 'authorization.scopes',
    status: 'pass',
    title,
    detail: `The issuer accepts the request for ${plan.scope.join(' ') || '(no scope)'}.`,
  });
}

function refreshCheck(input: DoctorInput, doc: IssuerDocument): Check {
  const title = 'Refresh tokens possible';
  if (!input.refreshTokens) {
    return check({
      id: 'authorization.refresh-tokens',
      status: 'pass',
      title,
      detail: 'Not asked for: when the access token expires, the app signs in again.',
    });
  }
  const grants = Array.isArray(doc.grant_types_supported)
    ? (doc.grant_types_supported as string[])
    : ['authorization_code'];
  const scopes = Array.isArray(doc.scopes_supported) ? (doc.scopes_supported as string[]) : [];
  if (!grants.includes('refresh_token') || (scopes.length && !scopes.includes('offline_access'))) {
    return check({
      id: 'authorization.refresh-tokens',
      status: 'fail',
      title,
      detail: `grant_types_supported: ${grants.join(', ')}; offline_access ${scopes.includes('offline_access') ? '' : 'not '}supported.`,
      cause: 'The issuer does not offer refresh tokens.',
      fix: 'Turn refresh tokens off in the profile.',
    });
  }
  return check({
    id: 'authorization.refresh-tokens',
    status: 'pass',
    title,
    detail:
      'offline_access is requested with prompt=consent, as Logto requires for a refresh token.',
  });
}
