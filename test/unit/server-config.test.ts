import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVER_PORT,
  InvalidServerOptionsError,
  parseServerOptions,
  resolveServerConfig,
} from '../../main/server/config';
import { looksLikeJwt } from '../../main/server/auth/verify-token';
import { discoveryUrls } from '../../main/server/auth/issuer-metadata';

const issuer = 'http://127.0.0.1:3100/oidc';

describe('server configuration', () => {
  it("defaults to Logto's guide: port 3001, resource http://localhost:3001/, url http://localhost:3001/mcp", () => {
    const parsed = parseServerOptions({ issuer });
    expect(parsed.port).toBe(DEFAULT_SERVER_PORT);
    expect(parsed.host).toBe('127.0.0.1');
    expect(parsed.verification).toBe('auto');
    expect(parsed.scopesSupported).toEqual(['openid', 'profile', 'whoami:read']);
    const config = resolveServerConfig(parsed, 3001);
    expect(config.resource).toBe('http://localhost:3001/');
    expect(config.url).toBe('http://localhost:3001/mcp');
    expect(config.sseUrl).toBe('http://localhost:3001/sse');
    // RFC 9728 §3.1: a pathless resource has its metadata at the bare well-known path.
    expect(config.resourceMetadataUrl).toBe(
      'http://localhost:3001/.well-known/oauth-protected-resource',
    );
  });

  it('follows the real port when started on port 0', () => {
    const config = resolveServerConfig(parseServerOptions({ issuer, port: 0 }), 49152);
    expect(config.resource).toBe('http://localhost:49152/');
    expect(config.url).toBe('http://localhost:49152/mcp');
  });

  it('uses host:port when the resource is not a loopback URL on this port (e.g. behind a proxy)', () => {
    const config = resolveServerConfig(
      parseServerOptions({ issuer, resource: 'https://mcp.example.com/', host: '127.0.0.1' }),
      3001,
    );
    expect(config.url).toBe('http://127.0.0.1:3001/mcp');
    expect(config.resourceMetadataUrl).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    );
  });

  it('puts path-bearing resources under the well-known prefix (RFC 9728 §3.1)', () => {
    const config = resolveServerConfig(
      parseServerOptions({ issuer, resource: 'http://127.0.0.1:4000/mcp' }),
      4000,
    );
    expect(config.url).toBe('http://127.0.0.1:4000/mcp');
    expect(config.resourceMetadataUrl).toBe(
      'http://127.0.0.1:4000/.well-known/oauth-protected-resource/mcp',
    );
  });

  it('rejects options a user could get wrong, naming the field', () => {
    expect(() => parseServerOptions({ issuer: 'not a url' })).toThrow(InvalidServerOptionsError);
    expect(() => parseServerOptions({ issuer, resource: 'http://x/#frag' })).toThrow(/resource/);
    expect(() => parseServerOptions({ issuer, port: 70000 })).toThrow(/port/);
    expect(() => parseServerOptions({ issuer, requiredScopes: ['has space'] })).toThrow(
      /requiredScopes/,
    );
  });
});

describe('auto verification picks by token shape', () => {
  it('treats three base64url segments with a JSON header naming alg as a JWT', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'ES384', typ: 'at+jwt' })).toString(
      'base64url',
    );
    const payload = Buffer.from('{}').toString('base64url');
    expect(looksLikeJwt(`${header}.${payload}.sig`)).toBe(true);
  });

  it("treats Logto's 43-character opaque tokens and look-alikes as opaque", () => {
    expect(looksLikeJwt('q0LTPQ8h0Bu0hBpeePqyC2zD1xW2qJrVEA3Bjg3xb7o')).toBe(false);
    expect(looksLikeJwt('a.b.c')).toBe(false);
    const noAlg = Buffer.from(JSON.stringify({ typ: 'JWT' })).toString('base64url');
    expect(looksLikeJwt(`${noAlg}.e30.x`)).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
  });
});

describe('issuer discovery URLs', () => {
  it('tries OIDC discovery first, then both RFC 8414 forms', () => {
    expect(discoveryUrls('https://tenant.logto.app/oidc')).toEqual([
      'https://tenant.logto.app/oidc/.well-known/openid-configuration',
      'https://tenant.logto.app/.well-known/oauth-authorization-server/oidc',
      'https://tenant.logto.app/oidc/.well-known/oauth-authorization-server',
    ]);
    expect(discoveryUrls('https://auth.example.com')).toEqual([
      'https://auth.example.com/.well-known/openid-configuration',
      'https://auth.example.com/.well-known/oauth-authorization-server',
    ]);
  });
});
