import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ProjectSummary } from '../../../shared/session.js';
import { RESUMABLE_STAGES } from '../../../shared/session.js';
import { api } from '../api/bridge.js';
import { errorMessage, formatCount, formatTime } from '../format.js';
import { useNavigation } from '../navigation.js';
import { useHostInfo, useProjects, useSettings } from '../queries.js';
import { startOverTarget, targetChoice, useResume, useStartParse } from '../run-actions.js';
import { stoppedRunSummary } from './resume-banner.js';
import { TargetSelect } from './target-select.js';

export function ProjectsScreen() {
  const [target, setTarget] = useState('embedded');
  return (
    <div className="screen">
      <h1>Projects</h1>
      <ParseFolderForm target={target} onTargetChange={setTarget} />
      <RecentProjects target={target} />
    </div>
  );
}

function ParseFolderForm({ target, onTargetChange }: { target: string; onTargetChange(value: string): void }) {
  const hostInfo = useHostInfo();
  const settings = useSettings();
  const startParse = useStartParse();
  const [path, setPath] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  const nativePicker = hostInfo.data?.nativeFolderPicker ?? false;

  async function pick(): Promise<void> {
    setPickError(null);
    try {
      const chosen = await api.pickFolder();
      if (chosen) setPath(chosen);
    } catch (error) {
      setPickError(errorMessage(error));
    }
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    startParse.mutate({ root: path.trim(), target: targetChoice(target) });
  }

  const error = pickError ?? (startParse.error ? errorMessage(startParse.error) : null);
  return (
    <section className="panel" aria-labelledby="parse-heading">
      <h2 id="parse-heading">Parse a folder…</h2>
      <form className="parse-form" onSubmit={submit}>
        <label className="field grow">
          <span>Folder</span>
          <span className="row">
            <input
              data-testid="folder-path-input"
              aria-label="Absolute path of the folder to parse"
              type="text"
              placeholder={nativePicker ? 'Choose a folder or type its absolute path' : 'Absolute path on the host, e.g. /home/me/code/app'}
              value={path}
              spellCheck={false}
              onChange={(e) => setPath(e.target.value)}
            />
            {nativePicker ? (
              <button type="button" data-testid="pick-folder" aria-label="Choose a folder" onClick={() => void pick()}>
                Choose…
              </button>
            ) : null}
          </span>
        </label>
        <TargetSelect settings={settings.data} value={target} onChange={onTargetChange} />
        <button
          type="submit"
          className="primary"
          data-testid="start-parse"
          aria-label="Start parsing the folder"
          disabled={path.trim() === '' || startParse.isPending}
        >
          {startParse.isPending ? 'Starting…' : 'Start'}
        </button>
      </form>
      {error ? (
        <p className="error-text" role="alert" data-testid="start-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function RecentProjects({ target }: { target: string }) {
  const projects = useProjects();
  return (
    <section className="panel" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent projects</h2>
      {projects.isPending ? <p className="muted">Loading…</p> : null}
      {projects.error ? <p className="error-text">{errorMessage(projects.error)}</p> : null}
      {projects.data && projects.data.length === 0 ? <p className="muted">No projects yet: parse a folder above.</p> : null}
      <ul className="project-list">
        {(projects.data ?? []).map((project) => (
          <ProjectCard key={project.id} project={project} target={target} />
        ))}
      </ul>
    </section>
  );
}

function ProjectCard({ project, target }: { project: ProjectSummary; target: string }) {
  const go = useNavigation((nav) => nav.go);
  const settings = useSettings();
  const resume = useResume();
  const startParse = useStartParse();
  const [localError, setLocalError] = useState<string | null>(null);
  const session = project.lastSession;
  const resumable = session !== null && RESUMABLE_STAGES.includes(session.stage);
  const busy = resume.isPending || startParse.isPending;
  const error = localError ?? (resume.error ? errorMessage(resume.error) : startParse.error ? errorMessage(startParse.error) : null);

  function startOver(): void {
    setLocalError(null);
    try {
      startParse.mutate({ root: project.root, target: startOverTarget(project, settings.data, targetChoice(target)), fresh: true });
    } catch (e) {
      setLocalError(errorMessage(e));
    }
  }

  return (
    <li className="project-card" data-testid="project-card" aria-label={`Project ${project.name}`}>
      <div className="project-head">
        <div>
          <h3>{project.name}</h3>
          <div className="muted mono">{project.root}</div>
        </div>
        <div className="project-meta">
          <span className="badge">{project.target === 'neo4j' ? 'Neo4j' : 'Embedded'}</span>
          {session ? (
            <span className={`badge stage-${session.stage}`} data-testid="project-stage">
              {session.stage}
            </span>
          ) : (
            <span className="badge">never run</span>
          )}
        </div>
      </div>
      {session ? (
        <div className="muted">
          Last run {formatTime(session.updatedAt)}: {formatCount(session.counters.filesDone)} of {formatCount(session.counters.filesTotal)} files,{' '}
          {formatCount(session.counters.nodes)} nodes, {formatCount(session.counters.edges)} edges
          {session.resumes > 0 ? `, resumed ${session.resumes}×` : ''}
        </div>
      ) : null}
      {resumable && session ? (
        <div className="inline-banner" role="status">
          <span>
            Stopped: {stoppedRunSummary(session)}.{session.error ? ` ${session.error}` : ''}
          </span>
          <span className="row">
            <button data-testid="project-resume-button" className="primary" aria-label={`Resume ${project.name}`} disabled={busy} onClick={() => resume.mutate(session.id)}>
              Resume
            </button>
            <button data-testid="project-start-over-button" aria-label={`Start ${project.name} over`} disabled={busy} onClick={startOver}>
              Start over
            </button>
          </span>
        </div>
      ) : null}
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      <div className="row">
        {session ? (
          <button aria-label={`Open the last run of ${project.name}`} onClick={() => go({ screen: 'run', sessionId: session.id })}>
            Open run
          </button>
        ) : null}
        <button
          aria-label={`Results of ${project.name}`}
          data-testid="open-results"
          onClick={() => go({ screen: 'results', projectId: project.id, sessionId: session?.id ?? null })}
        >
          Results
        </button>
      </div>
    </li>
  );
}
