/**
 * The desktop app's bundled stack: the MCP server with the settings saved in the data folder
 * (the sandbox issuer starts when something uses it). Their usual ports (3001 and 3100) may be
 * taken, e.g. by `npm run serve` or another tool: then the busy one moves to a free port so the
 * app still starts, and the notes say which (the app shows the URLs it really uses).
 * Also: the two redirect URIs the desktop app receives on.
 */
import type { RedirectInfo } from '../../preload/api';
import { redirectRegistrationNote } from '../client/redirect/deep-link';
import { APP_REDIRECT_URI } from '../shared/app-identity';
import type { OpenStoreFile } from '../profiles/store';
import {
  BundledStack,
  loadServerSettings,
  saveServerSettings,
  type BundledStackOptions,
} from '../stack';

export interface DesktopStack {
  stack: BundledStack;
  /** One sentence per port that had to move, or settings file that had to be set aside. */
  notes: string[];
}

export async function startDesktopStack(
  options: Omit<BundledStackOptions, 'settings' | 'onApplied' | 'movePortsWhenBusy'> & {
    /** How the settings file is opened for writing: electron-store in the desktop app. */
    open?: OpenStoreFile;
  },
): Promise<DesktopStack> {
  const { open, ...stackOptions } = options;
  const notes: string[] = [];
  const settings = await loadServerSettings(options.dataDir, (message) => notes.push(message));
  const stack = await BundledStack.start({
    ...stackOptions,
    settings,
    movePortsWhenBusy: true,
    onApplied: (applied) => saveServerSettings(options.dataDir, applied, open),
  });
  return { stack, notes: [...notes, ...stack.notes] };
}

/** The custom scheme and the loopback listener feed one RedirectReceiver; a profile's redirectMode picks one. */
export function desktopRedirects(loopbackRedirectUri: string): RedirectInfo[] {
  return [
    {
      mode: 'custom-scheme',
      redirectUri: APP_REDIRECT_URI,
      ...redirectRegistrationNote('custom-scheme'),
    },
    { mode: 'loopback', redirectUri: loopbackRedirectUri, ...redirectRegistrationNote('loopback') },
  ];
}
