// Sessions, work units and files as the state store, the API and the UI see them.
import type { Language } from './graph-model.js';

export const SESSION_STAGES = [
  'scanning',
  'planned',
  'parsing',
  'resolving',
  'aggregating',
  'waiting-for-target',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/** Stages a session can be resumed from. */
export const RESUMABLE_STAGES: readonly SessionStage[] = ['cancelled', 'interrupted', 'failed'];

export const UNIT_STATUSES = ['pending', 'running', 'retrying', 'completed', 'failed'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const FILE_STATUSES = ['pending', 'completed', 'skipped', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export type TargetKind = 'embedded' | 'neo4j';

export interface Neo4jConnection {
  uri: string;
  username: string;
  database: string;
  /** Never sent to the renderer or written to a log. */
  password?: string;
}

export type TargetConfig =
  | { kind: 'embedded'; path: string }
  | ({ kind: 'neo4j' } & Neo4jConnection);

/** A target as a user chooses it; the engine turns it into a TargetConfig. */
export type TargetChoice = { kind: 'embedded' } | { kind: 'neo4j'; connectionName: string };

export interface ProjectSummary {
  id: string;
  root: string;
  name: string;
  target: TargetKind;
  lastSession: SessionSummary | null;
}

export interface SessionCounters {
  filesTotal: number;
  filesDone: number;
  filesFailed: number;
  filesSkipped: number;
  nodes: number;
  edges: number;
  refsLocal: number;
  refsCrossUnit: number;
  refsUnresolved: number;
  refsExternal: number;
}

export interface SessionSummary {
  id: string;
  projectId: string;
  stage: SessionStage;
  target: TargetKind;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  error: string | null;
  resumes: number;
  counters: SessionCounters;
}

export interface WorkUnitSummary {
  id: number;
  index: number;
  path: string;
  status: UnitStatus;
  attempts: number;
  filesTotal: number;
  filesDone: number;
  filesFailed: number;
  nodes: number;
  edges: number;
  refsLocal: number;
  refsDeferred: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  error: string | null;
}

export interface SessionDetail extends SessionSummary {
  root: string;
  units: WorkUnitSummary[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface GraphStats {
  projectId: string;
  nodesByLabel: Record<string, number>;
  edgesByType: Record<string, number>;
  referencesByResolution: Record<string, number>;
  languages: Record<string, number>;
  files: { parsed: number; skipped: number; failed: number };
  skipped: SkippedFile[];
  failed: SkippedFile[];
  unresolvedReferences: number;
  externalReferences: number;
  topReferenced: { node_id: string; name: string; qualified_name: string; file_path: string; label: string; references: number }[];
}

export interface FileRecord {
  path: string;
  language: Language;
  size: number;
  mtimeMs: number;
}
