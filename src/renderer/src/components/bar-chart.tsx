// Horizontal bar chart: one row per name with an SVG bar, the plain value exposed by test id.

export interface BarChartProps {
  title: string;
  counts: Record<string, number>;
  /** Prefix of each value's data-testid, e.g. `results-nodes` gives `results-nodes-CLASS`. */
  testIdPrefix?: string;
}

export function BarChart({ title, counts, testIdPrefix }: BarChartProps) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const peak = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <figure className="bar-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {entries.length === 0 ? <p className="muted">None</p> : null}
      {entries.map(([name, value]) => (
        <div key={name} className="bar-row">
          <span className="bar-name mono" title={name}>{name}</span>
          <svg className="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect className="bar-track" x="0" y="0" width="100" height="10" rx="1.5" />
            <rect className="bar-fill" x="0" y="0" width={Math.max(0.5, (value / peak) * 100)} height="10" rx="1.5" />
          </svg>
          <span className="bar-value num" data-testid={testIdPrefix ? `${testIdPrefix}-${name}` : undefined} aria-label={`${name}: ${value}`}>
            {value}
          </span>
        </div>
      ))}
    </figure>
  );
}
