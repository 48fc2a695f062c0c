/**
 * The one contract between the renderer and the main process (types only). The Electron preload
 * implements it over IPC; other hosts may implement it over HTTP. Main and renderer both import
 * these types, so a change here is a compile error on both sides.
 */

export interface SandboxInfo {
  issuer: string;
  mcpUrl: string;
  sseUrl: string;
  resource: string;
  users: { username: string; password: string; name: string }[];
  clients: { appType: string; clientId: string; firstParty: boolean }[];
}

export interface DesktopApi {
  /** The running sandbox issuer and bundled server, for the first screen. */
  getSandboxInfo(): Promise<SandboxInfo>;
}

/** IPC channel names, one per request of DesktopApi. */
export const IPC_CHANNELS = {
  getSandboxInfo: 'sandbox:get-info',
} as const satisfies Record<keyof DesktopApi, string>;

declare global {
  interface Window {
    mcpAuthDesktop: DesktopApi;
  }
}
