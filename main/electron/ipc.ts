/**
 * The API over IPC: one handler per method of the contract (preload/api.ts), each checking who is
 * asking before calling the API, each answering with an ApiResult envelope. Errors cross as data
 * (message, fix, code), never as a stack. Events go the other way on IPC_EVENT_CHANNEL.
 */
import {
  API_METHODS,
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  requestOf,
  type ApiErrorBody,
  type ApiRequests,
  type ApiResult,
  type AppEvent,
} from '../../preload/api';
import type { AppApi } from '../api';
import { describeUrl, type HostLog } from './log';

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Only the top frame of the app's own page may call the API: not a sub-frame, not another page
 * that somehow got loaded, not a frame that navigated away (senderFrame is then null).
 */
export function createSenderCheck(
  isAppUrl: (url: string) => boolean,
): (event: InvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isAppUrl(frame.url);
  };
}

const UNEXPECTED = 'Something went wrong in MCP Auth Desktop.';

/** The error as the renderer receives it: message, and fix/code when the error carries them. */
export function errorBody(error: unknown): ApiErrorBody {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  if (error instanceof Error || (typeof error === 'object' && error !== null)) {
    const { message, fix, code } = error as { message?: unknown; fix?: unknown; code?: unknown };
    const body: ApiErrorBody = { message: text(message) ?? UNEXPECTED };
    const fixText = text(fix);
    const codeText = text(code);
    if (fixText !== undefined) body.fix = fixText;
    if (codeText !== undefined) body.code = codeText;
    return body;
  }
  return { message: text(error) ?? UNEXPECTED };
}

export const UNTRUSTED_SENDER: ApiErrorBody = {
  message: 'Refused: the request did not come from the MCP Auth Desktop window.',
  code: 'untrusted_sender',
};

/** Registers every method of the contract; `dispose` removes them again. */
export function createIpcRouter<E extends InvokeEventLike>(opts: {
  ipcMain: IpcMainLike<E>;
  api: ApiRequests;
  isTrustedSender: (event: E) => boolean;
  log: HostLog;
}): { dispose(): void } {
  for (const method of API_METHODS) {
    opts.ipcMain.handle(
      ipcChannelOf(method),
      async (event, ...args): Promise<ApiResult<unknown>> => {
        if (!opts.isTrustedSender(event)) {
          opts.log.warn(
            `Refused ${method} from ${describeUrl(event.senderFrame?.url)}: not the app's own page.`,
          );
          return { ok: false, error: UNTRUSTED_SENDER };
        }
        try {
          const call = requestOf(opts.api, method);
          if (!call) throw new Error(`MCP Auth Desktop has no ${method}.`);
          return { ok: true, value: await call(...args) };
        } catch (error) {
          return { ok: false, error: errorBody(error) };
        }
      },
    );
  }
  return {
    dispose: () => {
      for (const method of API_METHODS) opts.ipcMain.removeHandler(ipcChannelOf(method));
    },
  };
}

/** The parts of a WebContents events are sent through. */
export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, event: AppEvent): void;
}

/** Forwards the API's events to the window; returns the unsubscribe. */
export function forwardEvents(
  api: Pick<AppApi, 'subscribe'>,
  target: () => EventSink | undefined,
): () => void {
  return api.subscribe((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
}
