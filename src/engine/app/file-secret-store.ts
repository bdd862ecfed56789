// Secrets in one JSON file readable by its owner only (mode 0600). The codec lets the
// Electron app encrypt each value with safeStorage while sharing the file handling.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretStore } from './secret-store.js';

/** Turns a secret into what is stored and back; the default stores it as given. */
export interface SecretCodec {
  encode(value: string): string;
  decode(stored: string): string;
}

const plainCodec: SecretCodec = { encode: (value) => value, decode: (stored) => stored };

export function createFileSecretStore(filePath: string, codec: SecretCodec = plainCodec): SecretStore {
  // Writes are chained so two concurrent set() calls cannot lose one another's secret.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  // A Map, not an object, so a secret named "__proto__" is just a name.
  const readAll = async (): Promise<Map<string, string>> => {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      }
    } catch {
      // fall through to the error below
    }
    throw new Error(`The secret file ${filePath} is not valid JSON: delete it and enter the Neo4j passwords again in Settings.`);
  };

  const writeAll = async (secrets: Map<string, string>): Promise<void> => {
    await mkdir(dirname(filePath), { recursive: true });
    const temporary = `${filePath}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(secrets)), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, filePath);
  };

  return {
    async get(name) {
      await queue;
      const stored = (await readAll()).get(name);
      return stored === undefined ? undefined : codec.decode(stored);
    },
    set(name, value) {
      return serialized(async () => {
        const secrets = await readAll();
        secrets.set(name, codec.encode(value));
        await writeAll(secrets);
      });
    },
    delete(name) {
      return serialized(async () => {
        const secrets = await readAll();
        if (!secrets.delete(name)) return;
        await writeAll(secrets);
      });
    },
  };
}
