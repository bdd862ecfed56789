// The frame every browser spec runs in: a temporary work dir, `repograph serve` on its data dir
// and Chromium with one app page, all stopped, closed and removed after the spec.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, newAppPage } from './chromium.js';
import { startServe, type ServeProcess } from './serve-process.js';

/** Set by the time the spec's tests (and its own beforeAll hooks, registered later) run. */
export interface ServedApp {
  workDir: string;
  /** <workDir>/data: the data dir every serve of the spec uses. */
  dataDir: string;
  /** The serve started before the tests. */
  readonly serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** Starts another serve on the data dir; it is stopped after the spec. */
  startServe(): Promise<ServeProcess>;
}

/**
 * Registers the spec's beforeAll/afterAll; call it inside the spec's describe. The work dir is
 * made with `prefix`; `startServeFirst: false` leaves starting serve to the tests.
 */
export function useServedApp(prefix: string, options: { startServeFirst?: boolean } = {}): ServedApp {
  const serves: ServeProcess[] = [];
  let browser: Browser | undefined;
  const app = {
    get serve(): ServeProcess {
      const first = serves[0];
      if (!first) throw new Error('no serve was started before the tests: useServedApp was called with startServeFirst: false');
      return first;
    },
    async startServe(): Promise<ServeProcess> {
      const serve = await startServe({ dataDir: app.dataDir });
      serves.push(serve);
      return serve;
    },
  } as ServedApp;

  beforeAll(async () => {
    app.workDir = await mkdtemp(join(tmpdir(), prefix));
    app.dataDir = join(app.workDir, 'data');
    if (options.startServeFirst !== false) await app.startServe();
    browser = await launchChromium();
    app.browser = browser;
    app.page = await newAppPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    for (const serve of serves) await serve.stop();
    if (app.workDir) await rm(app.workDir, { recursive: true, force: true });
  });

  return app;
}
