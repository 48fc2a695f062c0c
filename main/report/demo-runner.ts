/**
 * Plays a scenario (scenarios.ts) through the app's own API, as a person clicking would: saves
 * each part's profile, connects in the guided mode (so it can pause before the browser opens),
 * then calls, refreshes and signs out. It keeps what the story needs (flow ids, the server's
 * verdicts) and builds the view the presenter and the report show, masked unless revealed.
 */
import { randomUUID } from 'node:crypto';
import type { AppEvent, FlowView, SandboxInfo } from '../../preload/api';
import type { VerificationEvent } from '../server/verification-event';
import type { RecordedEvent } from '../trace/events';
import { collectIdentifiers, maskDeep } from './mask';
import type { DemoAct, Scenario, ScenarioPart } from './scenarios';
import { deriveSequence } from './sequence';
import { renderSequenceSvg } from './svg';
import { beatsOf } from './beats';
import { applySandboxChanges, type AppliedChanges, type SandboxControls } from './sandbox-changes';
import type { DemoTarget } from './target';
import type {
  DemoInterlude,
  DemoPartView,
  DemoRunView,
  DemoTargetChoice,
  DemoVerdict,
} from './types';

/** What the runner needs from the app: a subset of the API plus a few hooks of main/api.ts. */
export interface DemoHost {
  saveProfile(input: unknown, clientSecret?: string): Promise<{ ok: boolean }>;
  /** A guided sign-in marked as a demo's; `redirectPath` puts the redirect URI on another path. */
  connect(profileId: string, options: { redirectPath?: string }): Promise<FlowView>;
  continueFlow(flowId: string): Promise<void>;
  callTool(profileId: string, name: string, args: Record<string, unknown>): Promise<unknown>;
  refresh(profileId: string): Promise<unknown>;
  signOut(profileId: string): Promise<{
    revoked: { token: string; status: number | string; note?: string }[];
    oldToken?: { status: number; accepted: boolean; explanation: string };
  }>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Signs the profile out here (no call to the issuer): a part never reuses an earlier run's session. */
  forgetSession(profileId: string): Promise<void>;
  /** The trace as recorded so far. */
  events(): readonly RecordedEvent[];
  cancelFlow(flowId: string): Promise<void>;
  /**
   * Keeps the profile's current access token in main and returns a check that shows it to the
   * MCP server later (the server's verdict on the old token), and when the token expires (ms,
   * from its `exp`). The token never leaves main.
   */
  holdAccessToken(profileId: string): Promise<HeldToken | undefined>;
  /** What a scenario may change in the sandbox for its run (restored afterwards). */
  readonly sandboxControls: SandboxControls;
  /** How long past `exp` the bundled server still accepts a JWT (clock-skew leeway), in s. */
  readonly serverClockLeewaySec: number;
  readonly sandbox: SandboxInfo;
  readonly thirdPartySecret?: string | undefined;
  readonly serverSettings: { verification: string; requiredScopes: string[] };
  /**
   * Where the run plays: the sandbox (started, and trusted by the bundled server), or the tenant
   * of the profile `targetProfileId`. Throws a DemoApiError that says what to fix if it cannot.
   */
  prepare(targetProfileId?: string): Promise<DemoTarget>;
  /** The user's profiles that name a tenant (the runs' own left out). */
  targets(): Promise<DemoTargetChoice[]>;
  appVersion: string;
  /** Something in the run changed: hosts tell the page. */
  changed(runId: string): void;
}

export interface HeldToken {
  check(): Promise<DemoVerdict>;
  expiresAt?: number;
}

interface PartState {
  part: ScenarioPart;
  /** A lesson part the target did not fail: the mistake is not one it makes. */
  notProvoked?: boolean;
  profileId: string;
  flow?: FlowView;
  status: DemoPartView['status'];
  outcome: DemoPartView['outcome'];
  interludes: DemoInterlude[];
}

/** The ids of a run's own profiles start with this, apart from the user's. */
export const DEMO_PROFILE_PREFIX = 'demo-';
/** The longest the demo waits for a token to expire: more means the lifetime was not shortened. */
const MAX_EXPIRY_WAIT_MS = 5 * 60_000;

export class DemoRun {
  readonly id = randomUUID();
  readonly startedAt = new Date().toISOString();
  status: DemoRunView['status'] = 'running';
  pause: DemoRunView['pause'] | undefined;
  error: string | undefined;
  readonly parts: PartState[];
  readonly decisions: VerificationEvent[] = [];
  /** Settles once the run is over and the sandbox is as it was before it. */
  finished: Promise<void> = Promise.resolve();
  #resume: (() => void) | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #changes: AppliedChanges | undefined;
  #restored: { restored: boolean; note?: string } | undefined;

  readonly title: string;
  readonly summary: string;

  constructor(
    readonly scenario: Scenario,
    readonly presenter: boolean,
    private readonly host: DemoHost,
    readonly target: DemoTarget,
  ) {
    const onTenant = target.tenant && scenario.onTenant;
    if (target.tenant && !onTenant) throw new Error(`${scenario.title} runs on the sandbox only.`);
    this.title = onTenant ? `${scenario.title}, on “${target.label}”` : scenario.title;
    this.summary = onTenant ? onTenant.summary : scenario.summary;
    const parts = onTenant && target.tenant ? onTenant.parts(target.tenant) : scenario.parts;
    this.parts = parts.map((part, i) => ({
      part,
      profileId: `${DEMO_PROFILE_PREFIX}${scenario.id}-${i + 1}`,
      status: 'pending',
      outcome: { requestedScopes: [...part.profile.scopes], verdicts: [] },
      interludes: [],
    }));
  }

  /**
   * Runs the scenario to its end; failures of a part are part of the story, not of the run. The
   * sandbox changes the scenario needs are undone before the run reports itself over.
   */
  run(): Promise<void> {
    this.finished = this.#run();
    return this.finished;
  }

  async #run(): Promise<void> {
    const unsubscribe = this.host.subscribe((event) => this.#onEvent(event));
    let status: DemoRunView['status'] = 'done';
    try {
      if (this.target.kind === 'sandbox') {
        this.#changes = await applySandboxChanges(
          this.host.sandboxControls,
          this.scenario.sandbox ?? {},
        );
        if (this.#changes.told.length) this.host.changed(this.id);
      }
      for (const state of this.parts) {
        if (this.#stopped) break;
        await this.#runPart(state);
      }
    } catch (error) {
      status = 'failed';
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#restored = await this.#changes?.restore();
      if (this.#restored?.note) console.error(`Demo: ${this.#restored.note}`);
      this.status = status;
      this.pause = undefined;
      unsubscribe();
      this.host.changed(this.id);
    }
  }

  /** Next, while the run waits before the browser opens. */
  continue(): boolean {
    const resume = this.#resume;
    if (!resume) return false;
    this.#resume = undefined;
    resume();
    return true;
  }

  /** Ends the run soon: no further act, the sign-in in progress cancelled, a wait cut short. */
  stop(): void {
    this.#stopped = true;
    this.continue();
    this.#wake?.();
    for (const state of this.parts) {
      const flow = state.flow;
      if (flow && (flow.status === 'running' || flow.status === 'paused'))
        void this.host.cancelFlow(flow.flowId).catch(() => undefined);
    }
  }

  #onEvent(event: AppEvent): void {
    if (event.type === 'server-decision') {
      this.decisions.push(event.decision);
      this.host.changed(this.id);
      return;
    }
    if (event.type === 'trace') {
      const e = event.event;
      const flowId = e.type === 'http' ? e.exchange.flowId : 'flowId' in e ? e.flowId : undefined;
      if (flowId && this.parts.some((p) => p.flow?.flowId === flowId)) this.host.changed(this.id);
      return;
    }
    if (event.type !== 'flow') return;
    // The first events of a flow arrive before connect() answers: know it by its profile.
    const state = this.parts.find(
      (p) =>
        p.flow?.flowId === event.flow.flowId ||
        (!p.flow && p.status === 'running' && p.profileId === event.flow.profileId),
    );
    if (!state) return;
    state.flow = event.flow;
    this.#onFlow(state, event.flow);
    this.host.changed(this.id);
  }

  #onFlow(state: PartState, flow: FlowView): void {
    const signIn = flow.steps.find((s) => s.id === 'sign-in');
    if (flow.status === 'paused') {
      const waiting = flow.steps.find((s) => s.status === 'waiting');
      if (waiting?.id === 'sign-in' && state.part.lesson && !state.part.signIn) {
        // The issuer took the mistake before anyone signs in: there is nothing to show the room.
        state.notProvoked = true;
        void this.host.cancelFlow(flow.flowId).catch(() => undefined);
        return;
      }
      if (waiting?.id === 'sign-in' && this.presenter && !this.#resume) {
        const who = state.part.signIn;
        this.status = 'paused';
        this.pause = {
          kind: 'before-browser',
          narration: `Next, the browser opens the issuer's sign-in page${who ? `: sign in as ${who.username}` : ''}. The app never sees the password; it gets back a one-time code.`,
        };
        this.#resume = () => {
          this.status = 'running';
          this.pause = undefined;
          void this.host.continueFlow(flow.flowId).catch(() => undefined);
        };
        return;
      }
      if (waiting?.id !== 'sign-in' || !this.presenter)
        void this.host.continueFlow(flow.flowId).catch(() => undefined);
      return;
    }
    if (signIn?.status === 'running') {
      const consent = !!state.part.signIn?.consent;
      this.pause = {
        kind: consent ? 'consent' : 'sign-in',
        narration: consent
          ? `The issuer shows ${state.part.signIn?.username ?? 'the user'} a consent screen: this third-party agent asks for ${state.outcome.requestedScopes.join(', ')}. Nothing is granted until the person allows it.`
          : `${state.part.signIn?.username ?? 'The user'} signs in at the issuer's own page, in the browser.`,
      };
    } else if (this.pause && this.pause.kind !== 'before-browser') this.pause = undefined;
  }

  async #runPart(state: PartState): Promise<void> {
    const { part } = state;
    const { target } = this;
    state.status = 'running';
    const { secret, ...profile } = part.profile;
    const clientSecret =
      secret === 'sandbox-third-party'
        ? this.host.thirdPartySecret
        : secret === 'target'
          ? target.clientSecret
          : undefined;
    const saved = await this.host.saveProfile(
      {
        ...profile,
        id: state.profileId,
        serverUrl: target.mcpUrl,
        issuer: target.issuer,
        hasClientSecret: !!clientSecret,
      },
      clientSecret,
    );
    if (!saved.ok) throw new Error(`The demo profile for “${part.title}” is not valid.`);
    await this.host.forgetSession(state.profileId);
    state.outcome.clientId = part.profile.clientId;
    if (target.kind === 'sandbox') state.outcome.firstParty = secret !== 'sandbox-third-party';
    const started = await this.host.connect(
      state.profileId,
      part.redirectPath ? { redirectPath: part.redirectPath } : {},
    );
    state.flow ??= started;
    const final = await this.#settled(started.flowId);
    state.flow = final;
    const granted = grantedOf(this.host.events(), final.flowId);
    if (granted) state.outcome.grantedScopes = granted;
    if (state.notProvoked) {
      state.status = 'done';
      state.outcome.takeaway = `${target.label} accepted this before anyone signed in, so it does not make this mistake: ${part.lesson?.cause ?? ''}`;
      return;
    }
    if (final.status !== 'signed-in') {
      state.status = 'failed';
      state.outcome.failure = final.error
        ? { cause: final.error.message, ...(final.error.fix && { fix: final.error.fix }) }
        : part.lesson
          ? { cause: part.lesson.cause, fix: part.lesson.fix }
          : { cause: `The sign-in ended: ${final.status}.` };
      if (part.lesson) state.outcome.takeaway = `In short: ${part.lesson.cause} ${part.lesson.fix}`;
      await this.#serverRefused(state);
      return;
    }
    for (const act of part.acts) {
      if (this.#stopped) return;
      try {
        await this.#act(state, act);
      } catch (error) {
        // A refused call is part of the story (bob's 403): told with the server's verdict.
        state.status = 'failed';
        const e = error as { message?: unknown; fix?: unknown };
        state.outcome.failure = {
          cause: typeof e.message === 'string' ? e.message : String(error),
          ...(typeof e.fix === 'string' && { fix: e.fix }),
        };
        await this.#serverRefused(state);
        return;
      } finally {
        this.host.changed(this.id);
      }
    }
    const missing =
      part.permission !== undefined &&
      !(state.outcome.grantedScopes ?? []).includes(part.permission);
    if (part.lesson && missing) {
      state.outcome.failure = { ...part.lesson };
      state.outcome.takeaway = `In short: ${part.lesson.cause} ${part.lesson.fix}`;
    } else if (part.takeaway) state.outcome.takeaway = part.takeaway;
    state.status = 'done';
  }

  async #act(state: PartState, act: DemoAct): Promise<void> {
    const { profileId } = state;
    if (act.do === 'call') {
      const result = (await this.host.callTool(profileId, 'whoami', {})) as {
        structuredContent?: Record<string, unknown>;
      };
      if (result.structuredContent) state.outcome.whoami = result.structuredContent;
    } else if (act.do === 'expire') {
      await this.#expire(state);
    } else if (act.do === 'refresh') {
      const held = act.checkOld === false ? undefined : await this.host.holdAccessToken(profileId);
      await this.host.refresh(profileId);
      const verdict = await held?.check();
      if (verdict)
        state.outcome.verdicts.push({ ...verdict, what: 'The old access token, after refresh' });
    } else {
      const report = await this.host.signOut(profileId);
      for (const r of report.revoked) {
        state.outcome.verdicts.push({
          what: `Revoking the ${r.token.replace('_', ' ')} at the issuer`,
          status: r.status,
          accepted: r.status === 200,
          explanation:
            r.note ?? (r.status === 200 ? 'the issuer confirmed.' : 'the issuer refused.'),
        });
      }
      if (report.oldToken) {
        state.outcome.verdicts.push({
          what: 'The old access token, after sign-out',
          ...report.oldToken,
        });
      }
    }
  }

  /**
   * Lets the current access token really expire, then shows it to the server: no fake clock, the
   * server judges it by its own. The wait runs past `exp` by the server's clock-skew leeway
   * (RFC 7519 §4.1.4), and the verification cache never outlives `exp` (verification-cache.ts).
   */
  async #expire(state: PartState): Promise<void> {
    const held = await this.host.holdAccessToken(state.profileId);
    if (!held?.expiresAt) throw new Error('The access token names no expiry to wait for.');
    const leeway = this.host.serverClockLeewaySec;
    const refusedFrom = held.expiresAt + leeway * 1000 + 1000;
    const wait = refusedFrom - Date.now();
    if (wait > MAX_EXPIRY_WAIT_MS)
      throw new Error(
        `This access token lives another ${Math.round((held.expiresAt - Date.now()) / 1000)} s; the demo does not wait that long.`,
      );
    const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    state.interludes.push({
      from: new Date().toISOString(),
      title: 'Waiting for the access token to expire',
      narration:
        `The token's exp says ${clock(held.expiresAt)} UTC. ` +
        (leeway
          ? `The server allows ${leeway} s for clocks that disagree, so from ${clock(refusedFrom)} it must refuse the token. `
          : `The server allows no leeway (the sandbox shares its clock), so from ${clock(refusedFrom)} it must refuse the token. `) +
        'Nothing is faked: we wait, then show it the same token.',
      until: new Date(refusedFrom).toISOString(),
    });
    this.host.changed(this.id);
    await this.#sleep(wait);
    if (this.#stopped) return;
    const verdict = await held.check();
    state.outcome.verdicts.push({ ...verdict, what: 'The access token, once expired' });
  }

  /** Sleeps, unless the run is stopped first (or was already, while the wait was worked out). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => (this.#wake = undefined));
  }

  /**
   * The server's own refusal of this part's token, from the trace (its status and words), with
   * what the scenario says it means. A part that expects a refusal the flow never met (the client
   * stopped before calling) shows the server the token itself: the verdict is always the server's.
   */
  async #serverRefused(state: PartState): Promise<void> {
    const flowId = state.flow?.flowId;
    const who = state.part.signIn?.username;
    // "bob’s", but not "a user without whoami:read’s": a tenant's sign-in is a description.
    const what = `${who && !/\s/.test(who) ? `${who}’s` : 'The'} access token at the MCP server`;
    const refusal = flowId
      ? lastRefusal(this.host.events(), this.target.mcpUrl, flowId)
      : undefined;
    if (refusal) {
      state.outcome.verdicts.push({
        what,
        status: refusal.status,
        accepted: false,
        explanation: `the server refuses it: ${[refusal.error, refusal.description].filter(Boolean).join(', ')}`,
      });
    } else if (state.part.refusal) {
      const verdict = await (await this.host.holdAccessToken(state.profileId))?.check();
      if (!verdict) return;
      state.outcome.verdicts.push({ ...verdict, what });
      if (verdict.accepted) return;
    } else return;
    if (state.part.refusal) state.outcome.failure = { ...state.part.refusal };
    if (state.part.takeaway) state.outcome.takeaway = state.part.takeaway;
  }

  #diagram(state: PartState) {
    const diagram = deriveSequence({
      events: this.host.events(),
      serverUrl: this.target.mcpUrl,
      decisions: this.decisions,
      consent: !!state.part.signIn?.consent,
      ...(state.flow && { flowId: state.flow.flowId, steps: state.flow.steps }),
    });
    if (!state.flow) diagram.arrows = [];
    return diagram;
  }

  /** Resolves with the flow's last view once it is signed in, failed or cancelled. */
  #settled(flowId: string): Promise<FlowView> {
    return new Promise((resolve) => {
      const check = (flow: FlowView) => {
        if (flow.flowId !== flowId) return;
        if (
          flow.status === 'signed-in' ||
          flow.status === 'failed' ||
          flow.status === 'cancelled'
        ) {
          unsubscribe();
          resolve(flow);
        }
      };
      const unsubscribe = this.host.subscribe((event) => {
        if (event.type === 'flow') check(event.flow);
      });
      const state = this.parts.find((p) => p.flow?.flowId === flowId);
      if (state?.flow) check(state.flow);
    });
  }

  /** The run as the page and the report show it; masked unless `reveal`. */
  view(reveal: boolean): DemoRunView {
    const told = this.#changes?.told ?? [];
    const setup: DemoRunView['setup'] = told.length
      ? {
          changes: told,
          restored: !!this.#restored?.restored,
          ...(this.#restored?.note && { restoreNote: this.#restored.note }),
        }
      : undefined;
    const parts: DemoPartView[] = this.parts.map((state, i) => {
      const diagram = this.#diagram(state);
      return {
        title: state.part.title,
        ...(state.part.signIn && { signIn: this.#signInSheet(state.part.signIn) }),
        profileId: state.profileId,
        ...(state.flow && { flowId: state.flow.flowId }),
        status: state.status,
        ...(state.interludes.length && { interludes: [...state.interludes] }),
        diagram,
        svg: renderSequenceSvg(diagram, { idPrefix: `part${i}`, interludes: state.interludes }),
        outcome: state.outcome,
      };
    });
    const view: DemoRunView = {
      runId: this.id,
      scenarioId: this.scenario.id,
      title: this.title,
      summary: this.summary,
      presenter: this.presenter,
      status: this.status,
      ...(this.pause && { pause: this.pause }),
      ...(setup && { setup }),
      parts,
      beats: beatsOf(parts, setup),
      settings: this.#settings(),
      startedAt: this.startedAt,
      appVersion: this.host.appVersion,
      revealed: reveal,
      ...(this.error && { error: this.error }),
    };
    return reveal ? view : maskRun(view);
  }

  /** Who signs in, with the sandbox's published password for its demo users. */
  #signInSheet(signIn: NonNullable<ScenarioPart['signIn']>): NonNullable<DemoPartView['signIn']> {
    const password = this.target.users.find((u) => u.username === signIn.username)?.password;
    return { username: signIn.username, ...(password && { password }), consent: signIn.consent };
  }

  #settings(): DemoRunView['settings'] {
    const { serverSettings } = this.host;
    const { target } = this;
    const during = this.#changes?.during;
    const forStory = this.#changes?.told.length ? ' (for this story)' : '';
    const required = during?.requiredScopes ?? serverSettings.requiredScopes;
    return [
      { label: 'Issuer', value: target.issuer },
      {
        label: 'MCP server',
        value: target.bundled ? target.mcpUrl : `${target.mcpUrl} (external)`,
      },
      ...(target.resource ? [{ label: 'Resource indicator', value: target.resource }] : []),
      ...(target.bundled
        ? [
            { label: 'Server verification', value: serverSettings.verification },
            {
              label: 'Scopes the server requires',
              value: (required.join(' ') || 'none (any valid token)') + forStory,
            },
          ]
        : []),
      ...(during
        ? [{ label: 'Access token lifetime', value: `${during.accessTokenTtlSec} s${forStory}` }]
        : []),
      ...(during && this.#changes?.leewayChanged
        ? [{ label: 'Server clock leeway', value: `${during.clockToleranceSec} s${forStory}` }]
        : []),
      ...this.parts.map(({ part }) => ({
        label: part.title,
        value: [
          `client ${part.profile.clientId}`,
          `scopes ${part.profile.scopes.join(' ')}`,
          part.profile.resource?.mode === 'custom'
            ? `resource ${part.profile.resource.value}`
            : 'resource automatic',
          part.profile.prompt && `prompt=${part.profile.prompt}`,
          part.profile.refreshTokens && 'refresh tokens on',
          part.redirectPath && `redirect URI on ${part.redirectPath}`,
        ]
          .filter(Boolean)
          .join(' · '),
      })),
    ];
  }
}

/** Masks emails and subject identifiers everywhere in a run view (and redraws nothing). */
export function maskRun(view: DemoRunView): DemoRunView {
  return maskDeep(view, collectIdentifiers(view));
}

/** What the token response granted (`scope`), from the trace of the flow's token exchange. */
function grantedOf(events: readonly RecordedEvent[], flowId: string): string[] | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type !== 'http' || event.exchange.flowId !== flowId) continue;
    if (event.exchange.stepId !== 'token-exchange') continue;
    const body = event.exchange.response?.body?.json as { scope?: unknown } | undefined;
    const token = event.exchange.tokens?.find((t) => t.jwt && 'scope' in t.jwt.payload);
    const scope = token?.jwt?.payload.scope ?? body?.scope;
    return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  }
  return undefined;
}

/** The last time the MCP server refused this flow's token (401 or 403), in its own words. */
function lastRefusal(
  events: readonly RecordedEvent[],
  serverUrl: string,
  flowId: string,
): { status: number; error?: string; description?: string } | undefined {
  const origin = new URL(serverUrl).origin;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type !== 'http' || event.exchange.flowId !== flowId) continue;
    const { request, response } = event.exchange;
    if (!response || (response.status !== 401 && response.status !== 403)) continue;
    if (!URL.canParse(request.url) || new URL(request.url).origin !== origin) continue;
    if (!('authorization' in request.headers)) continue;
    const body = response.body?.json as
      { error?: unknown; error_description?: unknown } | undefined;
    return {
      status: response.status,
      ...(typeof body?.error === 'string' && { error: body.error }),
      ...(typeof body?.error_description === 'string' && { description: body.error_description }),
    };
  }
  return undefined;
}
