import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DEFAULT_API_RESOURCES, validateApiResources } from '../../main/issuer/api-resources';
import { loadOrCreateSigningKeys, signingKeysPath } from '../../main/issuer/signing-keys';
import { authenticate, demoUsers, findUserById, permittedScopes } from '../../main/issuer/users';
import { escapeHtml } from '../../main/issuer/views/escape';
import { consentPage } from '../../main/issuer/views/consent';
import { signInPage } from '../../main/issuer/views/sign-in';

const resource = DEFAULT_API_RESOURCES[0]!;

describe('demo users', () => {
  it('sign in with their sandbox password; usernames ignore case and spaces', () => {
    expect(authenticate('alice', 'alice-sandbox')?.name).toBe('Alice Liddell');
    expect(authenticate(' Alice ', 'alice-sandbox')?.username).toBe('alice');
    expect(authenticate('alice', 'bob-sandbox')).toBeUndefined();
    expect(authenticate('mallory', 'alice-sandbox')).toBeUndefined();
  });

  it('get API permissions only through a role that carries them', () => {
    const [alice, bob] = demoUsers();
    expect(permittedScopes(alice!, resource)).toEqual(['whoami:read']);
    expect(permittedScopes(bob!, resource)).toEqual([]);
  });

  it('are handed out as copies, so callers cannot change the sandbox', () => {
    const [alice] = demoUsers();
    alice!.roles.push('Admin');
    expect(findUserById(alice!.id)?.roles).toEqual(['MCP user']);
  });
});

describe('API resource validation', () => {
  it('explains what is wrong with a configuration', () => {
    expect(() => validateApiResources([{ ...resource, indicator: 'not a url' }])).toThrow(
      /absolute URI/,
    );
    expect(() => validateApiResources([resource, resource])).toThrow(/listed twice/);
    expect(() => validateApiResources([{ ...resource, accessTokenTtlSec: 0 }])).toThrow(
      /accessTokenTtlSec/,
    );
    expect(() =>
      validateApiResources([{ ...resource, scopes: [{ name: 'has space', description: '' }] }]),
    ).toThrow(/invalid scope/);
  });
});

describe('signing key file', () => {
  it('names the file and the fix when it is damaged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'issuer-unit-'));
    try {
      const path = signingKeysPath(dir);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, '{"keys": []}');
      await expect(loadOrCreateSigningKeys(dir)).rejects.toThrow(
        new RegExp(`${path.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Delete it`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pages', () => {
  it('escape every user-controlled string', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    const signIn = signInPage({
      action: '/interaction/abc/login',
      appName: '<img src=x onerror=alert(1)>',
      username: '"><script>',
      error: 'Wrong username or password.',
      demoAccounts: [],
    });
    expect(signIn).not.toContain('<img');
    expect(signIn).not.toContain('"><script>');
    const consent = consentPage({
      confirmAction: '/interaction/abc/confirm',
      denyAction: '/interaction/abc/abort',
      appName: '<b>App</b>',
      clientId: 'id"x',
      user: { name: '<i>Alice</i>', username: 'alice' },
      profile: [],
      resources: [],
    });
    expect(consent).not.toContain('<b>App</b>');
    expect(consent).not.toContain('<i>Alice</i>');
    expect(consent).not.toContain('id"x');
  });

  it('label every field and load nothing from elsewhere', () => {
    const html = signInPage({ action: '/x', appName: 'App', demoAccounts: [] });
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain('<script');
  });
});
