// The only place that touches ipcMain and webContents.send: API calls in, batched events out.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENTS_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/rpc/protocol.js';
import type { ServedAppService } from '../engine/app/api-dispatch.js';
import { createEventBatcher } from '../engine/app/event-batcher.js';
import { createIpcDispatcher, isAppPageUrl, type AppPageLocation } from './ipc-dispatcher.js';

/** Serves the API to `window` only; returns the function that stops serving. */
export function registerApiHandlers(window: BrowserWindow, service: ServedAppService, page: AppPageLocation): () => void {
  const contents = window.webContents;
  const dispatch = createIpcDispatcher<IpcMainInvokeEvent>({
    api: service.api,
    isTrustedSender: (event) => {
      const frame = event.senderFrame;
      // The window's top frame, showing our page: not an iframe, not a page navigated to.
      return event.sender === contents && frame !== null && frame.parent === null && isAppPageUrl(frame.url, page);
    },
  });
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, payload: unknown) => dispatch(event, payload));

  const batcher = createEventBatcher((events) => {
    if (!window.isDestroyed() && !contents.isDestroyed()) contents.send(IPC_EVENTS_CHANNEL, events);
  });
  const unsubscribe = service.subscribe((event) => batcher.push(event));

  return () => {
    unsubscribe();
    batcher.close();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
