/**
 * The profile's issuer is authoritative. The MCP server's protected resource metadata (RFC 9728)
 * says which authorization servers it trusts; when it names none of the one the profile names,
 * the sign-in stops before a single request goes to them, with the true cause. Following the
 * metadata anyway would send this app's client ID (and, for a confidential client, its secret)
 * to an issuer the user never chose (RFC 9700 §4.4 mix-up; the MCP spec's "confused deputy").
 * A profile without an issuer follows the metadata, and says so.
 */
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { FLOW_ERROR } from './error-codes';
import { FlowStepError, type Finding } from './notes';

export const sameIssuer = (a: string, b: string): boolean =>
  a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export interface IssuerChoice {
  /** Where to read the authorization server metadata; undefined: the server's origin (legacy). */
  authorizationServer?: string;
  /** Whether that choice came from the profile (pinned) or from the server's metadata. */
  pinned: boolean;
  findings: Finding[];
}

export function chooseIssuer(opts: {
  serverUrl: string;
  profileIssuer?: string;
  resourceMetadata?: OAuthProtectedResourceMetadata;
  /** A client secret is configured: it may only ever go to the profile's own issuer. */
  hasClientSecret: boolean;
  /** The command line's explicit opt-in: send the secret to whichever issuer the server names. */
  allowSecretToServerIssuer?: boolean;
}): IssuerChoice {
  const trusted = opts.resourceMetadata?.authorization_servers ?? [];
  if (opts.profileIssuer) {
    const mine = opts.profileIssuer;
    if (!trusted.length) {
      return {
        authorizationServer: mine,
        pinned: true,
        findings: [
          {
            level: 'info',
            message: `The server names no authorization server; the sign-in goes to the profile’s issuer ${mine}.`,
          },
        ],
      };
    }
    const match = trusted.find((issuer) => sameIssuer(issuer, mine));
    if (!match) throw issuerMismatch(opts.serverUrl, trusted, mine);
    return {
      authorizationServer: match,
      pinned: true,
      findings: [
        {
          level: 'info',
          message: `The server trusts the profile’s issuer ${mine}.`,
        },
      ],
    };
  }
  if (opts.hasClientSecret && !opts.allowSecretToServerIssuer) {
    throw new FlowStepError(
      `This profile has a client secret but names no issuer, so the app cannot tell whether ${trusted[0] ?? 'the issuer the server names'} is the one that issued the secret. Nothing was sent to it.`,
      'Set the profile’s Issuer to the issuer where this client is registered (for Logto: https://<tenant>.logto.app/oidc, or http://localhost:3002/oidc for a local Logto). A client secret is only ever sent to the issuer you name.',
      FLOW_ERROR.issuerRequiredForSecret,
    );
  }
  return {
    ...(trusted[0] && { authorizationServer: trusted[0] }),
    pinned: false,
    findings: [
      {
        level: 'info',
        message: trusted[0]
          ? `The profile names no issuer, so the sign-in follows the server’s metadata to ${trusted[0]}. Set the profile’s Issuer to pin it.`
          : 'The profile names no issuer and the server’s metadata none either: the app looks for the issuer at the server’s own origin.',
      },
    ],
  };
}

function issuerMismatch(serverUrl: string, trusted: string[], mine: string): FlowStepError {
  const theirs = trusted.join(', ');
  return new FlowStepError(
    `This server trusts ${theirs}; your profile says ${mine}. A token from ${mine} would be rejected by the server, so the sign-in stopped before sending anything to ${theirs}.`,
    `Either point the server at ${mine} (for the bundled server: the Server tab’s trusted issuer, or npm run serve -- --issuer ${mine}), or, if ${serverUrl} is meant to use ${trusted[0]}, change the profile’s Issuer to ${trusted[0]} and use a client ID registered there.`,
    FLOW_ERROR.issuerMismatch,
  );
}
