// Events the engine emits for a session; the UI coalesces them to about 10 a second.
import type { ErrorData } from './errors.js';
import type { SessionCounters, SessionStage, WorkUnitSummary } from './session.js';

/** How far a scan got: what the CLI and the run screen show until the plan gives a file total. */
export interface ScanProgress {
  /** Entries (files, folders, links) listed so far. */
  entriesSeen: number;
  /** Of them, the code files kept so far. */
  filesFound: number;
}

/** How far the final cross-unit pass got: after the last unit, the only sign of life until the session ends. */
export interface ResolveProgress {
  /** References the pass has read and settled (linked, or left unresolved). */
  referencesDone: number;
  /** References open when the pass began. */
  referencesTotal: number;
}

export type EngineEvent =
  | { type: 'session.stage'; sessionId: string; stage: SessionStage; error?: string | null; at: number }
  /** How far the scan got (at most every 100 ms): before the plan, the only sign of life on a large tree. */
  | ({ type: 'scan.progress'; sessionId: string; at: number } & ScanProgress)
  /** After each batch of the final pass (5,000 references), and once as it begins. */
  | ({ type: 'resolve.progress'; sessionId: string; at: number } & ResolveProgress)
  | { type: 'session.plan'; sessionId: string; filesTotal: number; filesSkipped: number; units: WorkUnitSummary[]; at: number }
  | { type: 'unit.started'; sessionId: string; unit: WorkUnitSummary; at: number }
  | {
      type: 'unit.progress';
      sessionId: string;
      unitId: number;
      filesDone: number;
      nodes: number;
      edges: number;
      /** Files parsed (not yet written) by the unit's worker: the unit's progress before its writes begin. */
      filesParsed?: number;
      at: number;
    }
  | { type: 'unit.completed'; sessionId: string; unit: WorkUnitSummary; at: number }
  | { type: 'unit.failed'; sessionId: string; unit: WorkUnitSummary; willRetry: boolean; at: number }
  | { type: 'file.failed'; sessionId: string; unitId: number; path: string; reason: string; at: number }
  | {
      type: 'session.resumed';
      sessionId: string;
      /** `bootstrap`: the state was gone and was rebuilt from the folder and the target. */
      kind: 'resume' | 'bootstrap';
      /** Files not yet completed when the resume started (the most it will parse, plus re-derived ones). */
      filesLeft: number;
      /** Files that changed on disk since the session started and are parsed again. */
      changedFiles: string[];
      /** Bootstrap: files counted as done because their FILE node is in the target. */
      filesFoundInTarget?: number;
      at: number;
    }
  | { type: 'session.completed'; sessionId: string; counters: SessionCounters; durationMs: number; at: number }
  | { type: 'session.failed'; sessionId: string; error: ErrorData; at: number };

export type EngineEventType = EngineEvent['type'];

/** Files a unit has parsed, written or not: never fewer than it has written (an event without the count says only those). */
export function filesParsedOf(event: Extract<EngineEvent, { type: 'unit.progress' }>): number {
  return Math.max(event.filesParsed ?? 0, event.filesDone);
}
