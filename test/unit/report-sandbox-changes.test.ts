/**
 * A scenario's changes to the sandbox (the server's required scopes and clock leeway, the token
 * lifetime) last for
 * its own run only: the user's exact settings come back when the run ends, fails, is stopped or
 * the app closes; settings the user changed meanwhile are left alone.
 */
import { describe, expect, it } from 'vitest';

import type { AppEvent, FlowView } from '../../preload/api';
import { createDemoApi } from '../../main/report/demo-api';
import { renderReportHtml } from '../../main/report/html';
import { readReportHtml } from '../../main/report/report-file';
import { DemoRun, type DemoHost } from '../../main/report/demo-runner';
import { applySandboxChanges, type SandboxControls } from '../../main/report/sandbox-changes';
import type { DemoTarget } from '../../main/report/target';
import { scenarioById, type Scenario } from '../../main/report/scenarios';
import { DEFAULT_SERVER_SETTINGS, type ServerSettings } from '../../main/server';

/** The user's own settings: not the defaults, so a restore to defaults would show. */
const USERS: ServerSettings = {
  ...DEFAULT_SERVER_SETTINGS,
  requiredScopes: ['profile:read'],
  cacheTtlSec: 7,
  allowedClientIds: ['sandbox-native'],
};

function fakeControls(options: { failApply?: (n: number) => boolean } = {}) {
  const state = {
    settings: structuredClone(USERS),
    ttl: undefined as number | undefined,
    applied: [] as ServerSettings[],
  };
  const controls: SandboxControls = {
    serverSettings: () => state.settings,
    applyServerSettings: async (settings) => {
      if (options.failApply?.(state.applied.length)) throw new Error('the port was taken');
      state.applied.push(structuredClone(settings));
      state.settings = structuredClone(settings);
    },
    accessTokenTtl: () => ({ override: state.ttl, resourceSec: 3600 }),
    setAccessTokenTtl: (sec) => {
      if (sec !== undefined && sec <= 0) throw new TypeError('positive whole number of seconds');
      state.ttl = sec;
    },
  };
  return { state, controls };
}

describe('applySandboxChanges', () => {
  it('applies the required scopes and a token lifetime, says so, and restores both exactly', async () => {
    const { state, controls } = fakeControls();
    const changes = await applySandboxChanges(controls, {
      requiredScopes: ['whoami:read'],
      accessTokenTtlSec: 70,
    });
    expect(state.settings.requiredScopes).toEqual(['whoami:read']);
    expect(state.settings.cacheTtlSec).toBe(7); // everything else as the user had it
    expect(state.ttl).toBe(70);
    expect(changes.told.join(' ')).toMatch(/now requires whoami:read.*your settings: profile:read/);
    expect(changes.told.join(' ')).toMatch(/live 70 s \(normally 3600 s\)/);
    expect(changes.during).toEqual({
      requiredScopes: ['whoami:read'],
      accessTokenTtlSec: 70,
      clockToleranceSec: 30,
    });

    expect(await changes.restore()).toEqual({ restored: true });
    expect(state.settings).toEqual(USERS);
    expect(state.ttl).toBeUndefined();
    // Twice is once: the settings are applied back a single time.
    await changes.restore();
    expect(state.applied).toHaveLength(2);
  });

  it('lowers the server’s clock leeway with the scopes in one restart, says so, and restores it', async () => {
    const { state, controls } = fakeControls();
    const changes = await applySandboxChanges(controls, {
      requiredScopes: ['whoami:read'],
      clockToleranceSec: 0,
    });
    expect(state.applied).toHaveLength(1);
    expect(state.settings).toMatchObject({ requiredScopes: ['whoami:read'], clockToleranceSec: 0 });
    expect(changes.told.join(' ')).toMatch(/allows no clock leeway .*\(normally 30 s/);
    expect(changes.during.clockToleranceSec).toBe(0);
    expect(changes.leewayChanged).toBe(true);
    await changes.restore();
    expect(state.settings).toEqual(USERS);
  });

  it('changes nothing when the server already requires the scope', async () => {
    const { state, controls } = fakeControls();
    state.settings.requiredScopes = ['whoami:read'];
    const changes = await applySandboxChanges(controls, { requiredScopes: ['whoami:read'] });
    expect(changes.told).toEqual([
      'The bundled server already requires whoami:read: nothing to change.',
    ]);
    await changes.restore();
    expect(state.applied).toHaveLength(0);
  });

  it('leaves settings the user applied during the story alone, and says so', async () => {
    const { state, controls } = fakeControls();
    const changes = await applySandboxChanges(controls, { requiredScopes: ['whoami:read'] });
    state.settings = { ...state.settings, verification: 'userinfo' }; // the Server tab, meanwhile
    const result = await changes.restore();
    expect(result.restored).toBe(false);
    expect(result.note).toMatch(/changed during the story/);
    expect(state.settings.verification).toBe('userinfo');
  });

  it('undoes what it already did when a later change fails, then fails', async () => {
    const { state, controls } = fakeControls();
    await expect(
      applySandboxChanges(controls, { requiredScopes: ['whoami:read'], accessTokenTtlSec: -1 }),
    ).rejects.toThrow(/positive/);
    expect(state.settings).toEqual(USERS);
    expect(state.ttl).toBeUndefined();
  });

  it('says what to do when the settings cannot be put back', async () => {
    const { controls } = fakeControls({ failApply: (n) => n === 1 });
    const changes = await applySandboxChanges(controls, { requiredScopes: ['whoami:read'] });
    const result = await changes.restore();
    expect(result.restored).toBe(false);
    expect(result.note).toMatch(
      /could not be put back.*required scopes to profile:read.*Server tab/,
    );
  });
});

/** A host whose flows sign in at once (or fail to connect) and whose tokens expire in `ttlMs`. */
function fakeHost(opts: {
  connectFails?: boolean;
  ttlMs?: number;
  /** Profiles whose sign-in ends failed after the token exchange. */
  failsAfterExchange?: (profileId: string) => boolean;
  /** Profiles whose issuer takes every request: the flow pauses before the browser opens. */
  reachesSignIn?: (profileId: string) => boolean;
  verdict?: { status: number; accepted: boolean; explanation: string };
}) {
  const { state, controls } = fakeControls();
  const listeners = new Set<(event: AppEvent) => void>();
  const publish = (flow: FlowView) => listeners.forEach((l) => l({ type: 'flow', flow }));
  const cancelled: string[] = [];
  let checks = 0;
  const host: DemoHost = {
    saveProfile: async () => ({ ok: true }),
    connect: async (profileId) => {
      if (opts.connectFails) throw new Error('The MCP server did not answer.');
      if (opts.reachesSignIn?.(profileId)) {
        const paused = {
          flowId: `flow-${profileId}`,
          profileId,
          mode: 'guided',
          status: 'paused',
          steps: [{ id: 'sign-in', status: 'waiting' }],
        } as FlowView;
        setTimeout(() => publish(paused));
        return { ...paused, status: 'running', steps: [] };
      }
      return {
        flowId: `flow-${profileId}`,
        profileId,
        mode: 'guided',
        status: opts.failsAfterExchange?.(profileId) ? 'failed' : 'signed-in',
        steps: [],
      } as FlowView;
    },
    continueFlow: async () => undefined,
    forgetSession: async () => undefined,
    cancelFlow: async (flowId) => {
      cancelled.push(flowId);
      const profileId = flowId.replace(/^flow-/, '');
      publish({ flowId, profileId, mode: 'guided', status: 'cancelled', steps: [] });
    },
    callTool: async () => ({ structuredContent: { subject: 'q7k2abcd' } }),
    refresh: async () => ({}),
    signOut: async () => ({ revoked: [] }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    events: () => [],
    holdAccessToken: async () => ({
      expiresAt: Date.now() + (opts.ttlMs ?? 60_000),
      check: async () => {
        checks++;
        return {
          what: 'x',
          ...(opts.verdict ?? { status: 401, accepted: false, explanation: 'expired' }),
        };
      },
    }),
    sandboxControls: controls,
    // The running server's, as the app's host reads it: what the story set, if it set one.
    get serverClockLeewaySec() {
      return state.settings.clockToleranceSec;
    },
    sandbox: {
      issuer: 'http://127.0.0.1:1/oidc',
      mcpUrl: 'http://localhost:2/mcp',
      resource: 'http://localhost:2/',
      users: [],
    } as unknown as DemoHost['sandbox'],
    serverSettings: { verification: 'auto', requiredScopes: [] },
    prepare: async () => SANDBOX,
    targets: async () => [],
    appVersion: '0.0.0-test',
    changed: () => undefined,
  };
  return { host, state, checks: () => checks, cancelled };
}

/** Where the runs of this file play: a sandbox that is only addresses. */
const SANDBOX: DemoTarget = {
  kind: 'sandbox',
  label: 'the sandbox',
  issuer: 'http://127.0.0.1:1/oidc',
  mcpUrl: 'http://localhost:2/mcp',
  resource: 'http://localhost:2/',
  bundled: true,
  users: [],
};

const twoPeople = scenarioById('two-people')!;
const tokenLife = scenarioById('token-life')!;

describe('a demo run and the sandbox', () => {
  it('puts the user’s settings back when the run fails', async () => {
    const { host, state } = fakeHost({ connectFails: true });
    const run = new DemoRun(twoPeople, true, host, SANDBOX);
    await run.run();
    const view = run.view(false);
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/did not answer/);
    expect(state.applied.map((s) => s.requiredScopes)).toEqual([['whoami:read'], ['profile:read']]);
    expect(state.settings).toEqual(USERS);
    expect(view.setup).toMatchObject({ restored: true });
    expect(view.beats[0]).toMatchObject({ kind: 'setup' });
    expect(view.settings).toContainEqual({
      label: 'Scopes the server requires',
      value: 'whoami:read (for this story)',
    });
  });

  it('stopped while waiting for a token to expire: no verdict, the lifetime restored at once', async () => {
    const { host, state, checks } = fakeHost({ ttlMs: 60_000 });
    const run = new DemoRun(tokenLife, true, host, SANDBOX);
    const done = run.run();
    await expect.poll(() => run.view(false).beats.some((b) => b.kind === 'wait')).toBe(true);
    expect(state.ttl).toBe(20);
    expect(state.settings.clockToleranceSec).toBe(0);
    const wait = run.view(false).beats.find((b) => b.kind === 'wait')!;
    expect(wait.narration).toMatch(/allows no leeway/);
    expect(run.view(false).settings).toContainEqual({
      label: 'Server clock leeway',
      value: '0 s (for this story)',
    });
    expect(Date.parse(wait.until!)).toBeGreaterThan(Date.now() + 50_000);
    // The wait is told (a countdown beat), drawn (a band in the picture) and kept in the report.
    const reopened = readReportHtml(renderReportHtml(run.view(false)));
    expect(reopened.beats.map((b) => b.kind)).toEqual(['setup', 'intro', 'wait']);
    expect(reopened.beats[2]).toMatchObject({ until: wait.until, afterArrows: 0 });
    expect(reopened.parts[0]!.interludes?.[0]?.from).toBeTruthy();
    expect(reopened.parts[0]!.svg).toContain('Waiting for the access token to expire, until');
    run.stop();
    await done;
    expect(checks()).toBe(0);
    expect(state.ttl).toBeUndefined();
    expect(state.settings).toEqual(USERS);
    expect(run.view(false).status).toBe('done');
  });

  it('a token that expires is shown to the server only after its expiry', async () => {
    const { host, checks } = fakeHost({ ttlMs: 300 });
    const started = Date.now();
    let checkedAt = 0;
    const hold = host.holdAccessToken;
    host.holdAccessToken = async (id) => {
      const held = await hold(id);
      return held && { ...held, check: () => ((checkedAt = Date.now()), held.check()) };
    };
    const scenario: Scenario = {
      ...tokenLife,
      parts: [{ ...tokenLife.parts[0]!, acts: [{ do: 'expire' }] }],
    };
    await new DemoRun(scenario, true, host, SANDBOX).run();
    expect(checks()).toBe(1);
    // exp + the server's leeway (0 here) + one second of margin.
    expect(checkedAt - started).toBeGreaterThanOrEqual(1_300);
  });

  it('a refusal the flow never met: the server is shown the token, and its 403 is explained', async () => {
    const { host, checks } = fakeHost({
      failsAfterExchange: (id) => id.endsWith('-2'),
      verdict: {
        status: 403,
        accepted: false,
        explanation: 'the server rejects it: insufficient_scope',
      },
    });
    const run = new DemoRun(twoPeople, true, host, SANDBOX);
    await run.run();
    const bob = run.view(false).parts[1]!;
    expect(checks()).toBe(1);
    expect(bob.status).toBe('failed');
    expect(bob.outcome.verdicts).toContainEqual({
      what: 'bob’s access token at the MCP server',
      status: 403,
      accepted: false,
      explanation: 'the server rejects it: insufficient_scope',
    });
    expect(bob.outcome.failure?.fix).toMatch(/Console › Roles/);
  });

  it('closing the demo block (the app closing) stops the run and restores the settings', async () => {
    const { host, state } = fakeHost({ ttlMs: 60_000 });
    const demo = createDemoApi(host);
    const view = await demo.api.startDemo('two-people', { presenter: true });
    expect(view.runId).toBeTruthy();
    await demo.close();
    expect(state.settings).toEqual(USERS);
  });

  it('a second story waits for the first to restore before it takes the settings', async () => {
    const { host, state } = fakeHost({ ttlMs: 60_000 });
    const demo = createDemoApi(host);
    await demo.api.startDemo('token-life', { presenter: true });
    await expect.poll(() => state.ttl).toBe(20);
    await demo.api.startDemo('two-people', { presenter: true });
    await demo.close();
    expect(state.settings).toEqual(USERS);
    expect(state.ttl).toBeUndefined();
  });

  it('a mistake the target does not make: no browser opens, and the part says so', async () => {
    const { host, cancelled } = fakeHost({ reachesSignIn: (id) => id.endsWith('-2') });
    const target: DemoTarget = {
      ...SANDBOX,
      kind: 'tenant',
      label: 'My tenant',
      tenant: {
        name: 'My tenant',
        permission: 'whoami:read',
        profile: {
          clientId: 'abcdefghij',
          scopes: ['openid'],
          resource: { mode: 'auto' },
          extraParams: {},
          redirectMode: 'loopback',
          transport: 'streamable-http',
          hasClientSecret: false,
        },
      },
    };
    const run = new DemoRun(scenarioById('what-goes-wrong')!, true, host, target);
    await run.run();
    const redirect = run.view(false).parts[1]!;
    // The issuer was ready to show its sign-in page: the run stops there, before any browser.
    expect(cancelled).toEqual(['flow-demo-what-goes-wrong-2']);
    expect(run.view(false).pause).toBeUndefined();
    expect(redirect.status).toBe('done');
    expect(redirect.outcome.failure).toBeUndefined();
    expect(redirect.outcome.takeaway).toMatch(
      /^My tenant accepted this .* does not make this mistake/,
    );
  });
});
