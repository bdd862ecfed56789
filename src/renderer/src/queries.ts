// Request/response data through TanStack Query; keys are shared so event batches can invalidate them.
import type { QueryClient } from '@tanstack/react-query';
import { useQuery } from '@tanstack/react-query';
import type { EngineEvent } from '../../shared/events.js';
import { api } from './api/bridge.js';
import { sessionsNeedingRefresh } from './live/run-state.js';

export const queryKeys = {
  hostInfo: ['hostInfo'] as const,
  projects: ['projects'] as const,
  session: (sessionId: string) => ['session', sessionId] as const,
  stats: (projectId: string) => ['stats', projectId] as const,
  allStats: ['stats'] as const,
  settings: ['settings'] as const,
};

export function useHostInfo() {
  return useQuery({ queryKey: queryKeys.hostInfo, queryFn: () => api.hostInfo(), staleTime: Infinity });
}

export function useProjects() {
  return useQuery({ queryKey: queryKeys.projects, queryFn: () => api.listProjects() });
}

export function useSessionDetail(sessionId: string) {
  return useQuery({ queryKey: queryKeys.session(sessionId), queryFn: () => api.getSession(sessionId) });
}

export function useGraphStats(projectId: string) {
  return useQuery({ queryKey: queryKeys.stats(projectId), queryFn: () => api.getGraphStats(projectId) });
}

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.getSettings() });
}

/** Stage changes and the end of a run change projects, session detail and stats. */
export function invalidateForEvents(client: QueryClient, events: readonly EngineEvent[]): void {
  const sessions = sessionsNeedingRefresh(events);
  if (sessions.size === 0) return;
  void client.invalidateQueries({ queryKey: queryKeys.projects });
  void client.invalidateQueries({ queryKey: queryKeys.allStats });
  for (const sessionId of sessions) void client.invalidateQueries({ queryKey: queryKeys.session(sessionId) });
}
