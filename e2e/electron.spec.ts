// Launches the built Electron app, parses a small folder through the UI and waits until the
// run completes. Skipped (with the reason printed) where the Electron binary is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Electron executable, or why it cannot be used. */
function electronBinary(): { path: string } | { missing: string } {
  const packageDir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${pathFile} does not exist (the Electron binary was never downloaded; run \`npx install-electron\`)` };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} does not exist` };
}

const electron = electronBinary();
if ('missing' in electron) console.log(`skipping e2e/electron.spec.ts: ${electron.missing}`);

describe.skipIf('missing' in electron)('Electron app', () => {
  let app: ElectronApplication;
  let window: Page;
  let workDir: string;
  let project: string;

  beforeAll(async () => {
    // Always test what the sources build to now, not a stale out/.
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: repoRoot, stdio: 'inherit' });
    workDir = await mkdtemp(join(tmpdir(), 'repograph-e2e-'));
    project = join(workDir, 'project');
    await mkdir(join(project, 'src', 'models'), { recursive: true });
    await writeFile(join(project, 'src', 'models', 'user.ts'), 'export class User {\n  constructor(readonly name: string) {}\n  greet(): string { return `hi ${this.name}`; }\n}\n');
    await writeFile(join(project, 'src', 'main.ts'), "import { User } from './models/user';\nexport function main(): string { return new User('a').greet(); }\n");
    await writeFile(join(project, 'tool.py'), 'class Tool:\n    def run(self):\n        return helper()\n\ndef helper():\n    return 1\n');

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RENDERER_URL') env[key] = value;
    env.REPOGRAPH_DATA_DIR = join(workDir, 'data');
    const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
    app = await _electron.launch({
      executablePath: (electron as { path: string }).path,
      args: [...(headless ? ['--ozone-platform=headless'] : []), repoRoot],
      cwd: repoRoot,
      env,
    });
    window = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('exposes only the typed bridge to the page', async () => {
    const exposed = await window.evaluate(() => ({
      bridge: Object.keys((window as unknown as { repograph: object }).repograph ?? {}).sort(),
      hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined',
    }));
    expect(exposed).toEqual({ bridge: ['api', 'onEvent'], hasRequire: false, hasProcess: false });
  });

  it('picks a folder with the native dialog and parses it to completion', async () => {
    // The native dialog cannot be clicked; answer it from the main process instead.
    await app.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as typeof dialog.showOpenDialog;
    }, project);
    await window.getByTestId('pick-folder').click();
    await expect.poll(() => window.getByTestId('folder-path-input').inputValue()).toBe(project);

    await window.getByTestId('start-parse').click();
    const stage = window.getByTestId('session-stage');
    await stage.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await stage.textContent())?.trim().toLowerCase(), { timeout: 120_000, interval: 250 }).toMatch(/completed/);
  });
});
