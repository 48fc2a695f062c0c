import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import { findApiResource } from './api-resources';
import { isFirstParty } from './clients';
import { describeOidcScope, isOidcScope, splitScope } from './scopes';
import type { ApiResource } from './types';
import { authenticate, findUserById, permittedScopes } from './users';
import { consentPage, type ConsentResourceGroup } from './views/consent';
import { interactionErrorPage } from './views/error';
import { PAGE_HEADERS, type DemoAccountHint } from './views/layout';
import { signInPage } from './views/sign-in';

/**
 * The sign-in and consent pages oidc-provider sends the user agent to (`interactions.url`), served
 * on the same origin as the provider. Logto's split: first-party apps are consented automatically,
 * third-party apps get the consent screen (docs/logto.md "Consent").
 *
 * CSRF: oidc-provider binds each interaction to a signed, SameSite=Lax, path-scoped cookie; a
 * cross-site POST carries no such cookie, and `interactionDetails` refuses a request without it.
 */

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface InteractionDeps {
  provider: Provider;
  apiResources: readonly ApiResource[];
  demoAccounts: readonly DemoAccountHint[];
}

export const WRONG_CREDENTIALS = 'Wrong username or password.';

function sendPage(res: Response, html: string, status = 200): void {
  res.status(status).set(PAGE_HEADERS).type('html').send(html);
}

/** The interaction behind the cookie, checked against the page's own uid (a stale tab must not act on a newer one). */
async function currentInteraction(
  provider: Provider,
  req: Request,
  res: Response,
): Promise<Interaction> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid !== req.params.uid) {
    throw new errors.SessionNotFound('interaction does not match this page');
  }
  return interaction;
}

function resourceIndicators(params: Interaction['params']): string[] {
  const { resource } = params;
  if (typeof resource === 'string') return [resource];
  if (Array.isArray(resource)) return resource.filter((r): r is string => typeof r === 'string');
  return [];
}

/**
 * Records consent in a Grant. The grant holds, per API resource, only the permissions the user's
 * roles give them (the rest are marked rejected so oidc-provider stops asking), which is what puts
 * exactly those scopes in the access token, as on Logto.
 */
async function grantConsent(
  deps: InteractionDeps,
  interaction: Interaction,
  accountId: string,
): Promise<string> {
  const { provider, apiResources } = deps;
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const user = findUserById(accountId);
  const details = interaction.prompt.details;

  const missingOidc = Array.isArray(details.missingOIDCScope)
    ? (details.missingOIDCScope as string[])
    : [];
  // API permissions are registered as provider scopes too (so dynamically registered clients may
  // list them), but they belong to resources, never to the OIDC part of the grant.
  grant.addOIDCScope(missingOidc.filter(isOidcScope));
  const apiOnly = missingOidc.filter((scope) => !isOidcScope(scope));
  if (apiOnly.length) grant.rejectOIDCScope(apiOnly);

  const missingResources = (details.missingResourceScopes ?? {}) as Record<string, string[]>;
  for (const [indicator, scopes] of Object.entries(missingResources)) {
    const resource = findApiResource(apiResources, indicator);
    const allowed = new Set(user && resource ? permittedScopes(user, resource) : []);
    const granted = scopes.filter((scope) => allowed.has(scope));
    const refused = scopes.filter((scope) => !allowed.has(scope));
    if (granted.length) grant.addResourceScope(indicator, granted);
    if (refused.length) grant.rejectResourceScope(indicator, refused);
  }
  return grant.save();
}

function consentResources(
  deps: InteractionDeps,
  interaction: Interaction,
  accountId: string,
): ConsentResourceGroup[] {
  const requested = splitScope(interaction.params.scope);
  const user = findUserById(accountId);
  const groups: ConsentResourceGroup[] = [];
  for (const indicator of resourceIndicators(interaction.params)) {
    const resource = findApiResource(deps.apiResources, indicator);
    if (!resource) continue;
    const allowed = new Set(user ? permittedScopes(user, resource) : []);
    const asked = resource.scopes.filter((scope) => requested.includes(scope.name));
    groups.push({
      resourceName: resource.name,
      indicator,
      granted: asked
        .filter((scope) => allowed.has(scope.name))
        .map((scope) => ({ description: scope.description, scope: scope.name })),
      notPermitted: asked.filter((scope) => !allowed.has(scope.name)).map((scope) => scope.name),
    });
  }
  return groups;
}

export function interactionRoutes(deps: InteractionDeps): Router {
  const { provider } = deps;
  const router = express.Router();
  const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  const appName = async (interaction: Interaction): Promise<string> => {
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId).catch(() => undefined);
    return client?.clientName ?? clientId;
  };

  const showSignIn = async (
    res: Response,
    interaction: Interaction,
    extra: { username?: string; error?: string } = {},
  ) =>
    sendPage(
      res,
      signInPage({
        action: `/interaction/${interaction.uid}/login`,
        appName: await appName(interaction),
        demoAccounts: deps.demoAccounts,
        ...extra,
      }),
    );

  router.get('/:uid', async (req, res) => {
    const interaction = await currentInteraction(provider, req, res);
    const accountId = interaction.session?.accountId;
    switch (interaction.prompt.name) {
      case 'login':
        return showSignIn(res, interaction);
      case 'consent': {
        if (!accountId) throw new errors.SessionNotFound('no signed-in user for this consent');
        const clientId = String(interaction.params.client_id);
        if (isFirstParty(clientId)) {
          const grantId = await grantConsent(deps, interaction, accountId);
          return provider.interactionFinished(req, res, { consent: { grantId } });
        }
        const user = findUserById(accountId);
        const profile = splitScope(interaction.params.scope)
          .filter(isOidcScope)
          .map((scope) => ({ scope, description: describeOidcScope(scope) ?? scope }));
        return sendPage(
          res,
          consentPage({
            confirmAction: `/interaction/${interaction.uid}/confirm`,
            denyAction: `/interaction/${interaction.uid}/abort`,
            appName: await appName(interaction),
            clientId,
            user: { name: user?.name ?? accountId, username: user?.username ?? accountId },
            profile,
            resources: consentResources(deps, interaction, accountId),
          }),
        );
      }
      default:
        throw new errors.SessionNotFound(`unsupported prompt ${interaction.prompt.name}`);
    }
  });

  router.post('/:uid/login', parseForm, async (req, res) => {
    const interaction = await currentInteraction(provider, req, res);
    if (interaction.prompt.name !== 'login') {
      throw new errors.SessionNotFound('this sign-in step is already complete');
    }
    const form = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    if (!username.trim() || !password) {
      return showSignIn(res, interaction, { username, error: 'Enter your username and password.' });
    }
    const user = authenticate(username, password);
    if (!user) return showSignIn(res, interaction, { username, error: WRONG_CREDENTIALS });
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/:uid/confirm', parseForm, async (req, res) => {
    const interaction = await currentInteraction(provider, req, res);
    const accountId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !accountId) {
      throw new errors.SessionNotFound('this consent step is already complete');
    }
    const grantId = await grantConsent(deps, interaction, accountId);
    return provider.interactionFinished(req, res, { consent: { grantId } });
  });

  // Deny is Logto's Cancel: its consent page sends the browser back to the redirect URI with no
  // parameters at all (no error, no state, no code), and the client must read that as "cancelled"
  // (docs/logto.md). The redirect URI was checked against the client's at /auth.
  router.post('/:uid/abort', parseForm, async (req, res) => {
    const interaction = await currentInteraction(provider, req, res);
    res.redirect(303, String(interaction.params.redirect_uri));
  });

  // An expired or foreign interaction gets a readable page instead of a stack trace.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof errors.SessionNotFound) {
      return sendPage(
        res,
        interactionErrorPage(
          'This sign-in page has expired, was already used, or was opened in another browser.',
        ),
        400,
      );
    }
    // A form too large or malformed (express.urlencoded) is the browser's mistake, not ours.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendPage(res, interactionErrorPage('The form could not be read; try again.'), status);
    }
    console.error('Sandbox issuer: interaction failed', error);
    return sendPage(res, interactionErrorPage('Something went wrong on the sandbox issuer.'), 500);
  });

  return router;
}
