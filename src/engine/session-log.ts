// A session's structured log: JSON lines in the data dir, with session, unit and worker ids
// on every line. Secrets are never passed here.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SessionLog {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  readonly path: string;
}

export function openSessionLog(logsDir: string, sessionId: string): SessionLog {
  const path = join(logsDir, `${sessionId}.jsonl`);
  return {
    path,
    log(level, msg, fields) {
      const line = JSON.stringify({ time: new Date().toISOString(), level, session: sessionId, msg, ...fields });
      // Synchronous on purpose: the line must be on disk if the process is killed right after.
      appendFileSync(path, line + '\n');
    },
  };
}
