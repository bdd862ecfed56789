/// <reference types="electron-vite/node" />
// Electron composition root: one locked-down window, the engine behind IPC, workers as
// utility processes. Everything else lives in the engine, which never imports electron.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import workerPath from '../workers/worker-entry.ts?modulePath';
import type { ServedAppService } from '../engine/app/api-dispatch.js';
import { createAppService } from '../engine/app/app-service.js';
import { registerApiHandlers } from './ipc.js';
import { isAppPageUrl, type AppPageLocation } from './ipc-dispatcher.js';
import { createSafeStorageSecretStore } from './secret-store.js';
import { createUtilityProcessHost } from './utility-process-host.js';

const SHUTDOWN_LIMIT_MS = 15_000;

const page: AppPageLocation = {
  rendererFile: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined,
};
const preloadFile = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

let service: ServedAppService | undefined;
let mainWindow: BrowserWindow | undefined;
let stopServing: (() => void) | undefined;

function contentSecurityPolicy(): string {
  // The dev server injects an inline React-refresh preamble and talks HMR over a WebSocket.
  const dev = page.devServerUrl !== undefined;
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function lockDownSessions(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (isAppPageUrl(details.url, page)) headers['Content-Security-Policy'] = [contentSecurityPolicy()];
    callback({ responseHeaders: headers });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppPageUrl(url, page)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppPageUrl(url, page)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function pickFolder(): Promise<string | null> {
  const options = { title: 'Choose a folder to parse', properties: ['openDirectory' as const] };
  const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}

async function createWindow(served: ServedAppService): Promise<void> {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    title: 'Repograph',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  mainWindow = window;
  stopServing = registerApiHandlers(window, served, page);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    stopServing?.();
    stopServing = undefined;
    mainWindow = undefined;
  });
  if (page.devServerUrl) await window.loadURL(page.devServerUrl);
  else await window.loadFile(page.rendererFile);
}

/** Stops workers after their current batch so the session stays resumable. */
async function shutdown(): Promise<void> {
  stopServing?.();
  stopServing = undefined;
  const closing = service?.close?.();
  if (!closing) return;
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_LIMIT_MS))]);
}

async function start(): Promise<void> {
  lockDownSessions();
  // REPOGRAPH_DATA_DIR lets end-to-end tests (and power users) keep state elsewhere.
  const dataDir = process.env.REPOGRAPH_DATA_DIR ?? app.getPath('userData');
  service = createAppService({
    dataDir,
    workerHost: createUtilityProcessHost({ entry: workerPath }),
    secrets: createSafeStorageSecretStore(join(dataDir, 'secrets.json')),
    host: { kind: 'electron', pickFolder, version: app.getVersion() },
  });
  await createWindow(service);
}

if (!app.requestSingleInstanceLock()) {
  // A second instance would share the state database; hand over to the first one instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  let shutDown = false;
  app.on('before-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    void shutdown()
      .catch((error: unknown) => console.error('[main] shutdown failed:', error))
      .finally(() => {
        shutDown = true;
        app.quit();
      });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) void createWindow(service);
  });

  app.whenReady().then(start).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Repograph could not start', message);
    app.exit(1);
  });
}
