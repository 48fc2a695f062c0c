/**
 * The bundled stack: the MCP server, trusting the issuer its settings name, and the sandbox issuer,
 * started only when something uses it (the server trusts it, or a sandbox profile connects).
 * Applying new settings restarts the server in-process on the same port. Every host (desktop,
 * web, `serve`) and the integration tests start the parts through here; see docs/architecture.md.
 */
import {
  checkedAccessTokenTtl,
  sandboxApiResource,
  startIssuer,
  DEFAULT_ISSUER_PORT,
  type RunningIssuer,
} from '../issuer';
import {
  DEFAULT_SERVER_PORT,
  DEFAULT_SERVER_SETTINGS,
  PortInUseError,
  serverOptionsFrom,
  startMcpServer,
  trustsSandbox,
  validateServerSettings,
  type RunningMcpServer,
  type ServerSettings,
  type SettingsValidation,
} from '../server';
import { ServerEvents } from '../server/events';
import { freePort } from '../shared/free-port';

export interface BundledStackOptions {
  dataDir: string;
  host?: string;
  /** Default 3001; 0 picks a free port. */
  serverPort?: number;
  /** Where the sandbox issuer listens when it starts; default 3100, 0 picks a free port. */
  issuerPort?: number;
  settings?: ServerSettings;
  dynamicClientRegistration?: boolean;
  /**
   * A busy preferred port moves to a free one, with a note saying so (desktop and web, where the
   * app should start anyway); otherwise the PortInUseError is thrown (`serve`, scripts).
   */
  movePortsWhenBusy?: boolean;
  /** Deadline for each call the server makes to its issuer; default 5 s. */
  issuerTimeoutMs?: number;
  /** Called once the settings were applied (the hosts save them). */
  onApplied?: (settings: ServerSettings) => Promise<void> | void;
}

type StackListener = (change: 'server' | 'sandbox') => void;

/** Starts `start(port)`; on a busy port and when allowed, again on a free port, with a note. */
async function onPortOrFree<T>(
  port: number,
  allowMove: boolean,
  start: (port: number) => Promise<T>,
  describe: (started: T) => { what: string; address: string; port: number },
  note: (message: string) => void,
): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if (!allowMove || !(error instanceof PortInUseError) || port === 0) throw error;
    const started = await start(0);
    const { what, address, port: moved } = describe(started);
    note(
      `Port ${port} was in use, so the ${what} runs on port ${moved} instead (${address}). ` +
        `Clients set up for port ${port} must use the new address.`,
    );
    return started;
  }
}

export class BundledStack {
  /** Verification decisions and issuer status of whichever server is running now. */
  readonly events = new ServerEvents();
  /** One sentence per port that had to move. */
  readonly notes: string[] = [];
  #server!: RunningMcpServer;
  #settings: ServerSettings;
  #sandbox: RunningIssuer | undefined;
  #sandboxStarting: Promise<RunningIssuer> | undefined;
  #sandboxResource: string | undefined;
  #sandboxTokenTtlSec: number | undefined;
  #issuerPort: number;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<StackListener>();
  readonly #host: string;

  private constructor(readonly options: BundledStackOptions) {
    this.#settings = options.settings ?? DEFAULT_SERVER_SETTINGS;
    this.#host = options.host ?? '127.0.0.1';
    this.#issuerPort = options.issuerPort ?? DEFAULT_ISSUER_PORT;
  }

  static async start(options: BundledStackOptions): Promise<BundledStack> {
    const stack = new BundledStack(options);
    const requested = options.serverPort ?? DEFAULT_SERVER_PORT;
    try {
      await stack.#startServer(stack.#settings, requested);
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get server(): RunningMcpServer {
    return this.#server;
  }
  get settings(): ServerSettings {
    return this.#settings;
  }
  /** The sandbox issuer if it runs. */
  get sandboxIssuer(): RunningIssuer | undefined {
    return this.#sandbox;
  }
  /** Where the sandbox issuer is (or will be, if nothing takes its port first). */
  get sandboxIssuerUrl(): string {
    return this.#sandbox?.issuer ?? `http://127.0.0.1:${this.#issuerPort}/oidc`;
  }

  /** 'server': the server restarted with new settings; 'sandbox': the sandbox issuer (re)started. */
  onChange(listener: StackListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The sandbox issuer, started on first use; it knows the server's resource indicator. */
  sandbox(): Promise<RunningIssuer> {
    return this.#serial(() => this.#ensureSandbox(this.#server.resource));
  }

  /**
   * Shortens (or, with `undefined`, restores) the sandbox's access-token lifetime for tokens
   * issued from now on; a sandbox started or restarted later keeps it. Demo mode uses it to let a
   * real token expire in seconds.
   */
  setSandboxAccessTokenTtl(sec: number | undefined): void {
    this.#sandboxTokenTtlSec = checkedAccessTokenTtl(sec);
    this.#sandbox?.setAccessTokenTtl(sec);
  }
  /** The lifetime set with setSandboxAccessTokenTtl, if any. */
  get sandboxAccessTokenTtl(): number | undefined {
    return this.#sandboxTokenTtlSec;
  }

  /**
   * Validates and applies new settings: the server restarts in-process on the same port (the
   * sandbox starts first if the server is to trust it). Invalid settings change nothing.
   * `persist: false` keeps them from onApplied (the hosts' settings file): a demo's settings for
   * its own run must not outlive it, even if the app is killed before it restores them.
   */
  async apply(input: unknown, options: { persist?: boolean } = {}): Promise<SettingsValidation> {
    const result = validateServerSettings(input);
    if (!result.ok) return result;
    await this.#serial(async () => {
      const previous = this.#settings;
      const port = this.#server.port;
      await this.#server.close();
      try {
        await this.#startServer(result.settings, port);
      } catch (error) {
        // Never leave the app without a server: put the previous one back.
        await this.#startServer(previous, port);
        throw error;
      }
    });
    if (options.persist !== false) await this.options.onApplied?.(result.settings);
    this.#emit('server');
    return result;
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    this.events.removeAllListeners();
    this.#listeners.clear();
    await Promise.allSettled([this.#server?.close(), this.#sandbox?.close()]);
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #emit(change: 'server' | 'sandbox'): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        console.error('A bundled stack listener failed:', error);
      }
    }
  }

  async #startServer(settings: ServerSettings, requestedPort: number): Promise<void> {
    // With the sandbox trusted, the issuer must know the resource before the server exists, and
    // the default resource carries the server's port: settle the port first.
    let port = requestedPort;
    let issuerUrl = settings.issuer;
    if (trustsSandbox(settings)) {
      if (port === 0) port = await freePort(this.#host);
      const sandbox = await this.#ensureSandbox(settings.resource || `http://localhost:${port}/`);
      issuerUrl = sandbox.issuer;
    }
    const server = await onPortOrFree(
      port,
      this.options.movePortsWhenBusy ?? false,
      (p) =>
        startMcpServer({
          host: this.#host,
          port: p,
          ...serverOptionsFrom(settings, issuerUrl),
          ...(this.options.issuerTimeoutMs && { issuerTimeoutMs: this.options.issuerTimeoutMs }),
        }),
      (s) => ({ what: 'MCP server', address: s.url, port: s.port }),
      (message) => this.notes.push(message),
    );
    this.#server = server;
    this.#settings = settings;
    // Fetch the issuer's keys now rather than in the path of the first signed-in call; a
    // failure is forgotten (the first token fetches again).
    void server.prefetchIssuerKeys();
    server.events.on('verification', (event) => this.events.emit('verification', event));
    server.events.on('issuer-status', (status) => this.events.emit('issuer-status', status));
    // The server may have moved to another port: the sandbox must know its real resource.
    if (this.#sandbox && this.#sandboxResource !== server.resource) {
      await this.#ensureSandbox(server.resource);
    }
  }

  /** Starts the sandbox, or restarts it (same port) when the server's resource changed. */
  async #ensureSandbox(resource: string): Promise<RunningIssuer> {
    if (this.#sandbox && this.#sandboxResource === resource) return this.#sandbox;
    if (this.#sandboxStarting) await this.#sandboxStarting.catch(() => undefined);
    if (this.#sandbox && this.#sandboxResource === resource) return this.#sandbox;
    const restarting = this.#sandbox;
    this.#sandboxStarting = (async () => {
      if (restarting) {
        await restarting.close();
        this.#sandbox = undefined;
      }
      const sandbox = await onPortOrFree(
        this.#issuerPort,
        this.options.movePortsWhenBusy ?? false,
        (p) =>
          startIssuer({
            host: this.#host,
            port: p,
            dataDir: this.options.dataDir,
            apiResources: [sandboxApiResource(resource)],
            ...(this.options.dynamicClientRegistration !== undefined && {
              dynamicClientRegistration: this.options.dynamicClientRegistration,
            }),
          }),
        (s) => ({ what: 'sandbox issuer', address: s.issuer, port: s.port }),
        (message) => this.notes.push(message),
      );
      sandbox.setAccessTokenTtl(this.#sandboxTokenTtlSec);
      // A restart keeps the port, so profiles and the server's trust stay valid.
      this.#issuerPort = sandbox.port;
      this.#sandbox = sandbox;
      this.#sandboxResource = resource;
      // Key files whose permissions the issuer had to tighten: the user should hear of it.
      this.notes.push(...sandbox.notes);
      return sandbox;
    })();
    try {
      const sandbox = await this.#sandboxStarting;
      this.#emit('sandbox');
      return sandbox;
    } finally {
      this.#sandboxStarting = undefined;
    }
  }
}
