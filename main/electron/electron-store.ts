/**
 * The desktop app keeps its profiles with electron-store, the store Electron apps use. It is conf
 * (which the web and command-line hosts use directly) plus Electron's defaults; the file, its
 * format and its migrations are the ones main/profiles/store.ts defines, so every host reads what
 * the others wrote. electron-store imports `electron` when loaded: only this folder may import it.
 */
import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import type { Options as ConfOptions } from 'conf';
import type { OpenStoreFile } from '../profiles/store';

/** The channel electron-store opens for stores created in a renderer; this app has none. */
const RENDERER_STORE_CHANNEL = 'electron-store-get-data';

export const openWithElectronStore: OpenStoreFile = <T extends Record<string, unknown>>({
  configName,
  projectVersion,
  ...options
}: ConfOptions<T>) => {
  const store = new ElectronStore<T>({
    ...options,
    ...(configName !== undefined && { name: configName }),
    // electron-store's types leave projectVersion out (it defaults to the app's version), but it
    // passes one given to conf: ours is the file format's, which all hosts share.
    ...({ projectVersion } as object),
  });
  // It would answer any page's synchronous IPC with the data folder's path, without the sender
  // check every channel of ours has (ipc.ts): close it.
  ipcMain.removeAllListeners(RENDERER_STORE_CHANNEL);
  return store;
};
