// Plain Node: the renderer location and the app-page test need no Electron object at all.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, rendererLocation } from '../../main/electron/renderer-location';

const outMainDir = '/opt/MCP Auth Desktop/resources/app.asar/out/main';

describe('rendererLocation', () => {
  it('is the built renderer beside the main bundle, served at app://renderer/, never file://', () => {
    expect(rendererLocation({ env: {}, isPackaged: true, outMainDir })).toEqual({
      kind: 'app',
      root: '/opt/MCP Auth Desktop/resources/app.asar/out/renderer',
      url: 'app://renderer/index.html',
    });
  });

  it('uses the electron-vite dev server only unpackaged and only on loopback', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(rendererLocation({ env, isPackaged: false, outMainDir })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(rendererLocation({ env, isPackaged: true, outMainDir }).kind).toBe('app');

    const logged: string[] = [];
    const remote = rendererLocation({
      env: { ELECTRON_RENDERER_URL: 'https://evil.example/' },
      isPackaged: false,
      outMainDir,
      log: { warn: (message) => logged.push(message) },
    });
    expect(remote.kind).toBe('app');
    expect(logged).toHaveLength(1);
    expect(
      rendererLocation({
        env: { ELECTRON_RENDERER_URL: 'file:///tmp/x.html' },
        isPackaged: false,
        outMainDir,
      }).kind,
    ).toBe('app');
  });
});

describe('isAppUrl', () => {
  const built = rendererLocation({ env: {}, isPackaged: true, outMainDir });

  it('accepts exactly the built index.html, with any query or fragment', () => {
    expect(isAppUrl(built, built.url)).toBe(true);
    expect(isAppUrl(built, `${built.url}#/trace`)).toBe(true);
    expect(isAppUrl(built, `${built.url}?x=1`)).toBe(true);
  });

  it('refuses other files, even beside it, and every other scheme', () => {
    const other = (path: string) => pathToFileURL(path).href;
    expect(
      isAppUrl(built, other('/opt/MCP Auth Desktop/resources/app.asar/out/renderer/index.html')),
    ).toBe(false);
    expect(isAppUrl(built, 'app://renderer/x.html')).toBe(false);
    expect(isAppUrl(built, 'app://renderer/')).toBe(false);
    expect(isAppUrl(built, 'app://evil/index.html')).toBe(false);
    expect(isAppUrl(built, 'app://user@renderer/index.html')).toBe(false);
    expect(isAppUrl(built, 'app2://renderer/index.html')).toBe(false);
    expect(
      isAppUrl(built, other('/opt/MCP Auth Desktop/resources/app.asar/out/renderer/x.html')),
    ).toBe(false);
    expect(
      isAppUrl(built, other('/opt/MCP Auth Desktop/resources/app.asar/out/main/index.js')),
    ).toBe(false);
    expect(isAppUrl(built, other('/tmp/index.html'))).toBe(false);
    expect(isAppUrl(built, 'file://server/share/out/renderer/index.html')).toBe(false);
    expect(isAppUrl(built, 'https://evil.example/out/renderer/index.html')).toBe(false);
    expect(isAppUrl(built, 'not a url')).toBe(false);
    expect(isAppUrl(built, undefined)).toBe(false);
  });

  it('in development accepts the dev server origin only', () => {
    const dev = rendererLocation({
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
      isPackaged: false,
      outMainDir,
    });
    expect(isAppUrl(dev, 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl(dev, 'http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isAppUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isAppUrl(dev, 'http://127.0.0.1:5173/')).toBe(false);
    expect(isAppUrl(dev, built.url)).toBe(false);
  });
});
