/** What the signed-in screen may show about a session: identity and decoded tokens, never a raw token. */
import type { SessionView } from '../../preload/api';
import { summarize } from '../client/engine/flow';
import type { StoredSession } from '../client/engine/session-store';
import { fingerprint, redactToken } from '../trace/redact';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

export function sessionView(session: StoredSession): SessionView {
  const accessToken = redactToken(session.tokens.access_token, undefined, 'access_token');
  const idToken = session.tokens.id_token
    ? redactToken(session.tokens.id_token, undefined, 'id_token')
    : undefined;
  // Who: the ID token's profile claims when there is one, else the access token's subject.
  const claims = idToken?.jwt?.payload ?? accessToken.jwt?.payload ?? {};
  const user = {
    ...(text(claims.sub) && { sub: text(claims.sub)! }),
    ...(text(claims.name) && { name: text(claims.name)! }),
    ...(text(claims.username) && { username: text(claims.username)! }),
    ...(text(claims.email) && { email: text(claims.email)! }),
    ...(text(claims.picture) && { picture: text(claims.picture)! }),
  };
  return {
    ...summarize(session),
    user,
    accessToken,
    ...(idToken && { idToken }),
    ...(session.tokens.refresh_token && {
      refreshToken: { fingerprint: fingerprint(session.tokens.refresh_token) },
    }),
  };
}
