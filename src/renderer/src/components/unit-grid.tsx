// The work-unit grid: virtualised so a plan with thousands of units scrolls smoothly.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { UnitStatus } from '../../../shared/session.js';
import { UNIT_STATUSES } from '../../../shared/session.js';
import type { SessionLiveState, UnitLiveState } from '../live/run-state.js';
import { unitElapsedMs } from '../live/run-state.js';
import { formatCount, formatDuration } from '../format.js';
import { useNow } from '../use-now.js';

const ROW_HEIGHT = 34;

export function UnitGrid({ session }: { session: SessionLiveState }) {
  const [filter, setFilter] = useState<UnitStatus | 'all'>('all');
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasRunning = session.unitOrder.some((id) => session.units[id]?.status === 'running');
  const now = useNow(1000, hasRunning);

  const counts = useMemo(() => {
    const byStatus: Record<UnitStatus, number> = { pending: 0, running: 0, retrying: 0, completed: 0, failed: 0 };
    for (const id of session.unitOrder) {
      const unit = session.units[id];
      if (unit) byStatus[unit.status] += 1;
    }
    return byStatus;
  }, [session.units, session.unitOrder]);

  const rows = useMemo(() => {
    const units = session.unitOrder.map((id) => session.units[id]).filter((u): u is UnitLiveState => u !== undefined);
    return filter === 'all' ? units : units.filter((u) => u.status === filter);
  }, [session.units, session.unitOrder, filter]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  return (
    <section className="panel unit-panel" aria-labelledby="units-heading">
      <div className="panel-head">
        <h2 id="units-heading">Work units</h2>
        <div className="filter-group" role="group" aria-label="Show units by status">
          <FilterButton label={`All ${session.unitOrder.length}`} active={filter === 'all'} onClick={() => setFilter('all')} />
          {UNIT_STATUSES.map((status) => (
            <FilterButton key={status} label={`${status} ${counts[status]}`} active={filter === status} onClick={() => setFilter(status)} />
          ))}
        </div>
      </div>
      <div className="unit-grid" role="table" aria-label="Work units" aria-rowcount={rows.length + 1}>
        <div className="unit-row unit-header" role="row">
          <span role="columnheader">#</span>
          <span role="columnheader">Path</span>
          <span role="columnheader">Status</span>
          <span role="columnheader" className="num">Files</span>
          <span role="columnheader" className="num">Nodes</span>
          <span role="columnheader" className="num">Edges</span>
          <span role="columnheader" className="num">Tries</span>
          <span role="columnheader" className="num">Time</span>
          <span role="columnheader">Error</span>
        </div>
        <div className="unit-scroll" ref={scrollRef} tabIndex={0} aria-label="Work unit rows, scrollable">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const unit = rows[item.index];
              if (!unit) return null;
              return (
                <div
                  key={unit.id}
                  className={`unit-row status-${unit.status}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  data-testid="unit-row"
                  data-status={unit.status}
                  data-unit-id={unit.id}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <span role="cell" className="muted">{unit.index + 1}</span>
                  <span role="cell" className="mono ellipsis" title={unit.path}>{unit.path || '.'}</span>
                  <span role="cell"><span className={`pill pill-${unit.status}`}>{unit.status}</span></span>
                  <span role="cell" className="num">
                    <UnitFiles unit={unit} />
                  </span>
                  <span role="cell" className="num">{formatCount(unit.nodes)}</span>
                  <span role="cell" className="num">{formatCount(unit.edges)}</span>
                  <span role="cell" className="num">{unit.attempts}</span>
                  <span role="cell" className="num">{formatDuration(unitElapsedMs(unit, now))}</span>
                  <span role="cell" className="ellipsis error-text" title={unit.error ?? undefined}>
                    {unit.status === 'failed' || unit.status === 'retrying' ? unit.error : ''}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function UnitFiles({ unit }: { unit: UnitLiveState }) {
  const share = (files: number) => `${((unit.filesTotal > 0 ? Math.min(1, files / unit.filesTotal) : 0) * 100).toFixed(1)}%`;
  // A unit parses all its files before it writes any: show that phase too, not a bar stuck at 0.
  const parsing = unit.status === 'running' && unit.filesParsed > unit.filesDone && unit.filesParsed < unit.filesTotal;
  return (
    <span className="unit-files" title={unit.filesFailed > 0 ? `${unit.filesFailed} file(s) failed` : undefined}>
      <span className="mini-bar" aria-hidden="true">
        <span className="parsed" style={{ width: share(unit.filesParsed) }} />
        <span className="written" style={{ width: share(unit.filesDone) }} />
      </span>
      {parsing ? `parsing ${formatCount(unit.filesParsed)}/${formatCount(unit.filesTotal)}` : `${formatCount(unit.filesDone)}/${formatCount(unit.filesTotal)}`}
    </span>
  );
}

function FilterButton({ label, active, onClick }: { label: string; active: boolean; onClick(): void }) {
  return (
    <button className={active ? 'chip active' : 'chip'} aria-pressed={active} onClick={onClick}>
      {label}
    </button>
  );
}
