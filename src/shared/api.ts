// The app API: one contract, exposed by the Electron preload and served by the browser host.
// The renderer cannot tell the two apart. Inputs are validated on the serving side.
import * as z from 'zod';
import type { EngineEvent } from './events.js';
import type { GraphStats, ProjectSummary, SessionDetail } from './session.js';
import type { Settings } from './settings.js';

const absolutePath = z.string().min(1).max(4096);

export const targetChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }),
  z.object({ kind: z.literal('neo4j'), connectionName: z.string().min(1).max(200) }),
]);

export const neo4jConnectionInputSchema = z.object({
  name: z.string().min(1).max(200),
  uri: z.string().regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'a bolt://, neo4j:// or neo4j+s:// URI'),
  username: z.string().min(1).max(200),
  database: z.string().max(200),
  /** Omitted: keep the stored password. */
  password: z.string().max(1000).optional(),
});
export type Neo4jConnectionInput = z.infer<typeof neo4jConnectionInputSchema>;

export const settingsInputSchema = z.object({
  workers: z.number().int().min(1).max(64),
  maxFilesPerWorkUnit: z.number().int().min(1).max(1_000_000),
  targetFilesPerWorkUnit: z.number().int().min(1).max(1_000_000),
  batchSize: z.number().int().min(1).max(100_000),
  embeddedBatchSize: z.number().int().min(1).max(1_000_000),
  maxFileBytes: z.number().int().min(1).max(1024 * 1024 * 1024),
  maxAttempts: z.number().int().min(1).max(10),
  unitTimeoutMs: z.number().int().min(1000),
  extraIgnore: z.array(z.string().max(1000)).max(1000),
  neo4jConnections: z.array(neo4jConnectionInputSchema).max(100),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

export const startParseSchema = z.object({
  root: absolutePath,
  target: targetChoiceSchema,
  fresh: z.boolean().optional(),
});
export type StartParseRequest = z.infer<typeof startParseSchema>;

export const sessionIdSchema = z.string().min(1).max(100);
export const projectIdSchema = z.string().min(1).max(200);

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
} satisfies Record<keyof RepographApi, z.ZodTypeAny>;

export type ApiMethod = keyof RepographApi;
export const API_METHODS = Object.keys(apiArgumentSchemas) as ApiMethod[];

/** What the renderer sees as `window.repograph`. */
export interface RepographBridge {
  api: RepographApi;
  /** Subscribe to engine events; returns the unsubscribe function. */
  onEvent(listener: (events: EngineEvent[]) => void): () => void;
}
