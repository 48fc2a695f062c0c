import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVER_SETTINGS,
  serverOptionsFrom,
  validateServerSettings,
} from '../../main/server/settings';
import { settingsFromFlags } from '../../main/cli/server-flags';

describe('server settings', () => {
  it('default to the sandbox, the default resource, auto verification, a 10 s cache and 30 s of clock leeway', () => {
    expect(DEFAULT_SERVER_SETTINGS).toEqual({
      issuer: 'sandbox',
      resource: '',
      verification: 'auto',
      requiredScopes: [],
      scopesSupported: ['openid', 'profile', 'whoami:read'],
      cacheTtlSec: 10,
      allowedClientIds: [],
      clockToleranceSec: 30,
    });
  });

  it('accept a tenant issuer and trim what was typed', () => {
    const result = validateServerSettings({
      issuer: '  https://tenant.logto.app/oidc ',
      resource: 'http://localhost:3001/',
      allowedClientIds: [' jd2xfupv9nhd8aa5macfk '],
    });
    expect(result).toMatchObject({
      ok: true,
      settings: {
        issuer: 'https://tenant.logto.app/oidc',
        resource: 'http://localhost:3001/',
        allowedClientIds: ['jd2xfupv9nhd8aa5macfk'],
      },
    });
  });

  it('name each bad field with what to type instead', () => {
    const result = validateServerSettings({
      issuer: 'tenant.logto.app',
      resource: 'http://localhost:3001/#x',
      verification: 'introspection',
      requiredScopes: ['whoami read'],
      cacheTtlSec: 600,
      allowedClientIds: [''],
    });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath.issuer).toMatch(/"sandbox" or an http\(s\) URL/);
    expect(byPath.resource).toMatch(/without a fragment/);
    expect(byPath.verification).toBe('The verification mode is auto, jwt or userinfo.');
    expect(byPath['requiredScopes.0']).toMatch(/without spaces/);
    expect(byPath.cacheTtlSec).toMatch(/at most 300 s/);
    expect(byPath['allowedClientIds.0']).toMatch(/cannot be empty/);
  });

  it('refuse a negative, fractional or long clock leeway; 0 trusts the clocks to agree', () => {
    const issue = (value: unknown) => {
      const result = validateServerSettings({ clockToleranceSec: value });
      return result.ok ? undefined : result.issues[0];
    };
    expect(issue(-1)).toMatchObject({ path: 'clockToleranceSec', message: /cannot be negative/ });
    expect(issue(1.5)?.message).toMatch(/whole number/);
    expect(issue(301)?.message).toMatch(/at most 300 s/);
    expect(validateServerSettings({ clockToleranceSec: 0 })).toMatchObject({
      ok: true,
      settings: { clockToleranceSec: 0 },
    });
  });

  it('refuse a negative or fractional cache window', () => {
    expect(validateServerSettings({ cacheTtlSec: -1 }).ok).toBe(false);
    expect(validateServerSettings({ cacheTtlSec: 1.5 }).ok).toBe(false);
    expect(validateServerSettings({ cacheTtlSec: 0 }).ok).toBe(true);
  });

  it('become server options: the resolved issuer, milliseconds, no resource when default', () => {
    expect(serverOptionsFrom(DEFAULT_SERVER_SETTINGS, 'http://127.0.0.1:3100/oidc')).toEqual({
      issuer: 'http://127.0.0.1:3100/oidc',
      verification: 'auto',
      requiredScopes: [],
      scopesSupported: ['openid', 'profile', 'whoami:read'],
      verificationCacheTtlMs: 10_000,
      allowedClientIds: [],
      clockToleranceSec: 30,
    });
  });
});

describe('server flags', () => {
  it('override the saved settings field by field', () => {
    const saved = { ...DEFAULT_SERVER_SETTINGS, verification: 'jwt' as const, cacheTtlSec: 5 };
    expect(
      settingsFromFlags(
        {
          issuer: 'https://tenant.logto.app/oidc',
          'require-scope': ['whoami:read'],
          'allow-client': ['a', 'b'],
          'clock-leeway': '5',
        },
        saved,
      ),
    ).toEqual({
      ...saved,
      issuer: 'https://tenant.logto.app/oidc',
      requiredScopes: ['whoami:read'],
      allowedClientIds: ['a', 'b'],
      clockToleranceSec: 5,
    });
  });

  it('name the flag that is wrong', () => {
    expect(() => settingsFromFlags({ 'cache-ttl': 'soon' }, DEFAULT_SERVER_SETTINGS)).toThrow(
      /^--cache-ttl: The cache window is a number of seconds/,
    );
    expect(() => settingsFromFlags({ 'clock-leeway': '' }, DEFAULT_SERVER_SETTINGS)).toThrow(
      /^--clock-leeway: The clock leeway is a number of seconds/,
    );
    expect(() => settingsFromFlags({ verification: 'x' }, DEFAULT_SERVER_SETTINGS)).toThrow(
      /^--verification: /,
    );
  });
});
