// shell.openExternal is replaced by a recording function: the Electron binary cannot be
// downloaded on this project's machines. Nothing else is faked.
import { describe, expect, it } from 'vitest';
import { createOpenExternalGate } from '../../main/electron/open-external';

function setup(opts: { now?: () => number; maxEntries?: number } = {}) {
  const opened: string[] = [];
  const logged: string[] = [];
  const gate = createOpenExternalGate(
    async (url) => {
      opened.push(url);
    },
    { log: { warn: (message) => logged.push(message) }, ...opts },
  );
  return { gate, opened, logged };
}

const AUTH = 'https://tenant.logto.app/oidc/auth?client_id=abc&state=s3cr3t&code_challenge=x';
const END = 'http://127.0.0.1:3100/oidc/session/end?id_token_hint=eyJhbGciOi.payload.sig';

describe('createOpenExternalGate', () => {
  it('opens the URLs the API asks to open and remembers them', async () => {
    const { gate, opened } = setup();
    await gate.open(AUTH, 'sign-in');
    await gate.open(END, 'sign-out');
    expect(opened).toEqual([AUTH, END]);
    expect(gate.isAllowed(AUTH)).toBe(true);
    expect(await gate.openIfAllowed(END)).toBe(true);
    expect(opened).toEqual([AUTH, END, END]);
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['custom scheme', 'app.mcpauthdesktop:/oauth/callback?code=x&state=y'],
    ['smb:', 'smb://attacker.example/share'],
    ['credentials', 'https://user:pass@tenant.logto.app/oidc/auth'],
    ['not a URL', 'not a url'],
  ])('the API cannot open a %s URL either', async (_what, url) => {
    const { gate, opened, logged } = setup();
    await expect(gate.open(url, 'sign-in')).rejects.toThrow(/not an http\(s\) URL/);
    expect(opened).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toMatch(/user:pass|code=|alert/);
  });

  it('refuses a URL the API did not ask for, and logs it without its query', async () => {
    const { gate, opened, logged } = setup();
    await gate.open(AUTH, 'sign-in');
    expect(await gate.openIfAllowed('https://evil.example/?token=leak')).toBe(false);
    expect(await gate.openIfAllowed('https://tenant.logto.app/oidc/auth?state=other')).toBe(false);
    expect(await gate.openIfAllowed('file:///etc/passwd')).toBe(false);
    expect(await gate.openIfAllowed('javascript:alert(1)')).toBe(false);
    expect(opened).toEqual([AUTH]);
    expect(logged).toEqual([
      'Refused to open https://evil.example/ in the browser: only sign-in and sign-out pages of a flow are opened.',
      'Refused to open https://tenant.logto.app/oidc/auth in the browser: only sign-in and sign-out pages of a flow are opened.',
      'Refused to open file:///etc/passwd in the browser: only sign-in and sign-out pages of a flow are opened.',
      'Refused to open a javascript: URL in the browser: only sign-in and sign-out pages of a flow are opened.',
    ]);
    expect(logged.join('\n')).not.toMatch(/leak|state=/);
  });

  it('forgets URLs after their time and beyond the size limit', async () => {
    let time = 0;
    const { gate } = setup({ now: () => time, maxEntries: 2 });
    await gate.open(`${AUTH}&n=1`, 'sign-in');
    await gate.open(`${AUTH}&n=2`, 'sign-in');
    await gate.open(`${AUTH}&n=3`, 'sign-in');
    expect(gate.isAllowed(`${AUTH}&n=1`)).toBe(false);
    expect(gate.isAllowed(`${AUTH}&n=3`)).toBe(true);
    time = 15 * 60_000;
    expect(gate.isAllowed(`${AUTH}&n=3`)).toBe(false);
  });

  it('reports a browser that cannot be opened instead of throwing from a link handler', async () => {
    const logged: string[] = [];
    let calls = 0;
    const gate = createOpenExternalGate(
      async () => {
        calls++;
        if (calls > 1) throw new Error('no browser');
      },
      { log: { warn: (message) => logged.push(message) } },
    );
    await gate.open(AUTH, 'sign-in');
    expect(await gate.openIfAllowed(AUTH)).toBe(false);
    expect(logged).toEqual([
      'The browser could not be opened for https://tenant.logto.app/oidc/auth.',
    ]);
  });
});
