// Entry point of a worker process (utilityProcess in the app, child_process.fork elsewhere).
// It becomes ready once tree-sitter's runtime is up, loads the grammars of the unit it is
// given, parses that unit, then exits.
import { parseCoordinatorMessage, PRELOAD_TARGET_ENV, type UnitAssignment } from '../shared/worker-protocol.js';
import { loadExtractor } from './extraction/extractor.js';
import { runUnit } from './unit-worker.js';
import { connectToCoordinator } from './worker-channel.js';

const channel = connectToCoordinator();
let stopRequested = false;
let started = false;

async function main(): Promise<void> {
  const extractor = await loadExtractor({ grammarDir: process.env.REPOGRAPH_GRAMMAR_DIR, queryDir: process.env.REPOGRAPH_QUERY_DIR, lazy: true });
  const unit = await new Promise<UnitAssignment>((resolve) => {
    channel.onMessage((raw) => {
      let message;
      try {
        message = parseCoordinatorMessage(raw);
      } catch (error) {
        channel.send({ type: 'error', code: 'WORKER_PROTOCOL', message: (error as Error).message });
        return;
      }
      if (message.type === 'stop') {
        stopRequested = true;
        if (!started) void exit(0);
      } else if (!started) {
        started = true;
        resolve(message.unit);
      }
    });
    channel.send({ type: 'ready' });
    // The scan and plan take a while yet: load the Neo4j driver meanwhile, not once the unit
    // has started. A failure here is not this worker's to report: opening the target reports it.
    if (process.env[PRELOAD_TARGET_ENV] === 'neo4j') import('../storage/neo4j-target.js').catch(() => undefined);
  });
  const outcome = await runUnit(unit, {
    extractor,
    send: (message) => channel.send(message),
    flush: () => channel.flush(),
    stopRequested: () => stopRequested,
    committed: async (stats) => {
      channel.send({ type: 'done', stats: { ...stats, peakRssMb: process.resourceUsage().maxRSS / 1024 } });
      // Out of the process before the synchronous checkpoint that follows.
      await channel.flush();
    },
  });
  extractor.dispose();
  if (outcome.kind === 'stopped') channel.send({ type: 'log', level: 'info', msg: 'stopped after the current batch' });
  await exit(0);
}

async function exit(code: number): Promise<never> {
  await channel.flush();
  process.exit(code);
}

// The coordinator is gone (it was killed): stop now; the state store says what is done.
process.on('disconnect', () => process.exit(1));

main().catch(async (error: unknown) => {
  channel.send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  await exit(1);
});
