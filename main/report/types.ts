/**
 * Demo mode's vocabulary as plain data (type-only imports): a scenario run as the presenter's
 * screen and the exported report see it. Every value here is redacted, and masked unless the
 * presenter revealed it, before it leaves main.
 */
import type { SequenceDiagram } from './sequence';

export interface DemoScenarioInfo {
  id: string;
  title: string;
  summary: string;
  /** Who signs in at the browser, in order (empty: no browser). */
  signIns: { username: string; password: string; consent: boolean }[];
  /** Set when the story can also play on a tenant, through one of the user's profiles. */
  onTenant?: { summary: string; targets: DemoTargetChoice[] };
}

/** A profile of the user's that names a tenant: a story can play there. */
export interface DemoTargetChoice {
  profileId: string;
  name: string;
  issuer: string;
}

/** One beat of the story: an arrow of the diagram, or a narration between acts. */
export interface DemoBeat {
  /** `setup`: what the story changed in the sandbox; `wait`: time passing (a token expiring). */
  kind: 'setup' | 'intro' | 'arrow' | 'wait' | 'result' | 'compare';
  /** Which part (person or client) it belongs to; -1 for the whole story. */
  part: number;
  /** The diagram arrow it shows, when it is one. */
  arrow?: number;
  title: string;
  narration: string;
  specRef?: string;
  /** A failure's cause and fix, when the beat is where it went wrong. */
  failure?: { cause: string; fix?: string };
  /** A wait's end (ISO 8601), for a countdown while it lasts. */
  until?: string;
  /** A wait's place in the diagram: after this many arrows. */
  afterArrows?: number;
}

/** A pause in a part's story between two arrows: time that must really pass. */
export interface DemoInterlude {
  /** When it began (ISO 8601): it sits before the first arrow drawn from then on. */
  from: string;
  title: string;
  narration: string;
  /** When the wait ends (ISO 8601). */
  until: string;
}

/** What the server said to a token, as proof of what happened to it. */
export interface DemoVerdict {
  what: string;
  status: number | string;
  accepted: boolean;
  explanation: string;
}

export interface DemoPartView {
  title: string;
  /**
   * Who signs in for this part: a sandbox demo user with its published password, or on a tenant
   * a description of whom to pick (no password: the app never knows it).
   */
  signIn?: { username: string; password?: string; consent: boolean };
  profileId: string;
  flowId?: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  /** Waits the runner inserted between arrows (a token's life: its expiry). */
  interludes?: DemoInterlude[];
  diagram: SequenceDiagram;
  /** The same diagram drawn as SVG (main draws it; the page only shows it). */
  svg: string;
  outcome: {
    clientId?: string;
    /** Whether the issuer treats the client as its own; unknown (absent) on a tenant. */
    firstParty?: boolean;
    requestedScopes: string[];
    grantedScopes?: string[];
    /** The whoami answer (masked as on screen). */
    whoami?: Record<string, unknown>;
    verdicts: DemoVerdict[];
    /** How the part ended when it went wrong: the cause and the fix. */
    failure?: { cause: string; fix?: string };
    /** What the presenter should say about the result. */
    takeaway?: string;
  };
}

export interface DemoRunView {
  runId: string;
  scenarioId: string;
  title: string;
  summary: string;
  presenter: boolean;
  status: 'running' | 'paused' | 'done' | 'failed';
  /** Why the run waits: before the browser opens (Next continues) or at the consent screen. */
  pause?: { kind: 'before-browser' | 'consent' | 'sign-in'; narration: string };
  /**
   * What the story changed in the sandbox for its own run (the server's required scopes, the
   * token lifetime), told to the presenter first, and whether it was put back.
   */
  setup?: { changes: string[]; restored: boolean; restoreNote?: string };
  parts: DemoPartView[];
  beats: DemoBeat[];
  /** The tenant (or sandbox) settings that mattered to this story. */
  settings: { label: string; value: string }[];
  startedAt: string;
  appVersion: string;
  /** Shown unmasked (the presenter revealed emails and subjects). */
  revealed: boolean;
  /** Reopened from a report file: replay only. */
  readOnly?: boolean;
  error?: string;
}

export interface DemoRunOptions {
  presenter: boolean;
  /** A profile whose tenant the story plays on, instead of the sandbox. */
  target?: string;
}
