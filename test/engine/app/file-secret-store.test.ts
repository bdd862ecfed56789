import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../../src/engine/app/file-secret-store.js';

describe('createFileSecretStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'repograph-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, reads and deletes secrets in an owner-only file', async () => {
    const file = join(dir, 'nested', 'secrets.json');
    const store = createFileSecretStore(file);
    expect(await store.get('neo4j:prod')).toBeUndefined();
    await store.set('neo4j:prod', 's3cret');
    await store.set('__proto__', 'odd name');
    expect(await store.get('neo4j:prod')).toBe('s3cret');
    expect(await store.get('__proto__')).toBe('odd name');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    const reopened = createFileSecretStore(file);
    expect(await reopened.get('neo4j:prod')).toBe('s3cret');
    await reopened.delete('neo4j:prod');
    expect(await reopened.get('neo4j:prod')).toBeUndefined();
    expect(await store.get('__proto__')).toBe('odd name');
  });

  it('does not lose concurrent writes', async () => {
    const store = createFileSecretStore(join(dir, 'secrets.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i += 1) expect(await store.get(`k${i}`)).toBe(`v${i}`);
  });

  it('applies the codec to what is written on disk', async () => {
    const file = join(dir, 'secrets.json');
    const store = createFileSecretStore(file, {
      encode: (value) => Buffer.from(value).toString('base64'),
      decode: (stored) => Buffer.from(stored, 'base64').toString(),
    });
    await store.set('pw', 'hunter2');
    expect(await readFile(file, 'utf8')).not.toContain('hunter2');
    expect(await store.get('pw')).toBe('hunter2');
  });

  it('reports a corrupt file with what to do', async () => {
    const file = join(dir, 'secrets.json');
    await writeFile(file, '{not json');
    await expect(createFileSecretStore(file).get('x')).rejects.toThrow(/not valid JSON: delete it/);
  });
});
