/**
 * Secret hygiene, end to end through the app's API with its real stores on disk: a full flow with
 * the third-party client (a client secret), consent and refresh tokens, at debug log level, a
 * refresh, a sign-out, then an export of the trace to a file. A wiretap under the engine collects
 * every secret that crossed the wire; none may appear in a log line, in the exported file, or in
 * plaintext in any file the app wrote.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowView } from '../../preload/api';
import { createAppApi, type AppApi } from '../../main/api';
import { RedirectReceiver, startLoopbackListener } from '../../main/client/redirect';
import { FileSecretStore } from '../../main/profiles/secret-store';
import { FileProfileStore } from '../../main/profiles/store';
import { createLogger } from '../../main/shared/logger';
import { logTrace, TraceRecorder } from '../../main/trace';
import { HttpBrowser } from '../support/http-browser';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';
import { createWiretap } from '../support/wiretap';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('secret hygiene', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let appDir: string;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    appDir = await mkdtemp(join(tmpdir(), 'mcp-auth-hygiene-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    await rm(appDir, { recursive: true, force: true });
  });

  it('no token, code, verifier or client secret in logs, the export, or the files on disk', async () => {
    const { secrets, keep, fetch: wiretap } = createWiretap();

    const lines: string[] = [];
    const recorder = new TraceRecorder();
    logTrace(
      recorder,
      createLogger({
        level: 'debug',
        write: (line) => lines.push(line),
        scrub: (t) => recorder.secrets.replaceKnown(t),
      }),
    );
    const receiver = new RedirectReceiver();
    const loopback = await startLoopbackListener({ receiver });
    const browser = new HttpBrowser();
    let api: AppApi | undefined;
    try {
      api = await createAppApi({
        host: 'web',
        version: 'test',
        stack: sandbox.stack,
        profiles: new FileProfileStore(join(appDir, 'profiles.json')),
        secrets: await FileSecretStore.open(join(appDir, 'secrets')),
        recorder,
        receiver,
        redirects: [
          { mode: 'loopback', redirectUri: loopback.redirectUri, register: '', note: '' },
        ],
        fetch: wiretap,
        openExternal: async (url, purpose) => {
          if (purpose === 'sign-out') {
            await browser.follow(url, () => false);
            return;
          }
          const { callback } = await signIn(
            url,
            {
              username: 'alice',
              password: 'alice-sandbox',
              consent: 'allow',
              redirectUri: loopback.redirectUri,
            },
            browser,
          );
          keep(callback.searchParams.get('code'));
          await (await fetch(callback)).text();
        },
      });
      const clientSecret = sandbox.issuer.clients.find((c) => c.clientSecret)!.clientSecret!;
      keep(clientSecret);
      const profile = {
        id: 'third',
        name: 'Third party',
        serverUrl: sandbox.server.url,
        // A client secret is only ever sent to the issuer the profile names.
        issuer: sandbox.issuer.issuer,
        clientId: 'sandbox-third-party',
        // Its Permissions have no email (like a third-party Logto app's).
        scopes: ['openid', 'profile'],
        refreshTokens: true,
      };
      expect((await api.profiles.save(profile, clientSecret)).ok).toBe(true);

      const done = new Promise<FlowView>((resolve) => {
        api!.subscribe((e) => {
          if (e.type === 'flow' && (e.flow.status === 'signed-in' || e.flow.status === 'failed'))
            resolve(e.flow);
        });
      });
      await api.flow.connect('third', 'quick');
      expect((await done).status).toBe('signed-in');
      await api.session.callTool('third', 'whoami', {});
      await api.session.refresh('third');
      await api.session.callTool('third', 'whoami', {});
      const report = await api.session.signOut('third');
      expect(report.revoked.length).toBeGreaterThan(0);
      const exportFile = join(appDir, 'trace-export.json');
      await writeFile(exportFile, await api.trace.export());
    } finally {
      await api?.close();
      await loopback.close();
    }

    // Access, refresh and ID tokens before and after the refresh, the code, the PKCE verifier,
    // the client secret.
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    expect(lines.some((l) => l.includes('DEBUG') && l.includes('/oidc/token'))).toBe(true);
    const log = lines.join('\n');
    const leaks: string[] = [];
    for (const secret of secrets) {
      if (log.includes(secret)) leaks.push(`log: ${secret.slice(0, 6)}…`);
    }
    for (const file of await filesUnder(appDir)) {
      const raw = await readFile(file);
      for (const secret of secrets) {
        for (const form of [secret, Buffer.from(secret).toString('base64')]) {
          if (raw.includes(form)) leaks.push(`${file}: ${secret.slice(0, 6)}…`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
