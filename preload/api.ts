/**
 * The one contract between the renderer and the main process. Main implements it (main/api.ts);
 * the Electron preload exposes it over IPC, the web host over HTTP; the renderer sees only this
 * file. Every type here comes from a dependency-free module of main, so both sides compile
 * against the same source of truth.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Finding } from '../main/client/engine/notes';
import type { SessionSummary, SignOutReport, StepState } from '../main/client/engine/types';
import type { Profile } from '../main/profiles/schema';
import type { IssuerStatus } from '../main/server/issuer-status';
import type { ServerSettings, SettingsValidation } from '../main/server/settings-types';
import type { VerificationEvent } from '../main/server/verification-event';
import type { RecordedEvent, RedactedToken } from '../main/trace/events';
import type {
  DemoBeat,
  DemoPartView,
  DemoRunOptions,
  DemoRunView,
  DemoScenarioInfo,
  DemoTargetChoice,
} from '../main/report/types';
import type { SequenceArrow, SequenceDiagram } from '../main/report/sequence';
import type { Check, ColumnRow, DoctorReport, TokenVerdict } from '../main/doctor/types';
import type { SetupItem, SetupItemId, TenantSetupResult } from '../main/tenant-setup/types';

export type {
  CallToolResult,
  Check,
  ColumnRow,
  DoctorReport,
  SetupItem,
  SetupItemId,
  TenantSetupResult,
  TokenVerdict,
  Finding,
  Profile,
  RecordedEvent,
  IssuerStatus,
  RedactedToken,
  ServerSettings,
  SessionSummary,
  SettingsValidation,
  SignOutReport,
  StepState,
  Tool,
  VerificationEvent,
};
// Demo mode and reports.
export type {
  DemoBeat,
  DemoPartView,
  DemoRunOptions,
  DemoRunView,
  DemoScenarioInfo,
  DemoTargetChoice,
  SequenceArrow,
  SequenceDiagram,
};

export interface SandboxInfo {
  /** Where the sandbox issuer is, or will be: it starts only when something uses it. */
  issuer: string;
  running: boolean;
  mcpUrl: string;
  sseUrl: string;
  resource: string;
  users: { username: string; password: string; name: string }[];
  clients: { appType: string; clientId: string; firstParty: boolean }[];
}

export interface RedirectInfo {
  mode: 'loopback' | 'custom-scheme';
  /** The exact URI the app sends; what to register in Logto. */
  redirectUri: string;
  /** What to paste into Logto's Redirect URIs, and a note on how Logto matches it. */
  register: string;
  note: string;
}

export interface AppInfo {
  version: string;
  host: 'desktop' | 'web';
  sandbox: SandboxInfo;
  /** One entry per redirect mode this host can receive. */
  redirects: RedirectInfo[];
  /** Where secrets are kept and how well: shown as a warning when there is no OS keyring. */
  secretProtection: 'os-keyring' | 'file-permissions' | 'memory';
  /**
   * What went wrong at start and was repaired, for the user to read: a damaged profile or secret
   * file moved aside, a busy port replaced, no keyring.
   */
  notices: string[];
}

export interface ProfileView {
  profile: Profile;
  /** Tokens are stored for this profile. */
  signedIn: boolean;
  /** Made by a demo run for one of its parts, not by the user: the sidebar folds these away. */
  demo?: true;
}

export type ValidationResult =
  { ok: true; profile: Profile } | { ok: false; issues: { path: string; message: string }[] };

/** A flow as the UI shows it: the steps with their state, never a secret. */
export interface FlowView {
  flowId: string;
  profileId: string;
  mode: 'quick' | 'guided';
  /** `demo`: a demo scenario's sign-in; it does only what the scenario says (no automatic whoami). */
  purpose?: 'demo';
  status: 'running' | 'paused' | 'signed-in' | 'failed' | 'cancelled';
  steps: StepState[];
  /** The sign-in URL once built, so the UI can offer to open it again. */
  authorizationUrl?: string;
  tools?: Tool[];
  error?: { message: string; fix?: string; code?: string };
}

/** What the signed-in screen shows: identity and decoded tokens, never a raw token. */
export interface SessionView extends SessionSummary {
  user: { sub?: string; name?: string; username?: string; email?: string; picture?: string };
  accessToken: RedactedToken;
  idToken?: RedactedToken;
  refreshToken?: { fingerprint: string };
}

export interface ConfigSnippet {
  client: string;
  description: string;
  language: 'json' | 'shell';
  text: string;
}

export interface ServerStatus {
  running: boolean;
  url: string;
  sseUrl: string;
  resource: string;
  /** The issuer the server trusts, as a URL (the sandbox's when it trusts the sandbox). */
  issuer: string;
  trustsSandbox: boolean;
  /** Whether tokens can be verified with that issuer right now, and why not. */
  issuerStatus: IssuerStatus;
  /** The settings it runs with, as saved (issuer 'sandbox', resource '' for the default). */
  settings: ServerSettings;
  verification: 'auto' | 'jwt' | 'userinfo';
  requiredScopes: string[];
  /** Most recent first. */
  recentDecisions: VerificationEvent[];
  snippets: ConfigSnippet[];
}

export type AppEvent =
  | { type: 'flow'; flow: FlowView }
  | { type: 'trace'; event: RecordedEvent }
  | { type: 'server-decision'; decision: VerificationEvent }
  /** The web host cannot open a browser tab itself: the page opens it (desktop opens it in main). */
  | { type: 'open-url'; url: string; purpose: 'sign-in' | 'sign-out' }
  | { type: 'profiles-changed' }
  /** A demo run changed: fetch it again with getDemoRun (masked or revealed, as the page shows it). */
  | { type: 'demo'; runId: string }
  /** The bundled server restarted with new settings, its issuer's status changed, or the sandbox started. */
  | { type: 'server-changed' };

// --- doctor: the tenant doctor, "would the server accept this token?", tenant setup -----------

/** A failed sign-in, explained: the doctor's report and the check the flow's error points at. */
export interface DoctorFailureView {
  report: DoctorReport;
  checkId?: string;
}

export interface TenantSetupInput {
  /** https://<tenant>.logto.app, or a self-hosted Logto's endpoint. */
  endpoint: string;
  /** A machine-to-machine app with Management API access; kept in the secret store once accepted. */
  appId?: string;
  appSecret?: string;
  /** The user who gets the whoami:read role. */
  username: string;
  thirdParty?: boolean;
  /** Repair these drifted items (true: all the fixable ones). */
  fix?: boolean | SetupItemId[];
}

export interface TenantSetupView extends TenantSetupResult {
  /** The profile the setup filled in and saved (signs in with the new Native app). */
  profile?: Profile;
  /** Whether the bundled server now trusts the tenant; if not, `server` says what to apply. */
  serverApplied: boolean;
}

/** The app itself: version, host, the sandbox, redirect modes, notices. */
export interface AppInfoApi {
  info(): Promise<AppInfo>;
}

export interface ProfilesApi {
  list(): Promise<ProfileView[]>;
  /** A blank "Logto tenant" profile pointed at the bundled server (main's one template). */
  template(): Promise<Profile>;
  /** Inline validation: the same zod schema as save, nothing stored. */
  validate(input: unknown): Promise<ValidationResult>;
  /** A client secret, when given, goes to the secret store and never comes back. */
  save(input: unknown, clientSecret?: string): Promise<ValidationResult>;
  delete(profileId: string): Promise<void>;
  /** The issuer's scopes_supported, for the scope chips. */
  discoverScopes(issuer: string): Promise<string[]>;
}

export interface FlowApi {
  connect(profileId: string, mode: 'quick' | 'guided'): Promise<FlowView>;
  /** The profile's latest flow in this run of the app (running, paused or over), for a reloaded page. */
  get(profileId: string): Promise<FlowView | null>;
  /** Guided mode: run the step the flow is paused before. */
  continue(flowId: string): Promise<void>;
  cancel(flowId: string): Promise<void>;
}

export interface SessionApi {
  get(profileId: string): Promise<SessionView | null>;
  listTools(profileId: string): Promise<Tool[]>;
  callTool(profileId: string, name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  refresh(profileId: string): Promise<SessionView>;
  signOut(profileId: string): Promise<SignOutReport>;
}

export interface TraceApi {
  get(): Promise<RecordedEvent[]>;
  export(): Promise<string>;
  clear(): Promise<void>;
}

export interface ServerApi {
  status(): Promise<ServerStatus>;
  // The bundled server's settings: read, check as typed (nothing applied), apply (restarts it).
  settings(): Promise<ServerSettings>;
  validateSettings(input: unknown): Promise<SettingsValidation>;
  applySettings(input: unknown): Promise<SettingsValidation>;
}

/** Demo mode and reports (issue 10). */
export interface DemoApi {
  scenarios(): Promise<DemoScenarioInfo[]>;
  /**
   * Starts a scenario on the sandbox, or with `target` (a profile id) on that profile's tenant;
   * `presenter` pauses before each browser sign-in.
   */
  start(scenarioId: string, options: DemoRunOptions): Promise<DemoRunView>;
  /** Next: lets a paused run go on (the browser opens). */
  continue(runId: string): Promise<void>;
  stop(runId: string): Promise<void>;
  /** The run; emails and subject IDs masked unless `reveal`. Never a token. */
  run(runId: string, reveal: boolean): Promise<DemoRunView>;
  /** The self-contained HTML report of a run (always masked). */
  exportReport(runId: string): Promise<string>;
  /** A report file's text, checked, for a read-only replay. */
  openReport(html: string): Promise<DemoRunView>;
}

export interface DoctorApi {
  /** Every check that needs no person, for a profile. */
  checkProfile(profileId: string): Promise<DoctorReport>;
  /** After a failed sign-in: the doctor's report and the check the error code points at. */
  explainFailure(profileId: string, code?: string): Promise<DoctorFailureView>;
  /** The bundled server's verdict on the profile's current access token, or on a pasted one. */
  checkToken(profileId: string, token?: string): Promise<TokenVerdict>;
  setupTenant(input: TenantSetupInput): Promise<TenantSetupView>;
}

/** The contract, grouped by domain: `api.profiles.list()`, `api.flow.connect(...)`. */
export interface DesktopApi {
  app: AppInfoApi;
  profiles: ProfilesApi;
  flow: FlowApi;
  session: SessionApi;
  trace: TraceApi;
  server: ServerApi;
  demo: DemoApi;
  doctor: DoctorApi;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

export type ApiGroup = Exclude<keyof DesktopApi, 'onEvent'>;
/** Every request of the contract, without the event subscription: what main implements. */
export type ApiRequests = Pick<DesktopApi, ApiGroup>;

/**
 * Every request, by group, for the hosts that route them generically (IPC, HTTP). `satisfies`
 * rejects a name that is not in the contract; `EveryMethodRouted` below rejects a contract method
 * missing here, so a method cannot compile without being served.
 */
export const API_ROUTES = {
  app: ['info'],
  profiles: ['list', 'template', 'validate', 'save', 'delete', 'discoverScopes'],
  flow: ['connect', 'get', 'continue', 'cancel'],
  session: ['get', 'listTools', 'callTool', 'refresh', 'signOut'],
  trace: ['get', 'export', 'clear'],
  server: ['status', 'settings', 'validateSettings', 'applySettings'],
  demo: ['scenarios', 'start', 'continue', 'stop', 'run', 'exportReport', 'openReport'],
  doctor: ['checkProfile', 'explainFailure', 'checkToken', 'setupTenant'],
} as const satisfies { [G in ApiGroup]: readonly (keyof DesktopApi[G])[] };

/** The contract's methods that API_ROUTES leaves out, as `group.method` (never, when none). */
export type UnroutedMethod = {
  [G in ApiGroup]: Exclude<
    keyof DesktopApi[G] & string,
    (typeof API_ROUTES)[G][number]
  > extends infer M
    ? M extends string
      ? `${G}.${M}`
      : never
    : never;
}[ApiGroup];
/** Fails to compile, naming the method, when a method of the contract is not in API_ROUTES. */
export const EVERY_METHOD_ROUTED: [UnroutedMethod] extends [never] ? true : UnroutedMethod = true;

/** A request's name on the wire: `group.method` (IPC channel `api:group.method`, HTTP `/api/group.method`). */
export type ApiMethod = {
  [G in ApiGroup]: `${G}.${(typeof API_ROUTES)[G][number]}`;
}[ApiGroup];

export const API_METHODS: readonly ApiMethod[] = Object.entries(API_ROUTES).flatMap(
  ([group, methods]) => methods.map((method) => `${group}.${method}` as ApiMethod),
);

type AnyRequest = (...args: unknown[]) => Promise<unknown>;

/** The implementation of a `group.method` name, or undefined for a name not in the contract. */
export function requestOf(api: ApiRequests, method: string): AnyRequest | undefined {
  if (!(API_METHODS as readonly string[]).includes(method)) return undefined;
  const [group, name] = method.split('.') as [ApiGroup, string];
  const target = api[group] as unknown as Record<string, AnyRequest>;
  const fn = target[name];
  return typeof fn === 'function' ? (...args) => fn.apply(target, args) : undefined;
}

/** The contract's requests, each sent through `send` (the preload's IPC, the web client's HTTP). */
export function buildRequests(
  send: (method: ApiMethod, args: unknown[]) => Promise<unknown>,
): ApiRequests {
  return Object.fromEntries(
    Object.entries(API_ROUTES).map(([group, methods]) => [
      group,
      Object.fromEntries(
        methods.map((name) => {
          const method = `${group}.${name}` as ApiMethod;
          return [name, (...args: unknown[]) => send(method, args)];
        }),
      ),
    ]),
  ) as unknown as ApiRequests;
}

/** Errors cross the boundary as data, so the fix survives serialisation. */
export interface ApiErrorBody {
  message: string;
  fix?: string;
  code?: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export const IPC_EVENT_CHANNEL = 'api:event';
export const ipcChannelOf = (method: ApiMethod): string => `api:${method}`;

declare global {
  interface Window {
    mcpAuthDesktop?: DesktopApi;
  }
}
