// A graph target that stopped answering (DESIGN: "A target outage pauses the run"). Workers
// and the coordinator's own writers report it here; while any of them is waiting the session
// shows `waiting-for-target` and no new unit starts. An outage longer than the limit ends the
// session as interrupted, resumable once the target is back.
import { TARGET_RETRY_FIRST_MS, TARGET_RETRY_MAX_MS } from '../../shared/worker-protocol.js';
import { isTargetUnreachable, waitUnless } from '../../storage/target-retry.js';

export const DEFAULT_TARGET_OUTAGE_LIMIT_MS = 10 * 60_000;

/** The outage limit: REPOGRAPH_TARGET_OUTAGE_LIMIT_MS (tests make it small), else 10 minutes. */
export function targetOutageLimitMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.REPOGRAPH_TARGET_OUTAGE_LIMIT_MS;
  if (raw === undefined || raw === '') return DEFAULT_TARGET_OUTAGE_LIMIT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`REPOGRAPH_TARGET_OUTAGE_LIMIT_MS=${raw} is not a positive whole number of milliseconds: fix or unset it`);
  return value;
}

/** Thrown by `guard` once the outage outlasted the limit: the session ends interrupted. */
export class TargetOutageExpired extends Error {}

export interface TargetOutageHooks {
  limitMs: number;
  /** The first source went down, or a source reported a new error while down. */
  onDown(message: string): void;
  /** Every source answers again. */
  onUp(): void;
  /** The outage outlasted the limit. */
  onExpired(message: string): void;
}

export class TargetOutage {
  private readonly down = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private since = 0;
  private lastMessage = '';
  expired = false;

  constructor(private readonly hooks: TargetOutageHooks) {}

  get isDown(): boolean {
    return this.down.size > 0;
  }

  /** The message a session interrupted by the outage carries. */
  get expiryMessage(): string {
    const seconds = Math.round((Date.now() - this.since) / 1000);
    return `the graph target did not answer for ${seconds} s (${this.lastMessage}); the session is interrupted: run \`repograph resume\` once the target is back`;
  }

  report(source: string, message: string): void {
    if (this.expired) return;
    const first = this.down.size === 0;
    const changed = this.down.get(source) !== message;
    this.down.set(source, message);
    this.lastMessage = message;
    if (first) {
      this.since = Date.now();
      this.timer = setTimeout(() => {
        this.expired = true;
        this.hooks.onExpired(this.expiryMessage);
      }, this.hooks.limitMs);
      this.timer.unref();
    }
    if (first || changed) this.hooks.onDown(message);
  }

  clear(source: string): void {
    if (!this.down.delete(source) || this.down.size > 0) return;
    this.stopClock();
    if (!this.expired) this.hooks.onUp();
  }

  /** Runs a coordinator-side target call until it succeeds, waiting out outages with backoff. */
  async guard<T>(source: string, op: () => Promise<T>, shouldStop: () => boolean = () => false): Promise<T> {
    try {
      for (let delay = TARGET_RETRY_FIRST_MS; ; delay = Math.min(delay * 2, TARGET_RETRY_MAX_MS)) {
        if (this.expired) throw new TargetOutageExpired(this.expiryMessage);
        try {
          const result = await op();
          this.clear(source);
          return result;
        } catch (error) {
          if (!isTargetUnreachable(error)) throw error;
          this.report(source, (error as Error).message);
        }
        await waitUnless(delay, () => this.expired || shouldStop());
        if (shouldStop() && !this.expired) throw new TargetOutageExpired('stopped while waiting for the graph target');
      }
    } finally {
      // A source that gives up (stop, expiry, another error) is no longer waiting.
      this.clear(source);
    }
  }

  dispose(): void {
    this.stopClock();
  }

  private stopClock(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
