// Files/s over the last few minutes, as a hand-drawn SVG line.
import type { ThroughputPoint } from '../live/run-state.js';
import { formatRate } from '../format.js';

const WIDTH = 320;
const HEIGHT = 90;
const SPAN_MS = 3 * 60 * 1000;

export function ThroughputChart({ points }: { points: readonly ThroughputPoint[] }) {
  const last = points[points.length - 1];
  const visible = last ? points.filter((p) => last.at - p.at <= SPAN_MS) : [];
  const first = visible[0];
  const peak = Math.max(1, ...visible.map((p) => p.filesPerSecond));
  const span = first && last ? Math.max(1, last.at - first.at) : 1;
  const coords = visible.map((p) => {
    const x = first ? ((p.at - first.at) / span) * WIDTH : 0;
    const y = HEIGHT - (p.filesPerSecond / peak) * (HEIGHT - 6);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return (
    <figure className="chart" aria-label={`Throughput chart, peak ${formatRate(peak)} files per second`}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} preserveAspectRatio="none" role="img">
        <title>Files per second</title>
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="chart-axis" />
        {coords.length > 1 ? (
          <>
            <polygon points={`0,${HEIGHT} ${coords.join(' ')} ${coords[coords.length - 1]?.split(',')[0] ?? WIDTH},${HEIGHT}`} className="chart-area" />
            <polyline points={coords.join(' ')} className="chart-line" />
          </>
        ) : null}
      </svg>
      <figcaption className="muted">
        files/s, last {visible.length > 1 ? 'few minutes' : 'moments'} · peak {formatRate(peak)}
      </figcaption>
    </figure>
  );
}
