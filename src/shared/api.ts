// The app API: one contract, exposed by the Electron preload and served by the browser host.
// The renderer cannot tell the two apart. Inputs are validated on the serving side.
import * as z from 'zod/mini';
import './zod-messages.js';
import type { EngineEvent } from './events.js';
import { NEO4J_URI_EXPECTED, NEO4J_URI_PATTERN } from './neo4j-uri.js';
import type { GraphStats, ProjectSummary, SessionDetail } from './session.js';
import type { Settings } from './settings.js';

const absolutePath = z.string().check(z.minLength(1), z.maxLength(4096));

export const targetChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }),
  z.object({ kind: z.literal('neo4j'), connectionName: z.string().check(z.minLength(1), z.maxLength(200)) }),
]);

export const neo4jConnectionInputSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  uri: z.string().check(z.regex(NEO4J_URI_PATTERN, NEO4J_URI_EXPECTED)),
  username: z.string().check(z.minLength(1), z.maxLength(200)),
  database: z.string().check(z.maxLength(200)),
  /** Omitted: keep the stored password. */
  password: z.optional(z.string().check(z.maxLength(1000))),
});
export type Neo4jConnectionInput = z.infer<typeof neo4jConnectionInputSchema>;

export const settingsInputSchema = z.object({
  workers: z.int().check(z.minimum(1), z.maximum(64)),
  maxFilesPerWorkUnit: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  targetFilesPerWorkUnit: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  batchSize: z.int().check(z.minimum(1), z.maximum(100_000)),
  embeddedBatchSize: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  maxFileBytes: z.int().check(z.minimum(1), z.maximum(1024 * 1024 * 1024)),
  maxAttempts: z.int().check(z.minimum(1), z.maximum(10)),
  unitTimeoutMs: z.int().check(z.minimum(1000)),
  extraIgnore: z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(1000)),
  neo4jConnections: z.array(neo4jConnectionInputSchema).check(z.maxLength(100)),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

export const startParseSchema = z.object({
  root: absolutePath,
  target: targetChoiceSchema,
  fresh: z.optional(z.boolean()),
});
export type StartParseRequest = z.infer<typeof startParseSchema>;

export const sessionIdSchema = z.string().check(z.minLength(1), z.maxLength(100));
export const projectIdSchema = z.string().check(z.minLength(1), z.maxLength(200));

export interface ConnectionInfo {
  serverVersion: string;
  edition: string;
  address: string;
  database: string;
}

/** Request/response calls. Each returns a promise; errors arrive as ErrorData-shaped rejections. */
export interface RepographApi {
  /** Electron: the native picker. Browser host: null (the UI asks for a typed path). */
  pickFolder(): Promise<string | null>;
  /** Whether the host can show a native folder picker. */
  hostInfo(): Promise<{ kind: 'electron' | 'browser'; nativeFolderPicker: boolean; version: string }>;
  listProjects(): Promise<ProjectSummary[]>;
  startParse(request: StartParseRequest): Promise<{ sessionId: string }>;
  resume(sessionId: string): Promise<{ sessionId: string }>;
  cancel(sessionId: string): Promise<void>;
  getSession(sessionId: string): Promise<SessionDetail>;
  getGraphStats(projectId: string): Promise<GraphStats>;
  getSettings(): Promise<Settings>;
  saveSettings(settings: SettingsInput): Promise<Settings>;
  testConnection(connection: Neo4jConnectionInput): Promise<ConnectionInfo>;
}

/** Validators for each call's arguments, applied by every serving side. */
export const apiArgumentSchemas = {
  pickFolder: z.tuple([]),
  hostInfo: z.tuple([]),
  listProjects: z.tuple([]),
  startParse: z.tuple([startParseSchema]),
  resume: z.tuple([sessionIdSchema]),
  cancel: z.tuple([sessionIdSchema]),
  getSession: z.tuple([sessionIdSchema]),
  getGraphStats: z.tuple([projectIdSchema]),
  getSettings: z.tuple([]),
  saveSettings: z.tuple([settingsInputSchema]),
  testConnection: z.tuple([neo4jConnectionInputSchema]),
} satisfies Record<keyof RepographApi, z.ZodMiniType>;

export type ApiMethod = keyof RepographApi;
export const API_METHODS = Object.keys(apiArgumentSchemas) as ApiMethod[];

/** What the renderer sees as `window.repograph`. */
export interface RepographBridge {
  api: RepographApi;
  /** Subscribe to engine events; returns the unsubscribe function. */
  onEvent(listener: (events: EngineEvent[]) => void): () => void;
}
