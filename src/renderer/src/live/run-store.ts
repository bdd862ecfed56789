// Live run state for every session the window has heard about, fed by the bridge's event batches.
import { create } from 'zustand';
import type { EngineEvent } from '../../../shared/events.js';
import type { SessionDetail } from '../../../shared/session.js';
import type { SessionLiveState } from './run-state.js';
import { applyEvents, seedSession } from './run-state.js';

interface RunStore {
  sessions: Record<string, SessionLiveState>;
  apply(events: readonly EngineEvent[]): void;
  seed(detail: SessionDetail): void;
}

export const useRunStore = create<RunStore>((set) => ({
  sessions: {},
  apply: (events) => set((store) => ({ sessions: applyEvents(store.sessions, events) })),
  seed: (detail) => set((store) => ({ sessions: { ...store.sessions, [detail.id]: seedSession(store.sessions[detail.id], detail) } })),
}));

export function useSessionLive(sessionId: string): SessionLiveState | undefined {
  return useRunStore((store) => store.sessions[sessionId]);
}
