/**
 * A profile's signed-in state (tokens, the client it was issued to, where), kept in the secret
 * store: encrypted where the host allows, never in the profile file.
 */
import { z } from 'zod';
import { secretKeys, type SecretStore } from '../../profiles/secret-store';

const SessionSchema = z.object({
  tokens: z.looseObject({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().optional(),
    refresh_token: z.string().optional(),
    id_token: z.string().optional(),
    scope: z.string().optional(),
  }),
  /** Epoch ms when the access token expires, if the issuer said. */
  expiresAt: z.number().optional(),
  issuer: z.string(),
  /** The MCP server the tokens were obtained for; a session is reused only for that server. */
  serverUrl: z.string().optional(),
  authorizationServerUrl: z.string(),
  client: z.looseObject({ client_id: z.string(), client_secret: z.string().optional() }),
  resource: z.string().optional(),
  requestedScope: z.array(z.string()),
});

export type StoredSession = z.infer<typeof SessionSchema>;

/**
 * Whether a stored session belongs to this server, issuer and client. A session from before
 * sessions named their server fits no server: signing in again is the safe answer.
 */
export function sessionFits(
  session: StoredSession,
  want: { serverUrl: string; issuer?: string; clientId?: string },
): boolean {
  return (
    session.serverUrl === want.serverUrl &&
    (want.issuer === undefined || session.issuer === want.issuer) &&
    (want.clientId === undefined || session.client.client_id === want.clientId)
  );
}

export class SessionStore {
  constructor(private readonly secrets: SecretStore) {}

  async load(profileId: string): Promise<StoredSession | undefined> {
    const raw = await this.secrets.get(secretKeys.tokens(profileId));
    if (!raw) return undefined;
    try {
      const parsed = SessionSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: an unreadable session is a signed-out one
    }
    await this.secrets.delete(secretKeys.tokens(profileId));
    return undefined;
  }

  save(profileId: string, session: StoredSession): Promise<void> {
    return this.secrets.set(secretKeys.tokens(profileId), JSON.stringify(session));
  }

  clear(profileId: string): Promise<void> {
    return this.secrets.delete(secretKeys.tokens(profileId));
  }
}
