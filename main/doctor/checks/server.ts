/**
 * The MCP server, seen from outside as the engine sees it: its challenge to a request without a
 * token (RFC 6750 §3), its protected resource metadata (RFC 9728), and whether a token issued for
 * this profile would be one it accepts (audience, issuer, scopes).
 */
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { selectResource, type ResourceChoice } from '../../client/engine/authorization';
import type { Challenge } from '../../client/engine/challenge';
import { probeServer, readResourceMetadata } from '../../client/engine/discovery';
import { FlowStepError } from '../../client/engine/notes';
import type { Check, DoctorInput } from '../types';
import { messageOf, type DoctorContext } from '../context';

export interface ServerFindings {
  checks: Check[];
  challenge?: Challenge;
  metadata?: OAuthProtectedResourceMetadata;
  /** The resource indicator the client will send, or undefined for an opaque token. */
  resource?: string;
  /** Set when the resource cannot be chosen at all (the engine would stop there). */
  resourceError?: string;
}

const check = (c: Omit<Check, 'group'>): Check => ({ group: 'server', ...c });
const trimSlash = (value: string) => value.replace(/\/+$/, '');
/** OIDC scopes are the issuer's; any other scope the server names is an API permission. */
export const OIDC_SCOPES = new Set([
  'openid',
  'profile',
  'email',
  'phone',
  'address',
  'offline_access',
]);

export async function checkServer(
  input: DoctorInput & { serverUrl: string },
  ctx: DoctorContext,
): Promise<ServerFindings> {
  const checks: Check[] = [];
  let challenge: Challenge | undefined;
  try {
    const probe = await probeServer(
      input.serverUrl,
      input.transport ?? 'streamable-http',
      ctx.fetch,
    );
    challenge = probe.challenge;
    const warnings = probe.findings.filter((f) => f.level !== 'info');
    checks.push(
      !probe.needsAuth
        ? check({
            id: 'server.challenge',
            status: 'warn',
            title: 'Server asks for a token',
            detail: probe.findings.map((f) => f.message).join(' '),
            cause: 'The server answers without a token: there is no sign-in to check.',
          })
        : warnings.length
          ? check({
              id: 'server.challenge',
              status: 'warn',
              title: 'Server challenge well formed',
              detail: warnings.map((f) => f.message).join(' '),
              cause: 'Strict clients may not find the metadata or may misread the challenge.',
              fix: 'Answer a request without a token with 401 and WWW-Authenticate: Bearer resource_metadata="…" and no error code.',
              specRef: warnings[0]?.specRef ?? 'RFC 6750 §3',
            })
          : check({
              id: 'server.challenge',
              status: 'pass',
              title: 'Server challenge well formed',
              detail: `401 with a Bearer challenge${challenge?.resourceMetadata ? ` pointing to ${challenge.resourceMetadata}` : ''}.`,
            }),
    );
  } catch (error) {
    checks.push(
      check({
        id: 'server.challenge',
        status: 'fail',
        title: 'Server challenge well formed',
        detail: messageOf(error),
        ...(error instanceof FlowStepError && error.fix && { fix: error.fix }),
        specRef: 'RFC 6750 §3; MCP Authorization',
      }),
    );
    // Go on: a server that cannot answer MCP requests right now (503 while it cannot reach its
    // issuer) still serves its metadata, which says whom it trusts.
  }

  const prm = await readResourceMetadata(input.serverUrl, challenge?.resourceMetadata, ctx.fetch);
  const metadata = prm.metadata;
  if (!metadata) {
    checks.push(
      check({
        id: 'server.metadata',
        status: 'warn',
        title: 'Protected resource metadata',
        detail: prm.findings.map((f) => f.message).join(' '),
        cause: 'Without RFC 9728 metadata the client guesses the issuer from the server’s origin.',
        fix: 'Serve /.well-known/oauth-protected-resource naming the resource and the Logto issuer (mcp-auth: protectedResourceMetadataRouter()).',
        specRef: 'RFC 9728 §3',
      }),
    );
  } else {
    checks.push(
      check({
        id: 'server.metadata',
        status: 'pass',
        title: 'Protected resource metadata',
        detail: `Resource ${metadata.resource}; issuer(s) ${(metadata.authorization_servers ?? []).join(', ') || 'none'}.`,
      }),
    );
  }

  const findings: ServerFindings = {
    checks,
    ...(challenge && { challenge }),
    ...(metadata && { metadata }),
  };
  const choice: ResourceChoice = input.resource ?? { mode: 'auto' };
  try {
    const chosen = selectResource(choice, input.serverUrl, metadata);
    if (chosen.resource) findings.resource = chosen.resource;
  } catch (error) {
    findings.resourceError = messageOf(error);
  }
  checks.push(resourceCheck(findings, choice));
  if (metadata) checks.push(issuerCheck(input.issuer, metadata));
  checks.push(scopesCheck(findings, input));
  return findings;
}

function resourceCheck(f: ServerFindings, choice: ResourceChoice): Check {
  const title = 'Token audience is this server';
  const serverResource = f.metadata?.resource;
  if (f.resourceError) {
    return check({
      id: 'server.resource',
      status: 'fail',
      title,
      detail: f.resourceError,
      fix: 'Use the MCP URL the server prints (same host as its resource indicator), or fix the server’s resource indicator.',
      specRef: 'RFC 8707; RFC 9728 §3.3',
    });
  }
  if (!f.resource) {
    return check({
      id: 'server.resource',
      status: 'warn',
      title,
      detail:
        choice.mode === 'none'
          ? 'No resource indicator will be sent: the token is opaque and has no audience.'
          : 'The server publishes no resource indicator, so none will be sent: the token is opaque.',
      cause:
        'The server can only check an opaque token at the issuer’s userinfo endpoint; a server that accepts only JWTs rejects it.',
      fix: serverResource
        ? `Set the profile’s resource to automatic to get a JWT for ${serverResource}.`
        : 'Give the server a resource indicator and register it as an API resource in Logto Console → API resources.',
      specRef: 'RFC 8707 §2',
    });
  }
  if (serverResource && f.resource !== serverResource) {
    return check({
      id: 'server.resource',
      status: 'fail',
      title,
      detail: `The token will be issued for ${f.resource}; the server’s resource indicator is ${serverResource}.`,
      cause: 'The server rejects a token whose audience is another resource.',
      fix: `Set the profile’s resource to automatic, or to exactly ${serverResource}; in Logto Console → API resources the identifier must be ${serverResource}.`,
      specRef: 'RFC 8707 §2; RFC 9068 §4',
    });
  }
  return check({
    id: 'server.resource',
    status: 'pass',
    title,
    detail: `The token will be issued for ${f.resource}, the server’s own resource indicator.`,
  });
}

function issuerCheck(issuer: string | undefined, metadata: OAuthProtectedResourceMetadata): Check {
  const trusted = metadata.authorization_servers ?? [];
  const title = 'Server trusts this issuer';
  if (!issuer) {
    return check({
      id: 'server.authorization-servers',
      status: 'pass',
      title,
      detail: `The profile names no issuer, so it follows the server’s: ${trusted[0] ?? 'none'}.`,
    });
  }
  if (trusted.includes(issuer)) {
    return check({
      id: 'server.authorization-servers',
      status: 'pass',
      title,
      detail: `The server names ${issuer}.`,
    });
  }
  const nearly = trusted.find((t) => trimSlash(t) === trimSlash(issuer));
  return check({
    id: 'server.authorization-servers',
    status: 'fail',
    title,
    detail: `The server trusts ${trusted.join(', ') || 'no issuer'}; the profile signs in at ${issuer}.`,
    cause: nearly
      ? 'They differ by a trailing slash; the server compares the token’s iss exactly.'
      : 'Tokens from the profile’s issuer would be rejected by this server.',
    fix: `Point the server at ${issuer} (the bundled one: npm run serve -- --issuer ${issuer}), or change the profile’s issuer to ${trusted[0] ?? 'the one the server trusts'}.`,
    specRef: 'RFC 9728 §2',
  });
}

function scopesCheck(f: ServerFindings, input: DoctorInput): Check {
  const title = 'Scopes the server needs';
  const wanted = f.challenge?.scope?.length
    ? f.challenge.scope
    : (f.metadata?.scopes_supported ?? []);
  const api = wanted.filter((s) => !OIDC_SCOPES.has(s));
  if (!wanted.length) {
    return check({
      id: 'server.scopes',
      status: 'pass',
      title,
      detail: 'The server names no scopes.',
    });
  }
  if (api.length && !f.resource) {
    return check({
      id: 'server.scopes',
      status: 'fail',
      title,
      detail: `The server asks for ${api.join(' ')}, but no resource indicator will be sent.`,
      cause:
        'Logto puts API permissions only in a token issued for an API resource; an opaque token carries none.',
      fix: 'Set the profile’s resource to automatic.',
      specRef: 'RFC 8707; MCP Authorization §Scope Selection Strategy',
    });
  }
  const extra = (input.scopes ?? []).filter((s) => !wanted.includes(s));
  return check({
    id: 'server.scopes',
    status: 'pass',
    title,
    detail: `The app requests the server’s scopes ${wanted.join(' ')}${extra.length ? ` plus ${extra.join(' ')}` : ''}.${api.length ? ` ${api.join(' ')} must be a permission of the API resource, granted to the user through a role (Logto Console → Roles).` : ''}`,
  });
}
