// The ETA of a run, shared by the CLI and the app so both say the same.
//
// A unit writes nothing until all its files are parsed, so written files alone give no rate
// for the whole parse of the first units (10 s on Go's source, with 2 workers) and then come
// in bursts. Parsing is most of a file's cost, so the estimate follows files parsed while any
// are left to parse, and files written for the writes that remain after that.

export interface RunProgress {
  filesTotal: number;
  /** Files through the parser: written, failed, or parsed and waiting to be written. */
  filesParsed: number;
  /** Files finished: written or failed. */
  filesFinished: number;
}

/** Files per second, measured over the same window. */
export interface RunRates {
  parsed: number;
  finished: number;
}

/** Seconds left, or null while there is no rate to go by. */
export function secondsLeft(progress: RunProgress, rates: RunRates): number | null {
  const toFinish = progress.filesTotal - progress.filesFinished;
  if (toFinish <= 0) return 0;
  const toParse = progress.filesTotal - Math.max(progress.filesParsed, progress.filesFinished);
  if (toParse > 0) return rates.parsed > 0 ? toParse / rates.parsed : null;
  // Everything is parsed: what is left is writing, at the rate writes have been going.
  const rate = rates.finished > 0 ? rates.finished : rates.parsed;
  return rate > 0 ? toFinish / rate : null;
}
