// The installer's Electron fuses, checked the way electron-builder itself reads them: its own
// schema validation of package.json's `build` section, and its own translation of
// `electronFuses` into @electron/fuses' wire. The binary cannot run here, so this is the
// configuration's test; the fuses are flipped at `npm run dist`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const build = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { build: Record<string, unknown> }
).build;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean }): Promise<void>;
};
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: {
    prototype: { generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>> };
  };
};

describe('the electron-builder configuration', () => {
  it('is valid for the installed electron-builder', async () => {
    await expect(validateConfiguration(build, { isEnabled: false })).resolves.toBeUndefined();
  });

  it('packs the app into an asar archive (OnlyLoadAppFromAsar and integrity need one)', () => {
    expect(build.asar).toBe(true);
  });

  it('flips every fuse Electron has, each to its hardened value', async () => {
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, build.electronFuses);
    // A fuse added by a future Electron must be decided here, not left at its default.
    const decided = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    for (const fuse of decided) expect(wire[fuse], FuseV1Options[fuse]).toBeTypeOf('boolean');
    expect(wire).toMatchObject({
      version: FuseVersion.V1,
      // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js for any script.
      [FuseV1Options.RunAsNode]: false,
      // NODE_OPTIONS (--require ...) and --inspect would let anyone who can start the app run
      // code in its main process, with its keyring access.
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      // Only the packed, integrity-checked app.asar is loaded (macOS and Windows check it).
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      // The page comes from app://, so file:// needs none of its historical extra powers.
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    });
  });
});
