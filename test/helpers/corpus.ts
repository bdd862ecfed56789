// Real code from Debian packages (scripts/fetch-corpus.sh), fetched on demand, never committed.
import { execFileSync } from 'node:child_process';
import { repoRoot } from './cli.js';

/** The source folder of a corpus, or null (with the reason printed) when it cannot be fetched outside CI. */
export function corpusPath(name: 'django' | 'go' | 'java' | 'typescript' | 'linux'): string | null {
  const fromEnv = process.env[`REPOGRAPH_CORPUS_${name.toUpperCase()}`];
  if (fromEnv) return fromEnv;
  try {
    const out = execFileSync('bash', ['scripts/fetch-corpus.sh', name], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    const line = out.split('\n').find((l) => l.startsWith(`${name}=`));
    if (line) return line.slice(name.length + 1);
    throw new Error(`fetch-corpus.sh printed no ${name}= line`);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.log(`SKIPPED: the ${name} corpus could not be fetched here (${(error as Error).message.split('\n')[0]})`);
    return null;
  }
}
