// Starting, resuming and cancelling runs, shared by the projects screen and the resume banner.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StartParseRequest } from '../../shared/api.js';
import type { ProjectSummary, TargetChoice } from '../../shared/session.js';
import type { Settings } from '../../shared/settings.js';
import { api } from './api/bridge.js';
import { useNavigation } from './navigation.js';
import { queryKeys } from './queries.js';

export function useStartParse() {
  const client = useQueryClient();
  const go = useNavigation((nav) => nav.go);
  return useMutation({
    mutationFn: (request: StartParseRequest) => api.startParse(request),
    onSuccess: ({ sessionId }) => {
      void client.invalidateQueries({ queryKey: queryKeys.projects });
      go({ screen: 'run', sessionId });
    },
  });
}

export function useResume() {
  const client = useQueryClient();
  const go = useNavigation((nav) => nav.go);
  return useMutation({
    mutationFn: (sessionId: string) => api.resume(sessionId),
    onSuccess: ({ sessionId }) => {
      void client.invalidateQueries({ queryKey: queryKeys.projects });
      go({ screen: 'run', sessionId });
    },
  });
}

export function useCancel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.cancel(sessionId),
    onSuccess: (_result, sessionId) => void client.invalidateQueries({ queryKey: queryKeys.session(sessionId) }),
  });
}

/** `embedded` or `neo4j:<connection name>`, the value of a target <select>. */
export type TargetValue = string;

export function targetValue(choice: TargetChoice): TargetValue {
  return choice.kind === 'embedded' ? 'embedded' : `neo4j:${choice.connectionName}`;
}

export function targetChoice(value: TargetValue): TargetChoice {
  return value.startsWith('neo4j:') ? { kind: 'neo4j', connectionName: value.slice('neo4j:'.length) } : { kind: 'embedded' };
}

/**
 * The target to start a project over on. ProjectSummary says only the target kind, so for Neo4j
 * the connection currently chosen in the form wins, else the first saved one.
 */
export function startOverTarget(project: ProjectSummary, settings: Settings | undefined, chosen: TargetChoice): TargetChoice {
  if (project.target === 'embedded') return { kind: 'embedded' };
  if (chosen.kind === 'neo4j') return chosen;
  const first = settings?.neo4jConnections[0];
  if (!first) throw new Error(`${project.name} was parsed into Neo4j, but no Neo4j connection is saved: add one in Settings.`);
  return { kind: 'neo4j', connectionName: first.name };
}
