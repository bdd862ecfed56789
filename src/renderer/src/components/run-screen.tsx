import { useEffect } from 'react';
import { RESUMABLE_STAGES } from '../../../shared/session.js';
import type { SessionLiveState } from '../live/run-state.js';
import { etaMs, filesPerSecond, progressFraction, totalFilesDone, totalFilesFailed } from '../live/run-state.js';
import { useRunStore, useSessionLive } from '../live/run-store.js';
import { errorMessage, formatCount, formatDuration, formatRate } from '../format.js';
import { useNavigation } from '../navigation.js';
import { useSessionDetail } from '../queries.js';
import { useCancel, useResume } from '../run-actions.js';
import { useNow } from '../use-now.js';
import { ThroughputChart } from './throughput-chart.js';
import { UnitGrid } from './unit-grid.js';

const ACTIVE_STAGES = ['scanning', 'planned', 'parsing', 'resolving', 'aggregating', 'waiting-for-target'];

export function RunScreen({ sessionId }: { sessionId: string }) {
  const detail = useSessionDetail(sessionId);
  const seed = useRunStore((store) => store.seed);
  const live = useSessionLive(sessionId);

  useEffect(() => {
    if (detail.data) seed(detail.data);
  }, [detail.data, seed]);

  if (detail.error && !live) {
    return (
      <div className="screen">
        <h1>Run</h1>
        <p className="error-text" role="alert">{errorMessage(detail.error)}</p>
      </div>
    );
  }
  if (!live) {
    return (
      <div className="screen">
        <h1>Run</h1>
        <p className="muted">Loading the run…</p>
      </div>
    );
  }
  return <RunView session={live} root={detail.data?.root ?? null} />;
}

function RunView({ session, root }: { session: SessionLiveState; root: string | null }) {
  const go = useNavigation((nav) => nav.go);
  const cancel = useCancel();
  const resume = useResume();
  const active = session.stage === null || ACTIVE_STAGES.includes(session.stage);
  const now = useNow(1000, active);
  const fraction = progressFraction(session);
  const done = totalFilesDone(session);
  const failed = totalFilesFailed(session);
  const rate = filesPerSecond(session);
  const eta = etaMs(session);
  const elapsed = session.startedAt !== null ? (session.finishedAt ?? (active ? now : session.startedAt)) - session.startedAt : null;
  let nodes = 0;
  let edges = 0;
  for (const id of session.unitOrder) {
    nodes += session.units[id]?.nodes ?? 0;
    edges += session.units[id]?.edges ?? 0;
  }
  const resumable = session.stage !== null && RESUMABLE_STAGES.includes(session.stage);
  const actionError = cancel.error ?? resume.error;

  return (
    <div className="screen">
      <div className="screen-head">
        <div>
          <h1>Run</h1>
          {root ? <div className="muted mono">{root}</div> : null}
        </div>
        <div className="row">
          <span className={`badge stage-${session.stage ?? 'unknown'}`} data-testid="session-stage" aria-label="Session stage">
            {session.stage ?? 'starting'}
          </span>
          {active ? (
            <button
              data-testid="cancel-button"
              aria-label="Cancel this run"
              className="danger"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(session.sessionId)}
            >
              {cancel.isPending ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          {resumable ? (
            <button data-testid="run-resume-button" aria-label="Resume this run" className="primary" disabled={resume.isPending} onClick={() => resume.mutate(session.sessionId)}>
              Resume
            </button>
          ) : null}
          {session.projectId ? (
            <button
              data-testid="view-results"
              aria-label="View the results of this project"
              className={session.stage === 'completed' ? 'primary' : ''}
              onClick={() => go({ screen: 'results', projectId: session.projectId ?? '', sessionId: session.sessionId })}
            >
              Results
            </button>
          ) : null}
        </div>
      </div>
      {session.error ? <p className="banner banner-error" role="alert">{session.error}</p> : null}
      {actionError ? <p className="error-text" role="alert">{errorMessage(actionError)}</p> : null}

      <section className="panel run-summary" aria-label="Progress">
        <div className="run-progress-wrap">
          <div
            className="progress"
            role="progressbar"
            data-testid="run-progress"
            aria-label="Files parsed"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
            data-value={fraction.toFixed(4)}
          >
            <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(2)}%` }} />
          </div>
          {session.stage === 'scanning' && session.scan ? (
            <div className="progress-caption" data-testid="scan-progress">
              Scanning the folder: {formatCount(session.scan.entriesSeen)} entries read, {formatCount(session.scan.filesFound)} code files found
            </div>
          ) : session.stage === 'resolving' && session.resolve ? (
            <div className="progress-caption" data-testid="resolve-progress">
              Linking references across units: {formatCount(session.resolve.referencesDone)} of {formatCount(session.resolve.referencesTotal)}
            </div>
          ) : (
            <div className="progress-caption">
              <strong>{Math.floor(fraction * 100)}%</strong> · {formatCount(done)} of {formatCount(session.filesTotal)} files
              {failed > 0 ? ` · ${formatCount(failed)} failed` : ''}
              {session.filesSkipped > 0 ? ` · ${formatCount(session.filesSkipped)} skipped` : ''}
            </div>
          )}
        </div>
        <dl className="stat-grid">
          <Stat label="Files/s" value={formatRate(rate)} testId="run-rate" />
          <Stat label="ETA" value={eta === null ? '—' : formatDuration(eta)} testId="run-eta" />
          <Stat label="Elapsed" value={formatDuration(elapsed)} testId="run-elapsed" />
          <Stat label="Nodes" value={formatCount(nodes)} testId="run-nodes" />
          <Stat label="Edges" value={formatCount(edges)} testId="run-edges" />
        </dl>
        <ThroughputChart points={session.throughput} />
      </section>

      <UnitGrid session={session} />

      {session.fileFailures.length > 0 ? (
        <section className="panel" aria-labelledby="file-failures-heading">
          <h2 id="file-failures-heading">Files that failed in this window</h2>
          <ul className="file-list">
            {session.fileFailures.slice(-50).map((failure) => (
              <li key={`${failure.unitId}:${failure.path}`}>
                <span className="mono">{failure.path}</span> <span className="error-text">{failure.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
