// Electron entry: wiring only. Everything it wires is plain Node code tested without Electron.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { IPC_CHANNELS, type SandboxInfo } from '../preload/api';
import { lockNavigation, mainWindowOptions, preloadPath } from './electron/window';
import { sandboxInfo, startSandboxStack, type SandboxStack } from './stack';

let stack: SandboxStack | undefined;

async function createWindow(): Promise<void> {
  const window = new BrowserWindow(mainWindowOptions(preloadPath(import.meta.dirname)));
  lockNavigation(window);
  window.once('ready-to-show', () => window.show());
  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

app.whenReady().then(async () => {
  stack = await startSandboxStack({ dataDir: app.getPath('userData') });
  const info = sandboxInfo(stack);
  ipcMain.handle(IPC_CHANNELS.getSandboxInfo, (): SandboxInfo => info);
  await createWindow();
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!stack) return;
  event.preventDefault();
  const closing = stack;
  stack = undefined;
  void closing.close().finally(() => app.quit());
});
