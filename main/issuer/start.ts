import type { RequestListener } from 'node:http';

import express, { type ErrorRequestHandler } from 'express';
import Provider from 'oidc-provider';

import { allowedHosts, hostRefusal } from '../shared/host-check';
import { listen } from '../shared/listen';
import { DEFAULT_API_RESOURCES, validateApiResources } from './api-resources';
import {
  clientSecretsPath,
  exactPostLogoutRedirectUris,
  loadOrCreateThirdPartySecret,
  sandboxClients,
  toClientMetadata,
} from './clients';
import { protectIssuerData } from './data-files';
import { logtoErrorBodies, notFoundBody, toLogtoErrorBody } from './error-body';
import { interactionRoutes } from './interactions';
import { answersLikeLogto } from './logto-answers';
import { providerConfiguration } from './provider-config';
import { loadOrCreateSigningKeys, signingKeysPath } from './signing-keys';
import type { ApiResource, IssuerOptions, RunningIssuer } from './types';
import { demoUsers, SANDBOX_ROLES } from './users';
import { homePage } from './views/home';
import { PAGE_HEADERS, type DemoAccountHint } from './views/layout';

export const DEFAULT_ISSUER_PORT = 3100;
const DEFAULT_HOST = '127.0.0.1';

/** The host part of a URL for a listen address: wildcard binds are reached on loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function checkedLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`Issuer latency must be a number of milliseconds >= 0, not ${ms}.`);
  }
  return ms;
}

/** A lifetime override must be a positive whole number of seconds, like an API resource's own. */
export function checkedAccessTokenTtl(sec: number | undefined): number | undefined {
  if (sec !== undefined && (!Number.isSafeInteger(sec) || sec <= 0)) {
    throw new TypeError(
      `An access token lifetime must be a positive whole number of seconds, not ${sec}.`,
    );
  }
  return sec;
}

function demoAccountHints(): DemoAccountHint[] {
  return demoUsers().map((user) => ({
    username: user.username,
    password: user.password,
    note: user.roles
      .map((role) => {
        const grantsApi = SANDBOX_ROLES.find((r) => r.name === role)?.grantsAllApiPermissions;
        return `${role}${grantsApi ? ' (has whoami:read)' : ' (no API permission)'}`;
      })
      .join(', '),
  }));
}

/**
 * Starts the sandbox issuer: oidc-provider under `/oidc`, the sign-in and consent pages under
 * `/interaction`, on one express app. Resolves once it listens.
 */
export async function startIssuer(options: IssuerOptions): Promise<RunningIssuer> {
  const host = options.host ?? DEFAULT_HOST;
  const apiResources: ApiResource[] = structuredClone([
    ...(options.apiResources ?? DEFAULT_API_RESOURCES),
  ]);
  validateApiResources(apiResources);
  const notes = await protectIssuerData(options.dataDir, [
    signingKeysPath(options.dataDir),
    clientSecretsPath(options.dataDir),
  ]);
  const [signingKeys, thirdPartySecret] = await Promise.all([
    loadOrCreateSigningKeys(options.dataDir),
    loadOrCreateThirdPartySecret(options.dataDir),
  ]);
  const clients = sandboxClients(thirdPartySecret);

  // The issuer URL must name the real port, known only once listening (port 0 = ephemeral), so
  // the provider is built after listen() and swapped in; nothing can connect in between.
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  let latencyMs = checkedLatency(options.latencyMs ?? 0);
  let ttlOverrideSec: number | undefined;
  const listening = await listen(
    (req, res) =>
      latencyMs > 0 ? setTimeout(() => handler(req, res), latencyMs) : handler(req, res),
    {
      host,
      port: options.port ?? DEFAULT_ISSUER_PORT,
      label: 'sandbox issuer',
      howToChange:
        'Choose another port with the --issuer-port option or the ISSUER_PORT environment variable (0 picks a free port).',
    },
  );

  try {
    const origin = `http://${urlHost(host)}:${listening.port}`;
    const issuer = `${origin}/oidc`;
    const provider = new Provider(
      issuer,
      providerConfiguration({
        apiResources,
        clients: clients.map(toClientMetadata),
        signingKeys,
        dynamicClientRegistration: options.dynamicClientRegistration ?? false,
        accessTokenTtlSec: (resource) => ttlOverrideSec ?? resource.accessTokenTtlSec,
      }),
    );
    // Endpoint URLs are built from the request's Host header; pin them to the issuer's origin so
    // discovery fetched through `localhost` does not advertise endpoints on another origin than
    // its `issuer` (RFC 8414 section 3.3) and sign-in cookies stay on one host.
    const issuerHost = new URL(origin).host;
    provider.use(async (ctx, next) => {
      ctx.req.headers.host = issuerHost;
      await next();
    });
    provider.use(logtoErrorBodies());
    provider.use(answersLikeLogto());
    exactPostLogoutRedirectUris(provider);
    provider.on('server_error', (_ctx: unknown, error: unknown) => {
      console.error('Sandbox issuer: internal error', error);
    });

    const demoAccounts = demoAccountHints();
    const app = express();
    app.disable('x-powered-by');
    // DNS rebinding: a page whose name resolves to 127.0.0.1 must not drive sign-ins here.
    const hosts = allowedHosts({ bound: host, port: listening.port, extra: [origin] });
    app.use((req, res, next) => {
      const refusal = hostRefusal(req.headers.host, hosts, {
        what: 'sandbox issuer',
        remedy: `open it at ${origin}.`,
      });
      if (!refusal) return next();
      res
        .status(403)
        .set('Cache-Control', 'no-store')
        .json(toLogtoErrorBody({ error: 'host_not_allowed', error_description: refusal }));
    });
    app.get('/', (_req, res) => {
      res.set(PAGE_HEADERS).type('html').send(homePage(issuer, demoAccounts));
    });
    // Browser entry points reached through another host name (localhost for 127.0.0.1) move to
    // the issuer's origin first: the sign-in cookies and the provider's absolute return URLs must
    // all live on one host, or the sign-in would lose its session halfway.
    app.get(['/oidc/auth', '/oidc/session/end'], (req, res, next) => {
      if (req.headers.host === issuerHost) return next();
      res.redirect(307, `${origin}${req.originalUrl}`);
    });
    app.use('/interaction', interactionRoutes({ provider, apiResources, demoAccounts }));
    // oidc-provider also serves RFC 8414 metadata at /oidc/.well-known/oauth-authorization-server;
    // Logto v1.37 does not (it arrived in v1.42), so MCP clients must find the OpenID document.
    app.all('/oidc/.well-known/oauth-authorization-server', (req, res) => {
      res.status(404).json(notFoundBody(req.method, '/.well-known/oauth-authorization-server'));
    });
    // No body parser may run before the provider: it reads request bodies itself.
    app.use('/oidc', provider.callback());
    // Everything else, including /.well-known/oauth-authorization-server (root or path-inserted):
    // Logto v1.37 serves only the OpenID discovery document under /oidc.
    app.use((req, res) => {
      res.status(404).json(notFoundBody(req.method, req.path));
    });
    // Client errors express raises itself (an undecodable path parameter) keep their 4xx; anything
    // else is logged and answered with a plain 500, never express's default page with a stack.
    app.use(((error, req, res, next) => {
      if (res.headersSent) return next(error);
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        res
          .status(status)
          .json(toLogtoErrorBody({ error: 'invalid_request', error_description: 'Bad request.' }));
        return;
      }
      console.error(`Sandbox issuer: internal error on ${req.method} ${req.path}`, error);
      res
        .status(500)
        .json(toLogtoErrorBody({ error: 'server_error', error_description: 'Internal error.' }));
    }) satisfies ErrorRequestHandler);
    handler = app;

    return {
      issuer,
      origin,
      port: listening.port,
      users: demoUsers(),
      clients,
      apiResources,
      notes,
      setLatency: (ms) => {
        latencyMs = checkedLatency(ms);
      },
      setAccessTokenTtl: (sec) => {
        ttlOverrideSec = checkedAccessTokenTtl(sec);
      },
      accessTokenTtlOverride: () => ttlOverrideSec,
      close: () => listening.close(),
    };
  } catch (error) {
    await listening.close();
    throw error;
  }
}
