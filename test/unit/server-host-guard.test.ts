import { describe, expect, it } from 'vitest';
import {
  allowedHostSet,
  isLoopbackOrigin,
  isOriginAllowed,
  normalizeHost,
} from '../../main/server/host-guard';

describe('host and origin policy', () => {
  const policy = {
    port: 3001,
    host: '127.0.0.1',
    resource: 'http://localhost:3001/',
    origin: 'http://localhost:3001',
    allowedHosts: ['mcp.example.test'],
    allowedOrigins: [],
  };

  it("accepts this server's loopback names on its port, the resource host and extras, nothing else", () => {
    const hosts = allowedHostSet(policy);
    for (const host of [
      'localhost:3001',
      'LOCALHOST:3001',
      '127.0.0.1:3001',
      '[::1]:3001',
      'mcp.example.test',
      'mcp.example.test:80',
    ]) {
      expect(hosts.has(normalizeHost(host) ?? ''), host).toBe(true);
    }
    for (const host of ['localhost:3002', 'attacker.example:3001', 'localhost', '127.0.0.2:3001']) {
      expect(hosts.has(normalizeHost(host) ?? ''), host).toBe(false);
    }
    expect(normalizeHost('a@b:1')).toBeUndefined();
    expect(normalizeHost('a/b')).toBeUndefined();
  });

  it('treats any loopback origin as local (the MCP Inspector runs at localhost:6274), others only if listed', () => {
    expect(isLoopbackOrigin('http://localhost:6274')).toBe(true);
    expect(isLoopbackOrigin('http://127.0.0.1:5173')).toBe(true);
    expect(isLoopbackOrigin('http://[::1]:8080')).toBe(true);
    expect(isLoopbackOrigin('http://localhost.attacker.example')).toBe(false);
    expect(isLoopbackOrigin('null')).toBe(false);
    expect(isOriginAllowed('https://app.example.test', new Set(['https://app.example.test']))).toBe(
      true,
    );
    expect(
      isOriginAllowed('https://app.example.test:8443', new Set(['https://app.example.test'])),
    ).toBe(false);
  });
});
