/**
 * The three-column view: what the server advertises, what the issuer advertises and what the
 * client will send, side by side, each row flagged when the parties disagree.
 */
import type { ColumnRow, Check } from './types';
import type { IssuerDocument } from './checks/issuer';
import { offeredRegistration } from './checks/registration';
import type { ProbePlan } from './checks/authorization';
import type { ServerFindings } from './checks/server';

const list = (values: unknown): string | undefined =>
  Array.isArray(values) && values.length ? values.join(' ') : undefined;

const failed = (checks: Check[], ...ids: string[]) =>
  checks.some((c) => ids.includes(c.id) && c.status !== 'pass');

export function buildColumns(parts: {
  issuer?: string;
  clientId?: string;
  doc?: IssuerDocument;
  server?: ServerFindings;
  plan?: ProbePlan;
  checks: Check[];
}): ColumnRow[] {
  const { doc, server, plan, checks } = parts;
  const prm = server?.metadata;
  const rows: ColumnRow[] = [];
  const row = (r: Omit<ColumnRow, 'mismatch'>, ...ids: string[]) =>
    rows.push({ ...r, mismatch: failed(checks, ...ids) });
  row(
    {
      field: 'Issuer',
      ...(prm && { server: list(prm.authorization_servers) ?? '(none)' }),
      ...(doc && { issuer: doc.issuer }),
      client: parts.issuer ?? '(none: follows the server)',
    },
    'issuer.exact',
    'server.authorization-servers',
  );
  const resourceAnswer = checks.find((c) => c.id === 'authorization.resource');
  row(
    {
      field: 'Resource (token audience)',
      ...(prm && { server: prm.resource }),
      ...(resourceAnswer && {
        issuer:
          resourceAnswer.status === 'pass' ? (plan?.resource ? 'known' : '–') : 'unknown resource',
      }),
      client: plan?.resource ?? server?.resource ?? '(none: opaque token)',
    },
    'server.resource',
    'authorization.resource',
  );
  row(
    {
      field: 'Scopes',
      ...(server && {
        server: list(server.challenge?.scope) ?? list(prm?.scopes_supported) ?? '(none named)',
      }),
      ...(doc && { issuer: list(doc.scopes_supported) ?? '(not listed)' }),
      ...(plan && { client: plan.scope.join(' ') }),
      note: 'Logto lists only OIDC scopes; API permissions belong to the API resource.',
    },
    'server.scopes',
    'authorization.scopes',
  );
  row(
    {
      field: 'Token check',
      ...(doc && {
        issuer: [doc.jwks_uri && 'JWKS', doc.userinfo_endpoint && 'userinfo']
          .filter(Boolean)
          .join(', '),
      }),
      client: (plan?.resource ?? server?.resource) ? 'JWT access token' : 'opaque access token',
    },
    'issuer.token-endpoints',
  );
  row(
    {
      field: 'PKCE',
      ...(doc && { issuer: list(doc.code_challenge_methods_supported) ?? '(not listed)' }),
      client: 'S256',
    },
    'issuer.pkce',
  );
  row(
    {
      field: 'Client registration',
      ...(doc && { issuer: offeredRegistration(doc) }),
      client: parts.clientId ?? '(none)',
    },
    'registration.method',
    'authorization.client',
  );
  return rows;
}
