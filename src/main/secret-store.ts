// Secrets for the app: each value encrypted with Electron safeStorage (the OS keychain's key)
// in one owner-only file under userData.
import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import { createFileSecretStore } from '../engine/app/file-secret-store.js';
import type { SecretStore } from '../engine/app/secret-store.js';

export function createSafeStorageSecretStore(filePath = join(app.getPath('userData'), 'secrets.json')): SecretStore {
  return createFileSecretStore(filePath, {
    encode(value) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error('This system offers no keychain to encrypt the Neo4j password: unlock or install a keyring (e.g. gnome-keyring), or use the CLI with NEO4J_PASSWORD.');
      }
      return safeStorage.encryptString(value).toString('base64');
    },
    decode(stored) {
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    },
  });
}
