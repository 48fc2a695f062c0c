// The app:// handler under plain Node: Request and Response are the same web classes Electron's
// protocol.handle passes and expects, so no fake is needed. The files are real, in a temporary
// folder laid out like out/renderer, with a secret next door that must stay out of reach.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_PAGE_PRIVILEGES,
  APP_PAGE_URL,
  createAppPageHandler,
} from '../../main/electron/app-protocol';
import { contentSecurityPolicy } from '../../main/electron/csp';

let dir: string;
let serve: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-protocol-'));
  await mkdir(join(dir, 'renderer/assets'), { recursive: true });
  await mkdir(join(dir, 'renderer-private'));
  await writeFile(join(dir, 'renderer/index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  await writeFile(join(dir, 'renderer-private/secret.txt'), 'SECRET');
  await writeFile(join(dir, 'secret.txt'), 'SECRET');
  serve = createAppPageHandler({ root: join(dir, 'renderer') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, init?: RequestInit) => serve(new Request(url, init));

describe('the app:// page handler', () => {
  it('serves the built page with its CSP as a header, nosniff, and the right types', async () => {
    for (const url of [APP_PAGE_URL, 'app://renderer/']) {
      const page = await get(url);
      expect(page.status, url).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await page.text()).toContain('<div id="root">');
    }
    const script = await get('app://renderer/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const head = await get(APP_PAGE_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    ['encoded ../ out of the folder', 'app://renderer/..%2Fsecret.txt'],
    ['encoded dots', 'app://renderer/%2e%2e%2fsecret.txt'],
    ['a sibling folder sharing the prefix', 'app://renderer/..%2Frenderer-private%2Fsecret.txt'],
    ['deep traversal', 'app://renderer/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd'],
    ['backslashes', 'app://renderer/..%5Csecret.txt'],
    ['an absolute path', 'app://renderer/%2Fetc%2Fpasswd'],
    ['a NUL byte', 'app://renderer/index.html%00.js'],
    ['a folder', 'app://renderer/assets'],
    ['a missing file', 'app://renderer/nothing.js'],
    ['another host of the scheme', 'app://evil/index.html'],
  ])('refuses %s with a 404 and never reads outside the folder', async (_name, url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('SECRET');
  });

  it('refuses a path that does not decode with a 400, and writes with a 405', async () => {
    expect((await get('app://renderer/%E0%A4%A')).status).toBe(400);
    expect((await get(APP_PAGE_URL, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('registers the scheme standard and secure, bypassing nothing', () => {
    expect(APP_PAGE_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    });
  });
});
