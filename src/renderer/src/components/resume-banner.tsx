// The app-wide banner for the most recent run that stopped before finishing.
import { useState } from 'react';
import type { ProjectSummary, SessionSummary } from '../../../shared/session.js';
import { RESUMABLE_STAGES } from '../../../shared/session.js';
import { errorMessage, formatCount } from '../format.js';
import { useNavigation } from '../navigation.js';
import { useProjects, useSettings } from '../queries.js';
import { startOverTarget, useResume, useStartParse } from '../run-actions.js';

export function resumableProjects(projects: readonly ProjectSummary[]): ProjectSummary[] {
  return projects
    .filter((project) => project.lastSession !== null && RESUMABLE_STAGES.includes(project.lastSession.stage))
    .sort((a, b) => (b.lastSession?.updatedAt ?? 0) - (a.lastSession?.updatedAt ?? 0));
}

export function stoppedRunSummary(session: SessionSummary): string {
  const { filesDone, filesTotal } = session.counters;
  const where = filesTotal > 0 ? ` after ${formatCount(filesDone)} of ${formatCount(filesTotal)} files` : '';
  return `${session.stage}${where}`;
}

export function AppResumeBanner() {
  const projects = useProjects();
  const settings = useSettings();
  const route = useNavigation((nav) => nav.route);
  const resume = useResume();
  const startParse = useStartParse();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [startOverError, setStartOverError] = useState<string | null>(null);

  const candidates = resumableProjects(projects.data ?? []).filter((p) => p.lastSession && !dismissed.has(p.lastSession.id));
  const project = candidates[0];
  const session = project?.lastSession;
  if (!project || !session) return null;
  if (route.screen === 'run' && route.sessionId === session.id) return null;

  const busy = resume.isPending || startParse.isPending;
  const error = startOverError ?? (resume.error ? errorMessage(resume.error) : startParse.error ? errorMessage(startParse.error) : null);

  function startOver(target: ProjectSummary): void {
    setStartOverError(null);
    try {
      startParse.mutate({ root: target.root, target: startOverTarget(target, settings.data, { kind: 'embedded' }), fresh: true });
    } catch (e) {
      setStartOverError(errorMessage(e));
    }
  }

  return (
    <section className="banner banner-warning" data-testid="resume-banner" role="alert" aria-label="Unfinished run">
      <div className="banner-text">
        <strong>The last run of {project.name} stopped: {stoppedRunSummary(session)}.</strong>
        {session.error ? <span className="banner-detail">{session.error}</span> : null}
        <span className="banner-detail">
          Resume finishes only what is missing; Start over parses the whole folder again.
          {candidates.length > 1 ? ` ${candidates.length - 1} more unfinished run(s) are listed under Projects.` : ''}
        </span>
        {error ? <span className="error-text" role="status">{error}</span> : null}
      </div>
      <div className="banner-actions">
        <button data-testid="resume-button" aria-label={`Resume the run of ${project.name}`} className="primary" disabled={busy} onClick={() => resume.mutate(session.id)}>
          Resume
        </button>
        <button data-testid="start-over-button" aria-label={`Start ${project.name} over`} disabled={busy} onClick={() => startOver(project)}>
          Start over
        </button>
        <button aria-label="Dismiss this notice" className="quiet" onClick={() => setDismissed(new Set([...dismissed, session.id]))}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
