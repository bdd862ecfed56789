// Messages between the coordinator and a worker process (DESIGN.md "Worker protocol").
// Validated at the boundary: a malformed message is an error, not a crash.
import * as z from 'zod/mini';
import './zod-messages.js';
import { DEFINITION_KINDS, LANGUAGES, NODE_LABELS, type DefinitionKind, type Language, type NodeLabel } from './graph-model.js';
import type { SymbolRecord } from './resolution.js';

/**
 * Set in a worker's environment to the kind of target its unit will write to ('neo4j'), so
 * that it loads that target's code while it waits for the unit rather than after.
 */
export const PRELOAD_TARGET_ENV = 'REPOGRAPH_PRELOAD_TARGET';

const fileAssignment = z.object({
  id: z.int(),
  path: z.string().check(z.minLength(1)),
  language: z.enum(LANGUAGES),
  /** Already in the target (bootstrap): parsed again to re-derive its references; rewriting it is harmless. */
  referencesOnly: z.optional(z.boolean()),
});

const targetConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded'), path: z.string().check(z.minLength(1)) }),
  z.object({
    kind: z.literal('neo4j'),
    uri: z.string().check(z.minLength(1)),
    username: z.string(),
    database: z.string(),
    password: z.optional(z.string()),
  }),
]);

export const unitAssignmentSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  unitId: z.int(),
  unitIndex: z.int(),
  attempt: z.int().check(z.minimum(1)),
  repoId: z.string().check(z.minLength(1)),
  root: z.string().check(z.minLength(1)),
  stateDbPath: z.string().check(z.minLength(1)),
  target: targetConfig,
  files: z.array(fileAssignment),
  options: z.object({
    batchSize: z.int().check(z.positive()),
    progressIntervalMs: z.int().check(z.nonnegative()),
    /** Test-only: the worker aborts its process when it reaches this file (poison-file tests). */
    abortOnFile: z.optional(z.string()),
  }),
});
export type UnitAssignment = z.infer<typeof unitAssignmentSchema>;
export type FileAssignment = z.infer<typeof fileAssignment>;

export const coordinatorMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), unit: unitAssignmentSchema }),
  z.object({ type: z.literal('stop') }),
]);
export type CoordinatorMessage = z.infer<typeof coordinatorMessageSchema>;

const unitStats = z.object({
  filesDone: z.int(),
  filesFailed: z.int(),
  nodes: z.int(),
  edges: z.int(),
  refsLocal: z.int(),
  refsDeferred: z.int(),
  parseMs: z.number(),
  writeMs: z.number(),
  /** The worker's peak resident set size, for the benchmarks' memory targets. */
  peakRssMb: z.optional(z.number()),
});
export type UnitStats = z.infer<typeof unitStats>;

export const workerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('progress'),
    /** Files whose graph is written and committed. */
    filesDone: z.int(),
    nodes: z.int(),
    edges: z.int(),
    /** Files read and parsed so far (a unit parses all its files before it writes any). */
    filesParsed: z.optional(z.int()),
  }),
  z.object({ type: z.literal('fileFailed'), path: z.string(), reason: z.string() }),
  z.object({ type: z.literal('done'), stats: unitStats }),
  z.object({ type: z.literal('error'), message: z.string(), code: z.optional(z.string()) }),
  /**
   * Every symbol the unit will commit, sent once its files are parsed (before it resolves and
   * writes), so that the coordinator knows every definition of the repo while the last units
   * still resolve and write.
   * One string per field, the values joined by NUL (which no path or name holds): a field per
   * symbol would cost the coordinator a validation per string (see `decodeSymbols`).
   */
  z.object({
    type: z.literal('symbols'),
    count: z.int().check(z.nonnegative()),
    nodeIds: z.string(),
    names: z.string(),
    qualifiedNames: z.string(),
    filePaths: z.string(),
    labels: z.string(),
    kinds: z.string(),
    languages: z.string(),
  }),
  /** The graph target stopped answering; the worker waits and retries the same batch itself. */
  z.object({ type: z.literal('targetUnavailable'), message: z.string() }),
  /** The graph target answers again after a `targetUnavailable`. */
  z.object({ type: z.literal('targetAvailable') }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    msg: z.string(),
    fields: z.optional(z.record(z.string(), z.unknown())),
  }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

export type SymbolsMessage = Extract<WorkerMessage, { type: 'symbols' }>;

const SEPARATOR = '\u0000';
const SYMBOL_FIELDS = ['nodeIds', 'names', 'qualifiedNames', 'filePaths', 'labels', 'kinds', 'languages'] as const;

export function encodeSymbols(symbols: readonly SymbolRecord[]): SymbolsMessage {
  const join = (field: (symbol: SymbolRecord) => string): string => symbols.map(field).join(SEPARATOR);
  return {
    type: 'symbols',
    count: symbols.length,
    nodeIds: join((symbol) => symbol.nodeId),
    names: join((symbol) => symbol.name),
    qualifiedNames: join((symbol) => symbol.qualifiedName),
    filePaths: join((symbol) => symbol.filePath),
    labels: join((symbol) => symbol.label),
    kinds: join((symbol) => symbol.kind),
    languages: join((symbol) => symbol.language),
  };
}

/** The symbols of a `symbols` message; throws when its fields do not hold `count` valid values each. */
export function decodeSymbols(message: SymbolsMessage): SymbolRecord[] {
  const columns = SYMBOL_FIELDS.map((field) => (message.count === 0 ? [] : message[field].split(SEPARATOR)));
  const bad = SYMBOL_FIELDS.find((_, i) => columns[i]!.length !== message.count);
  if (bad) throw new Error(`malformed worker message: symbols.${bad} holds ${columns[SYMBOL_FIELDS.indexOf(bad)]!.length} values, not ${message.count}`);
  const [nodeIds, names, qualifiedNames, filePaths, labels, kinds, languages] = columns as [string[], string[], string[], string[], string[], string[], string[]];
  const symbols: SymbolRecord[] = [];
  for (let i = 0; i < message.count; i++) {
    const label = labels[i]!;
    const kind = kinds[i]!;
    const language = languages[i]!;
    if (!(NODE_LABELS as readonly string[]).includes(label) || !(DEFINITION_KINDS as readonly string[]).includes(kind) || !(LANGUAGES as readonly string[]).includes(language) || nodeIds[i] === '') {
      throw new Error(`malformed worker message: symbol ${i} (${nodeIds[i]}) has label '${label}', kind '${kind}', language '${language}'`);
    }
    symbols.push({
      nodeId: nodeIds[i]!,
      name: names[i]!,
      qualifiedName: qualifiedNames[i]!,
      filePath: filePaths[i]!,
      label: label as NodeLabel,
      kind: kind as DefinitionKind,
      language: language as Language,
    });
  }
  return symbols;
}

/** How a worker and the coordinator wait for a graph target that stopped answering: 1 s doubling to 30 s. */
export const TARGET_RETRY_FIRST_MS = 1000;
export const TARGET_RETRY_MAX_MS = 30_000;

export function parseWorkerMessage(raw: unknown): WorkerMessage {
  const result = workerMessageSchema.safeParse(raw);
  if (!result.success) throw new Error(`malformed worker message: ${result.error.message}`);
  return result.data;
}

export function parseCoordinatorMessage(raw: unknown): CoordinatorMessage {
  const result = coordinatorMessageSchema.safeParse(raw);
  if (!result.success) throw new Error(`malformed coordinator message: ${result.error.message}`);
  return result.data;
}
