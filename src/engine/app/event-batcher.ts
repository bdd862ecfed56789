// Coalesces engine events so a UI gets at most ~10 deliveries a second, however fast
// workers report. Only progress is lossy, and only to its latest value within one window.
import type { EngineEvent } from '../../shared/events.js';

export interface EventBatcher {
  push(event: EngineEvent): void;
  /** Flushes what is pending and stops; later pushes are ignored. */
  close(): void;
}

export function createEventBatcher(flush: (events: EngineEvent[]) => void, intervalMs = 100): EventBatcher {
  let pending: EngineEvent[] = [];
  // Where the pending progress event of each unit sits, so a newer one replaces it in place.
  let progressIndex = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const deliver = (): void => {
    timer = undefined;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    progressIndex = new Map();
    flush(events);
  };

  return {
    push(event) {
      if (closed) return;
      const key = unitKey(event);
      if (event.type === 'unit.progress' && key !== undefined) {
        const at = progressIndex.get(key);
        if (at !== undefined) {
          pending[at] = event;
        } else {
          progressIndex.set(key, pending.length);
          pending.push(event);
        }
      } else {
        // A unit's later progress must not jump ahead of its started/completed/failed event.
        if (key !== undefined) progressIndex.delete(key);
        pending.push(event);
      }
      timer ??= setTimeout(deliver, intervalMs);
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      deliver();
    },
  };
}

function unitKey(event: EngineEvent): string | undefined {
  switch (event.type) {
    case 'unit.progress':
    case 'file.failed':
      return `${event.sessionId}\u0000${event.unitId}`;
    case 'unit.started':
    case 'unit.completed':
    case 'unit.failed':
      return `${event.sessionId}\u0000${event.unit.id}`;
    default:
      return undefined;
  }
}
