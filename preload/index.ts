/**
 * The preload: exposes exactly the DesktopApi (preload/api.ts) to the page as
 * `window.mcpAuthDesktop`, built from the contract's routing table (API_ROUTES), and nothing else; ipcRenderer
 * itself never reaches the page. It runs sandboxed and is bundled as CommonJS: it may import only
 * 'electron' and the contract's runtime constants (bundled in).
 *
 * Failures: main answers with an ApiResult envelope. The contextBridge copies a thrown Error as a
 * bare `new Error(message)` into the page, dropping custom properties such as `fix` and `code`
 * (electron/electron#25596), so a failed call rejects with a plain object instead:
 * `{ name: 'ApiError', message, fix?, code? }`, which the bridge copies whole.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  buildRequests,
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  type ApiErrorBody,
  type ApiMethod,
  type ApiResult,
  type AppEvent,
  type DesktopApi,
} from './api';

/** What a failed call rejects with in the page. */
export interface ApiFailure extends ApiErrorBody {
  name: 'ApiError';
}

function failure(error: ApiErrorBody | undefined): ApiFailure {
  const body: ApiFailure = {
    name: 'ApiError',
    message:
      typeof error?.message === 'string' ? error.message : 'MCP Auth Desktop did not answer.',
  };
  if (typeof error?.fix === 'string') body.fix = error.fix;
  if (typeof error?.code === 'string') body.code = error.code;
  return body;
}

async function invoke(method: ApiMethod, args: unknown[]): Promise<unknown> {
  let result: ApiResult<unknown> | undefined;
  try {
    result = (await ipcRenderer.invoke(ipcChannelOf(method), ...args)) as ApiResult<unknown>;
  } catch {
    // The channel itself failed (no handler yet, a value that cannot be cloned): no stack either.
    throw failure({ message: `MCP Auth Desktop could not run ${method}.` });
  }
  if (result?.ok === true) return result.value;
  throw failure(result?.ok === false ? result.error : undefined);
}

const api: DesktopApi = {
  ...buildRequests(invoke),
  onEvent(listener) {
    // The page gets the event only: the IpcRendererEvent (with its sender) never crosses.
    const wrapped = (_event: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('mcpAuthDesktop', api);
