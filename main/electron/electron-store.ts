/**
 * The desktop app keeps its profiles with electron-store, the store Electron apps use. It is conf
 * (which the web and command-line hosts use directly) plus Electron's defaults; the file, its
 * format and its migrations are the ones main/profiles/store.ts defines, so every host reads what
 * the others wrote. electron-store imports `electron` when loaded: only this folder may import it.
 */
import ElectronStore from 'electron-store';
import type { OpenStoreFile } from '../profiles/store';

export const openWithElectronStore: OpenStoreFile = ({ configName, projectVersion, ...options }) =>
  new ElectronStore({
    ...options,
    ...(configName !== undefined && { name: configName }),
    // electron-store's types leave projectVersion out (it defaults to the app's version), but it
    // passes one given to conf: ours is the file format's, which all hosts share.
    ...({ projectVersion } as object),
  });
