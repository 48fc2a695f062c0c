import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_MCP_URL,
  logtoTenantTemplate,
  parseProfile,
  ProfileValidationError,
  sandboxProfiles,
  validateProfileInput,
  type ProfileIssue,
} from '../../main/profiles/schema';

const base = { id: 'p1', name: 'My tenant', serverUrl: 'http://localhost:3001/mcp' };

function issuesOf(input: Record<string, unknown>): ProfileIssue[] {
  const result = validateProfileInput({ ...base, ...input });
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.profile)}`);
  return result.issues;
}

const messageAt = (input: Record<string, unknown>, path: string) =>
  issuesOf(input).find((issue) => issue.path === path)?.message;

describe('validateProfileInput', () => {
  it('accepts a minimal profile and fills in the defaults', () => {
    const result = validateProfileInput(base);
    expect(result).toEqual({
      ok: true,
      profile: {
        ...base,
        transport: 'streamable-http',
        hasClientSecret: false,
        scopes: ['openid', 'profile', 'email'],
        resource: { mode: 'auto' },
        extraParams: {},
        redirectMode: 'loopback',
        refreshTokens: false,
        kind: 'custom',
      },
    });
  });

  it('treats blank optional fields as not set, so an untouched form field is not an error', () => {
    const result = validateProfileInput({ ...base, issuer: '  ', clientId: '', prompt: '' });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.profile).not.toHaveProperty('issuer');
      expect(result.profile).not.toHaveProperty('clientId');
      expect(result.profile).not.toHaveProperty('prompt');
    }
  });

  it('explains a bad issuer with an example of a good one', () => {
    const expected = 'Issuer must be an http(s) URL such as https://your-tenant.logto.app/oidc';
    expect(messageAt({ issuer: 'your-tenant.logto.app' }, 'issuer')).toBe(expected);
    expect(messageAt({ issuer: 'ftp://your-tenant.logto.app/oidc' }, 'issuer')).toBe(expected);
    expect(messageAt({ issuer: 'https://t.logto.app/oidc?x=1' }, 'issuer')).toBe(
      'Issuer must not contain a ?query (OpenID Connect Discovery); use e.g. https://your-tenant.logto.app/oidc',
    );
    expect(messageAt({ issuer: 'https://t.logto.app/oidc#top' }, 'issuer')).toBe(
      'Issuer must not contain a #fragment; remove everything from "#" on',
    );
    expect(messageAt({ issuer: 'https://me:pw@t.logto.app/oidc' }, 'issuer')).toMatch(
      /must not contain a user name or password/,
    );
  });

  it('explains a bad or missing MCP server URL', () => {
    expect(messageAt({ serverUrl: 'localhost:3001/mcp' }, 'serverUrl')).toBe(
      'MCP server URL must be an http(s) URL such as http://localhost:3001/mcp (add "http://" in front)',
    );
    expect(messageAt({ serverUrl: '' }, 'serverUrl')).toBe(
      'MCP server URL is required, e.g. http://localhost:3001/mcp',
    );
    expect(messageAt({ serverUrl: 42 }, 'serverUrl')).toBe(
      'MCP server URL must be an http(s) URL such as http://localhost:3001/mcp',
    );
    // A query is legitimate on an MCP endpoint.
    expect(
      validateProfileInput({ ...base, serverUrl: 'https://mcp.example.com/mcp?team=1' }).ok,
    ).toBe(true);
  });

  it('points at the exact bad scope and says what a scope may contain', () => {
    const issues = issuesOf({ scopes: ['openid', 'my scope', 'say"hi"', 'back\\slash', ''] });
    expect(issues.map((issue) => issue.path)).toEqual([
      'scopes.1',
      'scopes.2',
      'scopes.3',
      'scopes.4',
    ]);
    expect(issues[0]?.message).toBe(
      `Scope 'my scope' is not a valid scope: use printable ASCII without spaces, quotes (") or ` +
        `backslashes (\\), e.g. "openid" or "urn:logto:scope:organizations"`,
    );
    expect(issues[3]?.message).toBe('Scope is empty; remove it from the list');
    expect(messageAt({ scopes: ['openid', 'prénom'] }, 'scopes.1')).toMatch(/printable ASCII/);
  });

  it('accepts scopes typed as one string and removes duplicates', () => {
    const profile = parseProfile({
      ...base,
      scopes: ' openid  profile openid urn:logto:scope:organizations ',
    });
    expect(profile.scopes).toEqual(['openid', 'profile', 'urn:logto:scope:organizations']);
  });

  it('refuses extra parameters the engine controls, and says which field to use instead', () => {
    const issues = issuesOf({
      extraParams: {
        login_hint: 'user@example.com',
        organization_id: 'org1',
        client_id: 'x',
        Scope: 'openid',
        redirect_uri: 'http://evil.example/',
        code_challenge: 'abc',
        'bad name': 'x',
      },
    });
    expect(issues).toEqual([
      {
        path: 'extraParams.client_id',
        message:
          '"client_id" is set by MCP Auth Desktop itself (use the Client ID field); remove it from the extra parameters',
      },
      {
        path: 'extraParams.Scope',
        message:
          '"Scope" is set by MCP Auth Desktop itself (use the Scopes field); remove it from the extra parameters',
      },
      {
        path: 'extraParams.redirect_uri',
        message:
          '"redirect_uri" is set by MCP Auth Desktop itself (use the Redirect mode); remove it from the extra parameters',
      },
      {
        path: 'extraParams.code_challenge',
        message:
          '"code_challenge" is set by MCP Auth Desktop itself (the engine generates PKCE for every sign-in); remove it from the extra parameters',
      },
      {
        path: 'extraParams.bad name',
        message:
          'Parameter name "bad name" may contain only letters, digits, ".", "_", "-", "~" and ":", e.g. login_hint',
      },
    ]);
    for (const key of ['response_type', 'code_challenge_method', 'state', 'resource', 'prompt']) {
      expect(messageAt({ extraParams: { [key]: 'x' } }, `extraParams.${key}`)).toMatch(
        /is set by MCP Auth Desktop itself/,
      );
    }
    const allowed = {
      login_hint: 'a@b.c',
      organization_id: 'o',
      first_screen: 'register',
      interaction_mode: 'signUp',
      direct_sign_in: 'social:google',
    };
    expect(parseProfile({ ...base, extraParams: allowed }).extraParams).toEqual(allowed);
  });

  it('validates a custom resource as an absolute URL without fragment (RFC 8707)', () => {
    const custom = (value: unknown) => ({ resource: { mode: 'custom', value } });
    expect(parseProfile({ ...base, ...custom('http://localhost:3001/') }).resource).toEqual({
      mode: 'custom',
      value: 'http://localhost:3001/',
    });
    expect(parseProfile({ ...base, ...custom('urn:example:api') }).resource).toEqual({
      mode: 'custom',
      value: 'urn:example:api',
    });
    expect(messageAt(custom('http://localhost:3001/#x'), 'resource.value')).toBe(
      'Resource must not contain a #fragment (RFC 8707); remove everything from "#" on',
    );
    expect(messageAt(custom('/mcp'), 'resource.value')).toBe(
      'Resource must be an absolute URL (RFC 8707), e.g. http://localhost:3001/',
    );
    expect(messageAt(custom('localhost:3001/'), 'resource.value')).toBe(
      'Resource "localhost:3001/" reads as a host without a scheme; add "http://" or "https://" in front',
    );
    expect(messageAt({ resource: { mode: 'custom' } }, 'resource.value')).toBe(
      'Enter the resource indicator, e.g. the API identifier from Logto Console such as http://localhost:3001/',
    );
    expect(messageAt({ resource: { mode: 'guess' } }, 'resource.mode')).toMatch(
      /^Resource mode must be "auto" .* "custom" .* or "none"/,
    );
    expect(parseProfile({ ...base, resource: { mode: 'none' } }).resource).toEqual({
      mode: 'none',
    });
  });

  it('checks prompt values and their combinations', () => {
    expect(parseProfile({ ...base, prompt: 'login  consent login' }).prompt).toBe('login consent');
    expect(messageAt({ prompt: 'always' }, 'prompt')).toBe(
      'Prompt "always" is not supported: use any of login, consent, none, select_account, separated by spaces',
    );
    expect(messageAt({ prompt: 'none login' }, 'prompt')).toMatch(/"none" cannot be combined/);
    expect(messageAt({ prompt: 'none', refreshTokens: true }, 'prompt')).toBe(
      'Prompt "none" cannot be used with refresh tokens: Logto issues a refresh token only with ' +
        'prompt=consent. Clear the prompt or turn refresh tokens off',
    );
  });

  it('accepts a plain client ID or a Client ID Metadata Document URL, nothing else', () => {
    expect(parseProfile({ ...base, clientId: ' abc123 ' }).clientId).toBe('abc123');
    expect(parseProfile({ ...base, clientId: 'https://agent.example/client.json' }).clientId).toBe(
      'https://agent.example/client.json',
    );
    const cimd =
      'A client ID that is a URL must be an https URL with a path and no #fragment ' +
      '(a Client ID Metadata Document), e.g. https://example.com/oauth/client.json';
    expect(messageAt({ clientId: 'http://agent.example/client.json' }, 'clientId')).toBe(cimd);
    expect(messageAt({ clientId: 'https://agent.example' }, 'clientId')).toBe(cimd);
    expect(messageAt({ clientId: 'clïent' }, 'clientId')).toMatch(
      /printable ASCII .* copy the App ID from Logto Console/,
    );
  });

  it('checks name, id, enums and booleans with specific messages', () => {
    expect(messageAt({ name: '   ' }, 'name')).toBe(
      'Give the profile a name, e.g. "My Logto tenant"',
    );
    expect(messageAt({ name: 'x'.repeat(81) }, 'name')).toBe(
      'Name must be at most 80 characters; shorten it',
    );
    expect(parseProfile({ ...base, name: 'x'.repeat(80) }).name).toHaveLength(80);
    expect(messageAt({ id: 'a/b' }, 'id')).toMatch(/Profile id may contain only letters/);
    expect(messageAt({ transport: 'websocket' }, 'transport')).toMatch(/"streamable-http"/);
    expect(messageAt({ redirectMode: 'deep' }, 'redirectMode')).toMatch(
      /"loopback" .* "custom-scheme"/,
    );
    expect(messageAt({ hasClientSecret: 'yes' }, 'hasClientSecret')).toBe(
      '"Has client secret" must be true or false',
    );
  });

  it('reports every problem at once, so the form can mark them all', () => {
    const issues = issuesOf({ name: '', serverUrl: 'nope', issuer: 'nope', scopes: ['a b'] });
    expect(issues.map((issue) => issue.path)).toEqual(['name', 'serverUrl', 'issuer', 'scopes.0']);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, 'profile', [base], 3]) {
      expect(validateProfileInput(input)).toEqual({
        ok: false,
        issues: [{ path: '', message: 'A profile must be an object of fields' }],
      });
    }
  });

  it('parseProfile throws an error listing the issues', () => {
    expect(() => parseProfile({ ...base, issuer: 'x' })).toThrow(ProfileValidationError);
    expect(() => parseProfile({ ...base, issuer: 'x' })).toThrow(
      'The profile is not valid: issuer: Issuer must be an http(s) URL such as https://your-tenant.logto.app/oidc.',
    );
  });
});

describe('built-in profiles', () => {
  it('builds the two sandbox profiles around the given server and issuer', () => {
    const [firstParty, thirdParty, ...rest] = sandboxProfiles({
      mcpUrl: DEFAULT_SANDBOX_MCP_URL,
      issuer: 'http://localhost:3002/oidc',
    });
    expect(rest).toEqual([]);
    expect(firstParty).toMatchObject({
      id: 'sandbox-first-party',
      name: 'Sandbox (first-party)',
      serverUrl: 'http://localhost:3001/mcp',
      issuer: 'http://localhost:3002/oidc',
      clientId: 'sandbox-native',
      hasClientSecret: false,
      scopes: ['openid', 'profile', 'email'],
      resource: { mode: 'auto' },
      redirectMode: 'loopback',
      kind: 'sandbox',
    });
    expect(thirdParty).toMatchObject({
      id: 'sandbox-third-party',
      name: 'Sandbox (third-party agent)',
      clientId: 'sandbox-third-party',
      hasClientSecret: true,
      kind: 'sandbox',
    });
  });

  it('refuses to build sandbox profiles around a bad URL', () => {
    expect(() => sandboxProfiles({ mcpUrl: 'nope', issuer: 'http://localhost:3002/oidc' })).toThrow(
      /MCP server URL must be an http\(s\) URL/,
    );
  });

  it('offers an empty Logto tenant template that is itself a valid profile', () => {
    const template = logtoTenantTemplate('tenant-1');
    expect(template).toMatchObject({ id: 'tenant-1', name: 'Logto tenant', kind: 'custom' });
    expect(template.issuer).toBeUndefined();
    expect(template.clientId).toBeUndefined();
    expect(validateProfileInput(template).ok).toBe(true);
    expect(logtoTenantTemplate().id).toMatch(/^p-[0-9a-f-]{36}$/);
  });
});

describe('the fixed redirect port', () => {
  it('accepts a port typed as text and stores a number; blank means any free port', () => {
    expect(parseProfile({ ...base, redirectPort: ' 53123 ' }).redirectPort).toBe(53123);
    expect(parseProfile({ ...base, redirectPort: '' })).not.toHaveProperty('redirectPort');
  });

  it('says what is wrong with a port that cannot be one', () => {
    expect(messageAt({ redirectPort: '80' }, 'redirectPort')).toMatch(/1024 or more/);
    expect(messageAt({ redirectPort: 70000 }, 'redirectPort')).toMatch(/at most 65535/);
    expect(messageAt({ redirectPort: 'abc' }, 'redirectPort')).toMatch(/whole number/);
  });

  it('applies to the loopback redirect only', () => {
    expect(
      messageAt({ redirectPort: 53123, redirectMode: 'custom-scheme' }, 'redirectPort'),
    ).toMatch(/loopback redirect only/);
  });
});
