import { describe, expect, it } from 'vitest';
import {
  parseDeepLink,
  redirectRegistrationNote,
  redirectUriFor,
} from '../../main/client/redirect/deep-link';
import { RedirectReceiver } from '../../main/client/redirect/receiver';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';

const LINK = `${APP_REDIRECT_URI}?code=c1&state=s1&iss=https%3A%2F%2Ft.logto.app%2Foidc`;

describe('parseDeepLink', () => {
  it('finds our link among a Windows second instance’s arguments', () => {
    const argv = [
      'C:\\Program Files\\MCP Auth Desktop\\MCP Auth Desktop.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13370000000000000',
      LINK,
    ];
    expect(parseDeepLink(argv)).toEqual({ ok: true, url: LINK });
  });

  it('finds it on Linux after "--", in any case of the scheme, and quoted', () => {
    const upper = 'APP.MCPAUTHDESKTOP:/oauth/callback?code=c1&state=s1';
    expect(parseDeepLink(['/opt/mcp-auth-desktop/app', '--no-sandbox', '--', upper])).toEqual({
      ok: true,
      url: 'app.mcpauthdesktop:/oauth/callback?code=c1&state=s1',
    });
    expect(parseDeepLink(['app.exe', `"${LINK}"`])).toEqual({ ok: true, url: LINK });
  });

  it('says so when no argument is our link', () => {
    expect(parseDeepLink(['app', '--inspect', 'https://example.com/?code=x'])).toEqual({
      ok: false,
      reason: 'No app.mcpauthdesktop: link among the command-line arguments.',
    });
    expect(parseDeepLink([])).toMatchObject({ ok: false });
  });

  it('accepts a URL handed over directly (macOS open-url), as string or URL', () => {
    expect(parseDeepLink(LINK)).toEqual({ ok: true, url: LINK });
    expect(parseDeepLink(new URL(LINK))).toEqual({ ok: true, url: LINK });
  });

  it('rejects foreign schemes, invalid and oversized links', () => {
    expect(parseDeepLink('https://evil.example/oauth/callback?code=x')).toEqual({
      ok: false,
      reason: 'Ignored a https: link: MCP Auth Desktop only handles app.mcpauthdesktop: links.',
    });
    expect(parseDeepLink('otherapp:/oauth/callback')).toMatchObject({ ok: false });
    expect(parseDeepLink('no scheme at all')).toEqual({
      ok: false,
      reason: 'Ignored a link that is not a valid URL.',
    });
    expect(parseDeepLink(`${APP_REDIRECT_URI}?code=${'x'.repeat(9000)}`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/accepts at most 8192/),
    });
  });

  it('feeds the receiver end to end', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's1', redirectUri: APP_REDIRECT_URI });
    const parsed = parseDeepLink(['app', LINK]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(receiver.deliver(parsed.url, 'deep-link').status).toBe('completed');
    await expect(flow.promise).resolves.toMatchObject({
      code: 'c1',
      iss: 'https://t.logto.app/oidc',
    });
  });
});

describe('redirectUriFor', () => {
  it('gives the custom-scheme URI and the loopback URI with its port', () => {
    expect(redirectUriFor('custom-scheme')).toBe('app.mcpauthdesktop:/oauth/callback');
    expect(redirectUriFor('loopback', 53682)).toBe('http://127.0.0.1:53682/callback');
    expect(redirectUriFor('loopback')).toBe('http://127.0.0.1/callback');
    expect(() => redirectUriFor('loopback', 0)).toThrow(RangeError);
    expect(() => redirectUriFor('loopback', 70000)).toThrow(/1 to 65535/);
  });

  it('tells the UI what to register, and that Logto Native apps accept any loopback port', () => {
    expect(redirectRegistrationNote('loopback')).toEqual({
      register: 'http://127.0.0.1/callback',
      note: expect.stringMatching(/a Logto Native app accepts a loopback redirect URI on any port/),
    });
    expect(redirectRegistrationNote('custom-scheme')).toEqual({
      register: 'app.mcpauthdesktop:/oauth/callback',
      note: expect.stringMatching(/Only the desktop app can receive it/),
    });
  });
});
