/**
 * What the token exchange brought back, as findings a person can check against the decoded
 * tokens: the kind of access token, what was granted and on what evidence (granted-scopes.ts),
 * a requested permission the user does not have (missing-permission.ts), the refresh token.
 */
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { grantedFromTokens } from './granted-scopes';
import { missingPermissionFinding } from './missing-permission';
import type { Finding } from './notes';

export function describeTokens(
  tokens: OAuthTokens,
  opts: { requested: string[]; wantedRefresh: boolean; resource?: string },
): { findings: Finding[]; missingApiScopes: string[] } {
  const findings: Finding[] = [];
  const isJwt = tokens.access_token.split('.').length === 3;
  findings.push({
    level: 'info',
    message: isJwt
      ? 'Access token: a JWT (the server verifies its signature, issuer, audience and expiry).'
      : `Access token: opaque (${tokens.access_token.length} characters; the server checks it at the issuer’s userinfo endpoint).`,
  });
  if (tokens.expires_in !== undefined)
    findings.push({ level: 'info', message: `Expires in ${tokens.expires_in} s.` });
  const derived = grantedFromTokens(tokens, opts.requested);
  findings.push({
    level: 'info',
    message: `Granted: ${
      derived.granted.map((scope) => `${scope} (${derived.evidence[scope]})`).join(', ') ||
      'nothing'
    }. The token response's scope was "${tokens.scope ?? '(not sent)'}": Logto lists only the API scopes there when a resource was requested.`,
    specRef: 'RFC 6749 §5.1; RFC 9068 §2.2.3',
  });
  if (derived.missingApiScopes.length) {
    findings.push(missingPermissionFinding(derived.missingApiScopes, opts.resource));
  }
  if (tokens.refresh_token) {
    findings.push({ level: 'info', message: 'A refresh token was received.' });
  } else if (opts.wantedRefresh) {
    findings.push({
      level: 'warning',
      message:
        'No refresh token: Logto issues one only with offline_access AND prompt=consent, for an app allowed to refresh.',
    });
  }
  return { findings, missingApiScopes: derived.missingApiScopes };
}
