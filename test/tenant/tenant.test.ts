/**
 * Against a real Logto (Cloud or self-hosted), named by LOGTO_* variables: the tenant is set up
 * through the Management API (idempotently), then Chromium signs in as a person would, and every
 * diagnosis the app makes is compared with what Logto answered. Run with `npm run test:tenant`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from '@playwright/test';
import { SessionStore } from '../../main/client/engine/session-store';
import { Flow, type FlowSettings } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { RedirectReceiver, startLoopbackListener } from '../../main/client/redirect';
import { checkForFailure, runDoctor, type DoctorInput } from '../../main/doctor';
import { doctorFetch } from '../../main/doctor/run';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { startMcpServer, type RunningMcpServer } from '../../main/server';
import { ManagementApi, runTenantSetup, type TenantSetupResult } from '../../main/tenant-setup';
import { TraceRecorder } from '../../main/trace';

const env = (name: string) => process.env[name] ?? '';
const endpoint = new URL(env('LOGTO_ENDPOINT')).origin;
const m2m = { appId: env('LOGTO_M2M_APP_ID'), appSecret: env('LOGTO_M2M_APP_SECRET') };
const user = { username: env('LOGTO_TEST_USER'), password: env('LOGTO_TEST_PASSWORD') };
const other = process.env.LOGTO_TEST_OTHER_USER
  ? { username: env('LOGTO_TEST_OTHER_USER'), password: env('LOGTO_TEST_OTHER_PASSWORD') }
  : undefined;
// The API resource's identifier names the server's port: a fixed one keeps the tenant tidy.
const serverPort = Number(process.env.LOGTO_TEST_SERVER_PORT ?? 3001);
const resource = `http://localhost:${serverPort}/`;

let browser: Browser;
let setup: TenantSetupResult;
let jwtServer: RunningMcpServer;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  const recorder = new TraceRecorder();
  setup = await runTenantSetup(
    { endpoint, resource, username: user.username, thirdParty: true, credentials: m2m },
    {
      fetch: doctorFetch({ recorder, timeoutMs: 15_000 }),
      secrets,
      traceSecrets: recorder.secrets,
    },
  );
  const blocking = setup.items.filter(
    (i) => i.state === 'failed' || (i.state === 'drift' && !i.fixable),
  );
  expect(blocking, 'the tenant could not be set up').toEqual([]);
  jwtServer = await startMcpServer({ port: serverPort, issuer: setup.issuer, resource });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
});
afterAll(async () => {
  await browser?.close();
  await jwtServer?.close();
});

/** Logto's sign-in page, identifier first or both fields at once; then its consent page. */
async function signInAt(page: Page, person: typeof user, consent: 'Authorize' | 'Cancel') {
  await page
    .locator('input[name="identifier"], input[name="username"]')
    .first()
    .fill(person.username);
  const password = page.locator('input[name="password"]');
  if (!(await password.isVisible())) await page.locator('button[type="submit"]').first().click();
  await password.fill(person.password);
  await page.locator('button[type="submit"]').first().click();
  const button = page.getByRole('button', { name: consent });
  await Promise.race([
    button.click({ timeout: 20_000 }).catch(() => undefined),
    page.waitForURL(/127\.0\.0\.1:\d+\/callback/, { timeout: 20_000 }),
  ]);
}

async function signInFlow(
  settings: Partial<FlowSettings>,
  person = user,
  consent: 'Authorize' | 'Cancel' = 'Authorize',
) {
  const receiver = new RedirectReceiver();
  const listener = await startLoopbackListener({ receiver });
  const context = await browser.newContext();
  const page = await context.newPage();
  const flow = new Flow(
    {
      profileId: 'tenant-suite',
      serverUrl: jwtServer.url,
      transport: 'streamable-http',
      issuer: setup.issuer,
      clientId: setup.nativeAppId!,
      scopes: ['openid', 'profile'],
      resource: { mode: 'auto' },
      extraParams: {},
      refreshTokens: false,
      ...settings,
    },
    {
      recorder: new TraceRecorder(),
      receiver,
      redirectUri: listener.redirectUri,
      sessions: new SessionStore(new MemorySecretStore()),
      signInTimeoutMs: 60_000,
      openAuthorizationUrl: async (url) => {
        await page.goto(url.href);
        await signInAt(page, person, consent);
      },
    },
  );
  const close = async () => {
    await flow.close();
    await context.close();
    await listener.close();
  };
  return { flow, close };
}

const whoamiText = async (flow: Flow) => JSON.stringify((await flow.callTool('whoami')).content);

async function failureOf(run: Promise<unknown>): Promise<FlowStepError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowStepError);
  return error as FlowStepError;
}

const doctorInput = (over: Partial<DoctorInput> = {}): DoctorInput => ({
  issuer: setup.issuer,
  clientId: setup.nativeAppId!,
  serverUrl: jwtServer.url,
  scopes: ['openid', 'profile'],
  ...over,
});

describe('the set-up tenant', () => {
  it('a second setup creates nothing', async () => {
    const recorder = new TraceRecorder();
    const again = await runTenantSetup(
      { endpoint, resource, username: user.username, thirdParty: true },
      {
        fetch: doctorFetch({ recorder, timeoutMs: 15_000 }),
        secrets,
        traceSecrets: recorder.secrets,
      },
    );
    expect(again.items.filter((i) => i.state === 'created')).toEqual([]);
  });

  it('passes the doctor', async () => {
    const report = await runDoctor(doctorInput(), { fetch: doctorFetch({ timeoutMs: 15_000 }) });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});

describe('signing in with Chromium', () => {
  // Settings are functions: the app IDs exist only once beforeAll has set the tenant up.
  it.each<[string, () => Partial<FlowSettings>]>([
    ['first-party, JWT', () => ({ resource: { mode: 'auto' } })],
    ['first-party, opaque (userinfo)', () => ({ resource: { mode: 'none' } })],
    ['third-party, Authorize on the consent page', () => ({ clientId: setup.thirdPartyAppId! })],
  ])('%s: whoami answers with the user', async (_name, settings) => {
    const { flow, close } = await signInFlow(settings());
    try {
      await flow.run();
      expect(await whoamiText(flow)).toContain(user.username);
    } finally {
      await close();
    }
  });

  it('third-party, Cancel on the consent page: the sign-in ends as cancelled', async () => {
    const { flow, close } = await signInFlow({ clientId: setup.thirdPartyAppId! }, user, 'Cancel');
    try {
      const error = await failureOf(flow.run());
      expect(error.message).toMatch(/cancel/i);
    } finally {
      await close();
    }
  });

  it.skipIf(!other)(
    'a user without the role: the token lacks whoami:read (set LOGTO_TEST_OTHER_USER/PASSWORD to run)',
    async () => {
      const { flow, close } = await signInFlow(
        { scopes: ['openid', 'profile', 'whoami:read'] },
        other!,
      );
      try {
        const error = await failureOf(flow.run().then(() => flow.callTool('whoami')));
        expect(error.message).toMatch(/whoami:read/);
      } finally {
        await close();
      }
    },
  );
});

describe('each misconfiguration: the doctor’s check is the one the flow’s failure points at', () => {
  async function compare(
    settings: Partial<FlowSettings>,
    input: Partial<DoctorInput>,
    expected: string,
  ) {
    const report = await runDoctor(doctorInput(input), {
      fetch: doctorFetch({ timeoutMs: 15_000 }),
    });
    expect(report.checks.find((c) => c.id === expected)?.status).toBe('fail');
    const { flow, close } = await signInFlow(settings);
    try {
      const error = await failureOf(flow.run());
      expect(checkForFailure(error.code)).toBe(expected);
    } finally {
      await close();
    }
  }

  it('a wrong client ID', () =>
    compare(
      { clientId: 'no-such-client-123' },
      { clientId: 'no-such-client-123' },
      'authorization.client',
    ));

  it('an unknown resource', () =>
    compare(
      { resource: { mode: 'custom', value: 'http://localhost:3999/' } },
      { resource: { mode: 'custom', value: 'http://localhost:3999/' } },
      'authorization.resource',
    ));

  it('an SPA whose redirect URI is not the loopback one', async () => {
    const recorder = new TraceRecorder();
    const api = new ManagementApi(
      endpoint,
      m2m,
      doctorFetch({ recorder, timeoutMs: 15_000 }),
      recorder.secrets,
    );
    const name = 'MCP Auth Desktop tenant-suite SPA';
    const apps = await api.list<{ id: string; name: string }>('/applications');
    const spa =
      apps.find((a) => a.name === name) ??
      (
        await api.call<{ id: string }>('POST', '/applications', {
          name,
          type: 'SPA',
          oidcClientMetadata: {
            redirectUris: ['http://localhost:6274/oauth/callback'],
            postLogoutRedirectUris: [],
          },
        })
      ).data;
    await compare({ clientId: spa.id }, { clientId: spa.id }, 'authorization.redirect-uri');
  });
});
