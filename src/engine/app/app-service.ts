// The engine behind the app API (src/shared/api.ts), for the Electron main process and the
// browser host alike. Secrets stay here: the renderer only learns whether a password is stored.
import type { ConnectionInfo, Neo4jConnectionInput, RepographApi, SettingsInput, StartParseRequest } from '../../shared/api.js';
import { RepographError } from '../../shared/errors.js';
import type { EngineEvent } from '../../shared/events.js';
import type { GraphStats, ProjectSummary, SessionDetail, TargetConfig } from '../../shared/session.js';
import type { Settings } from '../../shared/settings.js';
import { testNeo4jConnection } from '../../storage/neo4j-connection.js';
import { Engine } from '../engine.js';
import { collectGraphStats } from '../graph-stats.js';
import type { WorkerHost } from '../pool/worker-host.js';
import { saveSettings } from '../settings-store.js';
import type { SecretStore } from './secret-store.js';

export interface AppHost {
  kind: 'electron' | 'browser';
  pickFolder: () => Promise<string | null>;
  version?: string;
}

export interface AppService {
  api: RepographApi;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  close(): Promise<void>;
  engine: Engine;
}

const secretName = (connectionName: string): string => `neo4j:${connectionName}`;

export function createAppService(options: { dataDir: string; workerHost: WorkerHost; secrets: SecretStore; host: AppHost; settings?: Settings }): AppService {
  const engine = new Engine({ dataDir: options.dataDir, workerHost: options.workerHost, settings: options.settings });
  const { secrets, host } = options;

  const neo4jTarget = async (connectionName: string): Promise<TargetConfig> => {
    const connection = engine.settings.neo4jConnections.find((c) => c.name === connectionName);
    if (!connection) throw new RepographError('INVALID_INPUT', `No Neo4j connection named '${connectionName}': add it in Settings.`);
    return { kind: 'neo4j', uri: connection.uri, username: connection.username, database: connection.database, password: await secrets.get(secretName(connection.name)) };
  };

  /** The stored password of the saved connection that matches a session's target, if any. */
  const passwordFor = async (projectId: string): Promise<string | undefined> => {
    const session = engine.state.latestSession(projectId);
    if (!session || session.target !== 'neo4j') return undefined;
    const stored = JSON.parse(session.target_config) as Extract<TargetConfig, { kind: 'neo4j' }>;
    const connection = engine.settings.neo4jConnections.find((c) => c.uri === stored.uri && c.username === stored.username && c.database === stored.database);
    return connection ? secrets.get(secretName(connection.name)) : undefined;
  };

  const api: RepographApi = {
    pickFolder: () => host.pickFolder(),
    hostInfo: async () => ({ kind: host.kind, nativeFolderPicker: host.kind === 'electron', version: host.version ?? '0.0.0' }),
    async listProjects(): Promise<ProjectSummary[]> {
      return engine.state.projects().map((project) => {
        const latest = engine.state.latestSession(project.id);
        return { ...project, lastSession: latest ? engine.state.summary(latest) : null };
      });
    },
    async startParse(request: StartParseRequest) {
      const target = request.target.kind === 'neo4j' ? await neo4jTarget(request.target.connectionName) : undefined;
      const session = await engine.parse({ root: request.root, target, fresh: request.fresh });
      void session.done;
      return { sessionId: session.sessionId };
    },
    async resume(sessionId: string) {
      const row = engine.state.session(sessionId);
      if (!row) throw new RepographError('SESSION_NOT_FOUND', `No session ${sessionId}: it may have been replaced by a newer parse.`);
      const session = await engine.resume({ sessionId, neo4jPassword: await passwordFor(row.project_id) });
      void session.done;
      return { sessionId: session.sessionId };
    },
    async cancel(sessionId: string) {
      engine.runningSession(sessionId)?.cancel();
    },
    async getSession(sessionId: string): Promise<SessionDetail> {
      const row = engine.state.session(sessionId);
      if (!row) throw new RepographError('SESSION_NOT_FOUND', `No session ${sessionId}.`);
      const project = engine.state.project(row.project_id);
      return { ...engine.state.summary(row), root: project?.root ?? '', units: engine.state.units(sessionId) };
    },
    async getGraphStats(projectId: string): Promise<GraphStats> {
      if (!engine.state.project(projectId)) throw new RepographError('PROJECT_NOT_FOUND', `No project ${projectId}.`);
      const target = await engine.openTargetFor(projectId, await passwordFor(projectId));
      try {
        return await collectGraphStats(engine.state, target, projectId);
      } finally {
        await target.close();
      }
    },
    async getSettings(): Promise<Settings> {
      return publicSettings(engine.settings);
    },
    async saveSettings(input: SettingsInput): Promise<Settings> {
      const connections = [];
      for (const connection of input.neo4jConnections) {
        if (connection.password) await secrets.set(secretName(connection.name), connection.password);
        const hasPassword = (await secrets.get(secretName(connection.name))) !== undefined;
        connections.push({ name: connection.name, uri: connection.uri, username: connection.username, database: connection.database, hasPassword });
      }
      for (const old of engine.settings.neo4jConnections) {
        if (!connections.some((c) => c.name === old.name)) await secrets.delete(secretName(old.name));
      }
      Object.assign(engine.settings, { ...input, neo4jConnections: connections });
      saveSettings(engine.layout.settings, engine.settings);
      return publicSettings(engine.settings);
    },
    async testConnection(connection: Neo4jConnectionInput): Promise<ConnectionInfo> {
      const password = connection.password || (await secrets.get(secretName(connection.name)));
      return testNeo4jConnection({ uri: connection.uri, username: connection.username, database: connection.database, password });
    },
  };

  return {
    api,
    engine,
    subscribe: (listener) => engine.subscribe(listener),
    close: () => engine.close(),
  };
}

function publicSettings(settings: Settings): Settings {
  return { ...settings, neo4jConnections: settings.neo4jConnections.map((c) => ({ ...c })) };
}
