import { describe, expect, it } from 'vitest';
import {
  OAUTH_ERROR,
  OAUTH_ERRORS,
  oauthErrorEntry,
} from '../../main/client/oauth-error-catalogue';
import { explainOAuthError } from '../../main/client/engine/oauth-errors';
import { AuthorizationResponseError } from '../../main/client/redirect/receiver';

describe('the one catalogue of OAuth errors', () => {
  it('has an entry for every exported code, each with a cause, a fix and a spec reference', () => {
    for (const code of Object.values(OAUTH_ERROR)) {
      const entry = oauthErrorEntry(code);
      expect(entry, code).toBeDefined();
      expect(entry!.cause.length, code).toBeGreaterThan(10);
      expect(entry!.fix.length, code).toBeGreaterThan(10);
      expect(entry!.specRef, code).toMatch(/RFC|OpenID/);
    }
    expect(OAUTH_ERRORS.size).toBe(Object.values(OAUTH_ERROR).length);
  });

  it('the browser page after an error redirect shows the catalogue’s title, cause and fix', () => {
    const entry = oauthErrorEntry('invalid_target')!;
    const error = new AuthorizationResponseError('invalid_target', undefined, undefined);
    expect(error.title).toBe(entry.title);
    expect(error.message).toBe(`${entry.title}: ${entry.cause} (invalid_target).`);
    expect(error.hint).toBe(entry.fix);
  });

  it('the engine words the same entry with what it knows about the sign-in', () => {
    const explained = explainOAuthError(
      { error: 'invalid_client', error_description: 'client not found' },
      { clientId: 'abc123', redirectUri: 'http://127.0.0.1/callback' },
    );
    expect(explained.message).toBe(
      'The issuer does not know the client ID abc123 (“client not found”).',
    );
    expect(explained.fix).toMatch(/App ID.*Native app.*http:\/\/127\.0\.0\.1\/callback/);
  });

  it('an unknown client is told the redirect URI to register without this launch’s port', () => {
    const context = { clientId: 'abc123', redirectUri: 'http://127.0.0.1:39471/callback' };
    const error = { error: 'invalid_client' };
    // The port changes at every launch; a Native app matches the portless URI on any port.
    expect(explainOAuthError(error, context).fix).toMatch(
      /register the redirect URI http:\/\/127\.0\.0\.1\/callback\.$/,
    );
    // A profile with a fixed port registers exactly that port.
    expect(explainOAuthError(error, { ...context, fixedRedirectPort: 53123 }).fix).toMatch(
      /register the redirect URI http:\/\/127\.0\.0\.1:53123\/callback\.$/,
    );
  });

  it('a code it does not know (or an Object property name) gets the generic wording', () => {
    expect(oauthErrorEntry('constructor')).toBeUndefined();
    expect(oauthErrorEntry('__proto__')).toBeUndefined();
    const error = new AuthorizationResponseError('constructor', undefined, undefined);
    expect(error.title).toBe('The sign-in failed');
    expect(explainOAuthError({ error: 'slow_down' }, {})).toEqual({
      message: 'The issuer answered slow_down.',
      fix: 'See the exchange in the trace for the full answer.',
    });
    // In the catalogue for the redirect page, but the engine has no sharper words for it.
    expect(explainOAuthError({ error: 'account_selection_required' }, {}).message).toBe(
      'The issuer answered account_selection_required.',
    );
  });
});
