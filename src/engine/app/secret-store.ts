// Where secrets (Neo4j passwords) live, by name. The app encrypts them with Electron's
// safeStorage; headless runs keep them in an owner-only file in the data dir.
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
