import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type DesktopApi } from './api';

// Expose the typed API only; ipcRenderer itself never reaches the page.
const api: DesktopApi = {
  getSandboxInfo: () => ipcRenderer.invoke(IPC_CHANNELS.getSandboxInfo),
};

contextBridge.exposeInMainWorld('mcpAuthDesktop', api);
