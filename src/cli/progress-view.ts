// Live terminal progress for `repograph parse`: a line per running unit and an overall bar
// with files/s and ETA. Redrawn in place on a terminal; plain periodic lines otherwise.
import { filesParsedOf, type EngineEvent, type ResolveProgress, type ScanProgress } from '../shared/events.js';
import { secondsLeft } from '../shared/time-left.js';

interface UnitLine {
  path: string;
  filesDone: number;
  /** Parsed, not yet written: a unit writes only once all its files are parsed. */
  filesParsed: number;
  /** Known once the unit ends (or from an earlier attempt): failed files count as finished. */
  filesFailed: number;
  filesTotal: number;
  running: boolean;
}

export class ProgressView {
  private units = new Map<number, UnitLine>();
  private filesTotal = 0;
  private filesAtStart = 0;
  private parsedAtStart = 0;
  private stage = 'scanning';
  private scan: ScanProgress | null = null;
  private resolve: ResolveProgress | null = null;
  private startedAt = Date.now();
  private lastDrawn = 0;
  private drawnLines = 0;
  private doneByUnit = new Map<number, number>();
  /** What the last plain line said (see `plainState`): `finish` does not print it again. */
  private lastPlainState = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'session.stage':
        this.stage = event.stage;
        this.draw(true);
        return;
      case 'scan.progress':
        this.scan = { entriesSeen: event.entriesSeen, filesFound: event.filesFound };
        break;
      case 'resolve.progress':
        this.resolve = { referencesDone: event.referencesDone, referencesTotal: event.referencesTotal };
        break;
      case 'session.plan':
        this.filesTotal = event.filesTotal;
        for (const unit of event.units) {
          this.units.set(unit.id, { path: unit.path, filesDone: unit.filesDone, filesParsed: unit.filesDone, filesFailed: unit.filesFailed, filesTotal: unit.filesTotal, running: false });
          this.doneByUnit.set(unit.id, unit.filesDone);
        }
        this.filesAtStart = this.filesDone();
        this.parsedAtStart = this.filesThroughParser();
        break;
      case 'unit.started': {
        const line = { path: event.unit.path, filesDone: event.unit.filesDone, filesParsed: event.unit.filesDone, filesFailed: event.unit.filesFailed, filesTotal: event.unit.filesTotal, running: true };
        this.units.set(event.unit.id, line);
        this.doneByUnit.set(event.unit.id, event.unit.filesDone);
        if (this.filesTotal === 0) this.filesTotal = [...this.units.values()].reduce((sum, unit) => sum + unit.filesTotal, 0);
        break;
      }
      case 'unit.progress': {
        const line = this.units.get(event.unitId);
        if (line) {
          line.filesDone = event.filesDone;
          line.filesParsed = filesParsedOf(event);
        }
        this.doneByUnit.set(event.unitId, event.filesDone);
        break;
      }
      case 'unit.completed':
      case 'unit.failed': {
        const line = this.units.get(event.unit.id);
        if (line) {
          line.running = false;
          line.filesDone = event.unit.filesDone;
          line.filesParsed = event.unit.filesDone;
          line.filesFailed = event.unit.filesFailed;
        }
        this.doneByUnit.set(event.unit.id, event.unit.filesDone);
        if (!this.tty && event.type === 'unit.failed') this.out.write(`unit ${event.unit.path} failed: ${event.unit.error}\n`);
        break;
      }
      default:
        break;
    }
    this.draw(false);
  }

  /** Files parsed by running units but not yet written. */
  private parsedAhead(): number {
    let ahead = 0;
    for (const unit of this.units.values()) if (unit.running) ahead += Math.max(0, unit.filesParsed - unit.filesDone);
    return ahead;
  }

  /** Files through the parser in all units: written, failed, or parsed and waiting to be written. */
  private filesThroughParser(): number {
    let parsed = 0;
    for (const unit of this.units.values()) parsed += Math.max(unit.filesParsed, unit.filesDone + unit.filesFailed);
    return parsed;
  }

  private filesFailed(): number {
    let failed = 0;
    for (const unit of this.units.values()) failed += unit.filesFailed;
    return failed;
  }

  private filesDone(): number {
    let done = 0;
    for (const value of this.doneByUnit.values()) done += value;
    return done;
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDrawn < (this.tty ? 100 : 2000)) return;
    this.lastDrawn = now;
    const done = this.filesDone();
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const finishedRate = (done - this.filesAtStart) / seconds;
    const parsing = this.parsedAhead();
    const parsed = this.filesThroughParser();
    const parsedRate = (parsed - this.parsedAtStart) / seconds;
    // A unit writes only once all its files are parsed: files written alone would read 0 files/s
    // through the whole parse of the first units.
    const rate = Math.max(finishedRate, parsedRate);
    // No total before the plan: nothing to estimate yet.
    const left = this.filesTotal === 0 ? null : secondsLeft(
      { filesTotal: this.filesTotal, filesParsed: parsed, filesFinished: done + this.filesFailed() },
      { parsed: parsedRate, finished: finishedRate },
    );
    const eta = left === null ? '?' : `${Math.ceil(left)}s`;
    const fraction = this.filesTotal > 0 ? done / this.filesTotal : 0;
    const width = 30;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
    const overall =
      this.stage === 'scanning' && this.scan
        ? `scanning: ${this.scan.entriesSeen} entries read, ${this.scan.filesFound} code files found`
        : this.stage === 'resolving' && this.resolve
          ? `[${bar}] ${done}/${this.filesTotal} files  linking references across units: ${this.resolve.referencesDone} of ${this.resolve.referencesTotal}`
          : `[${bar}] ${done}/${this.filesTotal} files${parsing > 0 ? ` (+${parsing} parsed)` : ''}  ${rate.toFixed(0)} files/s  ETA ${eta}  ${this.stage}`;
    if (!this.tty) {
      this.lastPlainState = this.plainState();
      this.out.write(overall + '\n');
      return;
    }
    const lines = [...this.units.values()]
      .filter((unit) => unit.running)
      .map((unit) => {
        const state =
          unit.filesParsed <= unit.filesDone
            ? `${unit.filesDone}/${unit.filesTotal}`
            : unit.filesParsed < unit.filesTotal
              ? `parsing ${unit.filesParsed}/${unit.filesTotal}`
              : `writing ${unit.filesDone}/${unit.filesTotal}`;
        return `  ${unit.path.padEnd(40).slice(0, 40)} ${state}`;
      });
    lines.push(overall);
    let text = '';
    if (this.drawnLines > 0) text += `\x1b[${this.drawnLines}F\x1b[0J`;
    text += lines.join('\n') + '\n';
    this.out.write(text);
    this.drawnLines = lines.length;
  }

  finish(): void {
    // A log (not a terminal) already has the last stage's line when nothing moved since.
    if (!this.tty && this.lastPlainState === this.plainState()) return;
    this.draw(true);
  }

  /** The counts a plain line is drawn from; not the clock, which alone moves its rate and time left. */
  private plainState(): string {
    return [this.stage, this.filesTotal, this.filesDone(), this.filesThroughParser(), this.filesFailed(), this.scan?.entriesSeen, this.resolve?.referencesDone].join(' ');
  }
}
