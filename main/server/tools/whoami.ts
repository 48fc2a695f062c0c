import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { z } from 'zod';
import type { VerifiedAuthInfo } from '../auth/types';

export const whoamiOutputShape = {
  authenticated: z.boolean(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  audience: z.union([z.string(), z.array(z.string())]).nullable(),
  scopes: z.array(z.string()),
  verifiedBy: z.enum(['jwt', 'userinfo']).nullable(),
  expiresAt: z.string().nullable(),
  claims: z.record(z.string(), z.unknown()),
};

export type WhoamiResult = {
  authenticated: boolean;
  subject: string | null;
  issuer: string | null;
  clientId: string | null;
  audience: string | string[] | null;
  scopes: string[];
  verifiedBy: 'jwt' | 'userinfo' | null;
  expiresAt: string | null;
  claims: Record<string, unknown>;
};

const UNAUTHENTICATED: WhoamiResult = {
  authenticated: false,
  subject: null,
  issuer: null,
  clientId: null,
  audience: null,
  scopes: [],
  verifiedBy: null,
  expiresAt: null,
  claims: {},
};

/** What the verified token says about its holder; never the token itself. */
export function describeAuth(authInfo: AuthInfo | undefined): WhoamiResult {
  if (!authInfo) return UNAUTHENTICATED;
  const info = authInfo as Partial<VerifiedAuthInfo> & AuthInfo;
  const verifiedBy = info.extra?.verifiedBy;
  return {
    authenticated: true,
    subject: info.subject ?? null,
    issuer: info.issuer ?? null,
    clientId: info.clientId || null,
    audience: info.audience ?? null,
    scopes: [...info.scopes],
    verifiedBy: verifiedBy === 'jwt' || verifiedBy === 'userinfo' ? verifiedBy : null,
    expiresAt:
      typeof info.expiresAt === 'number' ? new Date(info.expiresAt * 1000).toISOString() : null,
    claims: { ...(info.claims ?? {}) },
  };
}

export function registerWhoamiTool(server: McpServer): void {
  server.registerTool(
    'whoami',
    {
      title: 'Who am I?',
      description:
        'Returns who the access token used for this session belongs to: subject, issuer, client, audience, granted scopes, how the server verified it (JWT signature or the issuer userinfo endpoint), expiry and claims.',
      outputSchema: whoamiOutputShape,
      annotations: { title: 'Who am I?', readOnlyHint: true, openWorldHint: false },
    },
    (extra) => {
      const result = describeAuth(extra.authInfo);
      return {
        structuredContent: result,
        content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
      };
    },
  );
}
