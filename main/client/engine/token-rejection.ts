/**
 * The MCP server answered 401 to an access token this flow had only just received. Signing in
 * again would bring a token made the same way, rejected the same way: the engine says why
 * instead. The usual cause on Logto is an opaque token (no resource indicator, or one the issuer
 * only saw in /auth) sent to a server that verifies JWTs only (docs/logto.md).
 */
import type { Challenge } from './challenge';
import { FLOW_ERROR } from './error-codes';
import { FlowStepError } from './notes';

export function freshTokenRejected(opts: {
  refusal: Challenge;
  accessToken: string | undefined;
  resource: string | undefined;
  serverResource: string | undefined;
  cause: unknown;
}): FlowStepError {
  const { refusal } = opts;
  const said = `${refusal.error ?? 'HTTP 401'}${refusal.errorDescription ? `: “${refusal.errorDescription}”` : ''}`;
  const opaque = !!opts.accessToken && opts.accessToken.split('.').length !== 3;
  if (opaque) {
    return new FlowStepError(
      `The server rejected the opaque access token this sign-in just produced (${said}). The issuer gives an opaque token when no resource indicator is sent${opts.resource ? '' : ' (the profile’s Resource is none)'}; a server that verifies only JWTs cannot check it. No second sign-in was started: it would bring the same kind of token.`,
      `Set the profile’s Resource to automatic, so the issuer issues a JWT for ${opts.serverResource ?? 'the server'}; or let the server check opaque tokens at userinfo (the bundled server: verification auto or userinfo in the Server tab).`,
      FLOW_ERROR.opaqueTokenRejected,
      { cause: opts.cause },
    );
  }
  const audience = /audience|resource/i.test(refusal.errorDescription ?? '');
  return new FlowStepError(
    `The server rejected the access token this sign-in just produced (${said}). No second sign-in was started: a token obtained the same way would be rejected the same way.`,
    audience && opts.serverResource
      ? `The token was issued for ${opts.resource ?? 'another audience'}, the server expects ${opts.serverResource}: set the profile’s Resource to automatic.`
      : 'Compare the decoded token (Connection tab) with what the server expects: its issuer, audience and required scopes (Server tab for the bundled server).',
    FLOW_ERROR.tokenRejected,
    { cause: opts.cause },
  );
}
