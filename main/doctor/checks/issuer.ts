/**
 * Issuer discovery: reachable, a valid discovery document, the issuer string exact, the endpoints
 * the chosen token mode needs, PKCE S256. Looked up where the bundled server looks
 * (discoveryUrls), so a pass here means the server will find it too.
 */
import { discoveryUrls } from '../../server/auth/issuer-metadata';
import type { Check, DoctorInput } from '../types';
import { messageOf, type DoctorContext } from '../context';

export type IssuerDocument = Record<string, unknown> & {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
};

export interface IssuerFindings {
  checks: Check[];
  document?: IssuerDocument;
  /** The issuer's Date header and when it was asked, for the clock check. */
  clock?: { date: string; sentAt: number; receivedAt: number };
}

const ISSUER_SPEC = 'OpenID Connect Discovery 1.0 §4.3; RFC 8414 §3.3';

type Lookup =
  | { found: IssuerDocument; at: string; clock?: IssuerFindings['clock'] }
  | { unreachable: string }
  | { misses: string[]; clock?: IssuerFindings['clock'] };

async function lookUp(issuer: string, ctx: DoctorContext): Promise<Lookup> {
  const misses: string[] = [];
  let clock: IssuerFindings['clock'];
  for (const url of discoveryUrls(issuer)) {
    const sentAt = ctx.now();
    let response: Response;
    try {
      response = await ctx.fetch(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      return { unreachable: messageOf(error) };
    }
    const date = response.headers.get('date');
    clock ??= date ? { date, sentAt, receivedAt: ctx.now() } : undefined;
    const body: unknown = /json/i.test(response.headers.get('content-type') ?? '')
      ? await response.json().catch(() => undefined)
      : await response.body?.cancel().catch(() => undefined);
    if (!response.ok) {
      misses.push(`${url} answered HTTP ${response.status}`);
      continue;
    }
    const doc = body as Partial<IssuerDocument> | undefined;
    if (!doc || typeof doc !== 'object') {
      misses.push(`${url} did not answer JSON`);
      continue;
    }
    const missing = ['issuer', 'authorization_endpoint', 'token_endpoint'].filter(
      (key) => typeof (doc as Record<string, unknown>)[key] !== 'string',
    );
    if (missing.length) {
      misses.push(`${url} lacks ${missing.join(', ')}`);
      continue;
    }
    return { found: doc as IssuerDocument, at: url, ...(clock && { clock }) };
  }
  return { misses, ...(clock && { clock }) };
}

const check = (c: Omit<Check, 'group'>): Check => ({ group: 'issuer', ...c });

/** Neither the profile nor the server's metadata names an issuer: nothing else can be checked. */
export function noIssuerCheck(serverUrl: string | undefined): Check {
  return check({
    id: 'issuer.discovery',
    status: 'fail',
    title: 'Discovery document',
    detail: serverUrl
      ? `The profile names no issuer and the server at ${serverUrl} published none in its metadata.`
      : 'No issuer to check.',
    fix: 'Enter the issuer, e.g. https://<tenant>.logto.app/oidc (Logto Console → Applications → your app → Issuer endpoint).',
  });
}

export async function checkIssuer(
  input: DoctorInput & { issuer: string },
  ctx: DoctorContext,
): Promise<IssuerFindings> {
  const issuer = input.issuer;
  const first = await lookUp(issuer, ctx);
  if ('unreachable' in first) {
    return {
      checks: [
        check({
          id: 'issuer.reachable',
          status: 'fail',
          title: 'Issuer reachable',
          detail: first.unreachable,
          cause: 'The issuer did not answer, so nothing else about it can be checked.',
          fix: 'Check the issuer URL (Logto Console → Applications → your app → Issuer endpoint) and that the tenant or the self-hosted Logto is running.',
        }),
      ],
    };
  }
  const checks: Check[] = [
    check({
      id: 'issuer.reachable',
      status: 'pass',
      title: 'Issuer reachable',
      detail: `${new URL(issuer).origin} answers.`,
    }),
  ];
  if ('misses' in first) {
    // A Logto endpoint typed without /oidc is the most common slip: say so when /oidc works.
    const withOidc = /\/oidc\/?$/.test(new URL(issuer).pathname)
      ? undefined
      : `${issuer.replace(/\/+$/, '')}/oidc`;
    const retry = withOidc ? await lookUp(withOidc, ctx) : undefined;
    const hint = retry && 'found' in retry ? retry.found.issuer : undefined;
    checks.push(
      check({
        id: 'issuer.discovery',
        status: 'fail',
        title: 'Discovery document',
        detail: `No discovery document for ${issuer}: ${first.misses.join('; ')}.`,
        cause: hint
          ? `${hint} has one: the issuer is the endpoint followed by /oidc.`
          : 'Without a discovery document no client or server can find the endpoints or keys.',
        fix: hint
          ? `Use the issuer ${hint} (Logto Console → Applications → your app → Issuer endpoint).`
          : 'Copy the Issuer endpoint from Logto Console → Applications → your app; it looks like https://<tenant>.logto.app/oidc.',
        specRef: 'OpenID Connect Discovery 1.0 §4',
      }),
    );
    return { checks, ...(first.clock && { clock: first.clock }) };
  }
  const doc = first.found;
  checks.push(
    check({
      id: 'issuer.discovery',
      status: 'pass',
      title: 'Discovery document',
      detail: `Read from ${first.at}.`,
    }),
  );
  checks.push(
    doc.issuer === issuer
      ? check({
          id: 'issuer.exact',
          status: 'pass',
          title: 'Issuer string exact',
          detail: `The document names exactly ${issuer}.`,
        })
      : check({
          id: 'issuer.exact',
          status: 'fail',
          title: 'Issuer string exact',
          detail: `You typed ${issuer}; the document names ${doc.issuer}.`,
          cause:
            doc.issuer.replace(/\/+$/, '') === issuer.replace(/\/+$/, '')
              ? 'They differ by a trailing slash. Token iss claims are compared exactly, so the server would reject every token.'
              : 'Token iss claims are compared exactly, so tokens from this issuer would be rejected.',
          fix: `Use exactly ${doc.issuer} as the issuer, in the profile and in the server.`,
          specRef: ISSUER_SPEC,
        }),
  );
  const opaque = input.resource?.mode === 'none';
  const endpoint = opaque ? 'userinfo_endpoint' : 'jwks_uri';
  checks.push(
    typeof doc[endpoint] === 'string'
      ? check({
          id: 'issuer.token-endpoints',
          status: 'pass',
          title: 'Endpoints for the token mode',
          detail: opaque
            ? `Opaque tokens are checked at userinfo: ${String(doc[endpoint])}.`
            : `JWT access tokens are checked with the keys at ${String(doc[endpoint])}.`,
        })
      : check({
          id: 'issuer.token-endpoints',
          status: 'fail',
          title: 'Endpoints for the token mode',
          detail: `The document has no ${endpoint}.`,
          cause: opaque
            ? 'An opaque token can only be checked at the userinfo endpoint.'
            : 'A JWT access token can only be checked with the issuer’s published keys.',
          fix: opaque
            ? 'Set the resource to automatic to get a JWT instead.'
            : 'Set the resource to none to get an opaque token checked at userinfo.',
          specRef: opaque ? 'OpenID Connect Core §5.3' : 'RFC 9068 §4',
        }),
  );
  const methods = doc.code_challenge_methods_supported;
  checks.push(
    Array.isArray(methods) && methods.includes('S256')
      ? check({
          id: 'issuer.pkce',
          status: 'pass',
          title: 'PKCE S256',
          detail: `code_challenge_methods_supported: ${methods.join(', ')}.`,
        })
      : check({
          id: 'issuer.pkce',
          status: Array.isArray(methods) ? 'fail' : 'warn',
          title: 'PKCE S256',
          detail: Array.isArray(methods)
            ? `code_challenge_methods_supported: ${methods.join(', ') || '(empty)'}.`
            : 'The document does not list code_challenge_methods_supported.',
          cause: 'MCP clients must use PKCE with S256 and refuse an issuer that does not offer it.',
          fix: 'Use an issuer that supports S256 (every Logto tenant does).',
          specRef: 'MCP Authorization §Authorization Code Protection; RFC 7636',
        }),
  );
  return { checks, document: doc, ...(first.clock && { clock: first.clock }) };
}
