/**
 * Nothing the user typed is lost: a profile survives a failed connect and a restart of the app,
 * and a corrupted profile file is backed up and reset with a message the app shows, not a crash.
 * Runs the real web host (the desktop host shares createAppApi and the same stores).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, AppInfo, FlowView, ProfileView } from '../../preload/api';
import { runCommand } from '../support/spawn-cli';

async function startWebHost(dataDir: string) {
  const web = runCommand(process.execPath, [
    ...['--import', 'tsx', 'main/web.ts', '--port', '0', '--no-open', '--data-dir', dataDir],
    ...['--server-port', '0', '--issuer-port', '0'],
  ]);
  const url = new URL(/running at (\S+)/.exec(await web.waitFor(/running at (\S+)/, 30_000))![1]!);
  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const response = await fetch(`${url.origin}/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-token': url.searchParams.get('token')!,
      },
      body: JSON.stringify({ args }),
    });
    const result = (await response.json()) as ApiResult<T>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
  return {
    call,
    output: web.output,
    stop: async () => {
      web.interrupt();
      expect((await web.exited).code).toBe(0);
    },
  };
}

const TYPED = {
  id: 'my-tenant',
  name: 'My Logto tenant',
  serverUrl: 'http://localhost:1/mcp',
  issuer: 'https://example.logto.app/oidc',
  clientId: 'typed-app-id',
  scopes: ['openid', 'profile', 'read:notes'],
  resource: { mode: 'custom', value: 'https://api.example.com/' },
  extraParams: { first_screen: 'register' },
  refreshTokens: true,
};

describe('input preservation', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-keep-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('a failed connect and a restart keep every field that was typed', async () => {
    const first = await startWebHost(dataDir);
    try {
      expect(
        (await first.call<{ ok: boolean }>('profiles.save', TYPED, 'typed-secret-value')).ok,
      ).toBe(true);
      // The MCP server URL points nowhere: connecting fails...
      const flow = await first.call<FlowView>('flow.connect', 'my-tenant', 'quick');
      expect(flow.profileId).toBe('my-tenant');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // ...and the profile is exactly as typed.
      const kept = (await first.call<ProfileView[]>('profiles.list')).find(
        (p) => p.profile.id === 'my-tenant',
      );
      expect(kept?.profile).toMatchObject({ ...TYPED, hasClientSecret: true });
    } finally {
      await first.stop();
    }
    const second = await startWebHost(dataDir);
    try {
      const restored = (await second.call<ProfileView[]>('profiles.list')).find(
        (p) => p.profile.id === 'my-tenant',
      );
      expect(restored?.profile).toMatchObject({ ...TYPED, hasClientSecret: true });
      expect((await second.call<AppInfo>('app.info')).notices).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('a corrupted profile file is backed up and reset, and the app says so', async () => {
    const garbage = '{"version": 1, "profiles": [ {"id": "x", BROKEN';
    await writeFile(join(dataDir, 'profiles.json'), garbage);
    const host = await startWebHost(dataDir);
    try {
      const info = await host.call<AppInfo>('app.info');
      expect(info.notices.join(' ')).toMatch(/profiles\.json.*(moved|backed up|copied)/i);
      const profiles = await host.call<ProfileView[]>('profiles.list');
      expect(profiles.map((p) => p.profile.id)).toContain('sandbox-first-party');
      const backups = (await readdir(dataDir)).filter((f) => f.startsWith('profiles.json.corrupt'));
      expect(backups).toHaveLength(1);
      expect(await readFile(join(dataDir, backups[0]!), 'utf8')).toBe(garbage);
    } finally {
      await host.stop();
    }
  });
});
