import { useMemo, useState } from 'react';
import type { GraphStats, ProjectSummary } from '../../../shared/session.js';
import type { Settings } from '../../../shared/settings.js';
import { errorMessage, formatCount } from '../format.js';
import { useGraphStats, useProjects, useSettings } from '../queries.js';
import { BarChart } from './bar-chart.js';

/** The query a user pastes into Neo4j Browser to see this project's graph. */
export function projectCypher(projectId: string): string {
  const quoted = projectId.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `MATCH (n:NODE {repoId: '${quoted}'}) RETURN n LIMIT 100`;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}

export function ResultsScreen({ projectId }: { projectId: string }) {
  const stats = useGraphStats(projectId);
  const projects = useProjects();
  const settings = useSettings();
  const project = projects.data?.find((p) => p.id === projectId);

  return (
    <div className="screen">
      <div className="screen-head">
        <div>
          <h1>Results{project ? `: ${project.name}` : ''}</h1>
          {project ? <div className="muted mono">{project.root}</div> : null}
        </div>
      </div>
      {stats.isPending ? <p className="muted">Loading graph statistics…</p> : null}
      {stats.error ? <p className="error-text" role="alert">{errorMessage(stats.error)}</p> : null}
      {stats.data ? <ResultsView stats={stats.data} project={project} settings={settings.data} /> : null}
    </div>
  );
}

function ResultsView({ stats, project, settings }: { stats: GraphStats; project: ProjectSummary | undefined; settings: Settings | undefined }) {
  return (
    <>
      <section className="panel" aria-label="Totals">
        <dl className="stat-grid">
          <div className="stat">
            <dt>Nodes</dt>
            <dd data-testid="results-total-nodes">{sum(stats.nodesByLabel)}</dd>
          </div>
          <div className="stat">
            <dt>Edges</dt>
            <dd data-testid="results-total-edges">{sum(stats.edgesByType)}</dd>
          </div>
          <div className="stat">
            <dt>Files parsed</dt>
            <dd data-testid="results-files-parsed">{stats.files.parsed}</dd>
          </div>
          <div className="stat">
            <dt>Skipped</dt>
            <dd data-testid="results-files-skipped">{stats.files.skipped}</dd>
          </div>
          <div className="stat">
            <dt>Failed</dt>
            <dd data-testid="results-files-failed">{stats.files.failed}</dd>
          </div>
        </dl>
      </section>
      {project?.target === 'neo4j' ? <Neo4jAccess projectId={stats.projectId} settings={settings} /> : null}
      <div className="chart-columns">
        <section className="panel">
          <BarChart title="Nodes per label" counts={stats.nodesByLabel} testIdPrefix="results-nodes" />
        </section>
        <section className="panel">
          <BarChart title="Edges per type" counts={stats.edgesByType} testIdPrefix="results-edges" />
        </section>
        <section className="panel">
          <BarChart title="Files per language" counts={stats.languages} testIdPrefix="results-language" />
        </section>
        <section className="panel">
          <BarChart title="References by resolution" counts={stats.referencesByResolution} testIdPrefix="results-refs" />
          <dl className="stat-grid compact">
            <div className="stat">
              <dt>Unresolved</dt>
              <dd data-testid="results-unresolved">{stats.unresolvedReferences}</dd>
            </div>
            <div className="stat">
              <dt>External</dt>
              <dd data-testid="results-external">{stats.externalReferences}</dd>
            </div>
          </dl>
        </section>
      </div>
      <TopReferenced stats={stats} />
      <FileOutcomes stats={stats} />
    </>
  );
}

function Neo4jAccess({ projectId, settings }: { projectId: string; settings: Settings | undefined }) {
  const connections = settings?.neo4jConnections ?? [];
  const [chosen, setChosen] = useState(0);
  const [copied, setCopied] = useState<string | null>(null);
  const connection = connections[chosen];
  const cypher = projectCypher(projectId);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(cypher);
      setCopied('Copied.');
    } catch {
      setCopied('The clipboard is not available here: select the query and copy it.');
    }
  }

  return (
    <section className="panel" aria-labelledby="neo4j-heading">
      <h2 id="neo4j-heading">Open in Neo4j Browser</h2>
      {connections.length > 1 ? (
        <label className="field">
          <span>Connection</span>
          <select aria-label="Neo4j connection" value={chosen} onChange={(e) => setChosen(Number(e.target.value))}>
            {connections.map((c, i) => (
              <option key={c.name} value={i}>{c.name}</option>
            ))}
          </select>
        </label>
      ) : null}
      {connection ? (
        <p>
          Server <span className="mono">{connection.uri}</span>, database{' '}
          <strong className="mono" data-testid="results-neo4j-database">{connection.database || '(default)'}</strong>
        </p>
      ) : (
        <p className="muted">No Neo4j connection is saved any more; the graph stays in the database it was written to.</p>
      )}
      <div className="row">
        <code className="cypher" data-testid="results-cypher" tabIndex={0} aria-label="Cypher query for this project">
          {cypher}
        </code>
        <button aria-label="Copy the Cypher query" data-testid="copy-cypher" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {copied ? <p className="muted" role="status">{copied}</p> : null}
    </section>
  );
}

function TopReferenced({ stats }: { stats: GraphStats }) {
  if (stats.topReferenced.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="top-heading">
      <h2 id="top-heading">Most referenced definitions</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Label</th>
            <th>File</th>
            <th className="num">References</th>
          </tr>
        </thead>
        <tbody>
          {stats.topReferenced.map((def) => (
            <tr key={def.node_id}>
              <td className="mono" title={def.qualified_name}>{def.qualified_name || def.name}</td>
              <td>{def.label}</td>
              <td className="mono ellipsis">{def.file_path}</td>
              <td className="num">{formatCount(def.references)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type OutcomeFilter = 'all' | 'skipped' | 'failed';

function FileOutcomes({ stats }: { stats: GraphStats }) {
  const [kind, setKind] = useState<OutcomeFilter>('all');
  const [text, setText] = useState('');
  const rows = useMemo(() => {
    const all = [
      ...stats.failed.map((f) => ({ ...f, outcome: 'failed' as const })),
      ...stats.skipped.map((f) => ({ ...f, outcome: 'skipped' as const })),
    ];
    const needle = text.trim().toLowerCase();
    return all.filter(
      (f) => (kind === 'all' || f.outcome === kind) && (needle === '' || f.path.toLowerCase().includes(needle) || f.reason.toLowerCase().includes(needle)),
    );
  }, [stats, kind, text]);

  return (
    <section className="panel" aria-labelledby="files-heading">
      <div className="panel-head">
        <h2 id="files-heading">Files not parsed</h2>
        <div className="row">
          <select aria-label="Show skipped or failed files" value={kind} onChange={(e) => setKind(e.target.value as OutcomeFilter)}>
            <option value="all">Skipped and failed</option>
            <option value="failed">Failed ({stats.failed.length})</option>
            <option value="skipped">Skipped ({stats.skipped.length})</option>
          </select>
          <input type="search" aria-label="Filter files by path or reason" placeholder="Filter by path or reason" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      </div>
      {rows.length === 0 ? <p className="muted">No files match.</p> : null}
      <ul className="file-list" data-testid="results-file-list">
        {rows.slice(0, 1000).map((f) => (
          <li key={`${f.outcome}:${f.path}`}>
            <span className={`pill pill-${f.outcome === 'failed' ? 'failed' : 'pending'}`}>{f.outcome}</span>{' '}
            <span className="mono">{f.path}</span> <span className="muted">{f.reason}</span>
          </li>
        ))}
      </ul>
      {rows.length > 1000 ? <p className="muted">Showing 1,000 of {formatCount(rows.length)}: narrow the filter.</p> : null}
    </section>
  );
}
