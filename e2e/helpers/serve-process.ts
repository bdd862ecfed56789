// `repograph serve` as a real child process: its own process group (so that a SIGKILL takes its
// workers down with it, as a crash or a power cut would), its URL read from its --json output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { freePort } from './network.js';
import { repoRoot, repographBin, repographEnv } from './repograph-cli.js';

export interface ServeProcess {
  /** The page, token included. */
  url: string;
  /** http://127.0.0.1:PORT, without the token. */
  origin: string;
  token: string;
  port: number;
  pid: number;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** SIGKILLs the whole process group (serve and its workers) and waits until serve is reaped. */
  killGroup(): Promise<void>;
  /** SIGTERM, then SIGKILL of the group if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServeOptions {
  dataDir: string;
  /** Omitted: a free port. */
  port?: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

interface Listening {
  type: 'listening';
  url: string;
  port: number;
}

export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [repographBin, 'serve', '--data-dir', options.dataDir, '--port', String(port), '--json'], {
    cwd: repoRoot,
    env: repographEnv(options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn repograph serve (${repographBin})`);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(child, 'exit');

  const listening = await new Promise<Listening>((resolve, reject) => {
    const timer = setTimeout(() => {
      killQuietly(pid);
      reject(new Error(`repograph serve did not print its URL within ${options.startTimeoutMs ?? 30_000} ms:\n${log}`));
    }, options.startTimeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log += `${line}\n`;
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as Partial<Listening>;
        if (parsed.type === 'listening' && typeof parsed.url === 'string' && typeof parsed.port === 'number') {
          clearTimeout(timer);
          resolve(parsed as Listening);
        }
      } catch {
        // Not one of serve's JSON lines.
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`repograph serve exited (code ${code}, signal ${signal}) before listening:\n${log}`));
    });
  });

  const token = new URL(listening.url).searchParams.get('token') ?? '';
  return {
    url: listening.url,
    origin: `http://127.0.0.1:${listening.port}`,
    token,
    port: listening.port,
    pid,
    output: () => log,
    async killGroup() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-pid, 'SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killQuietly(pid), graceMs);
      await exited;
      clearTimeout(timer);
      // Workers a graceful stop left behind would hold the data dir's files open.
      killQuietly(pid);
    },
  };
}

function killQuietly(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
