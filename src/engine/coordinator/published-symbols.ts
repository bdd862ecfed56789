// The symbols running units sent before writing them (the worker's `symbols` message). Once
// every unit has started and each one still running has sent its own, the coordinator knows
// every definition of the repo, and what references other units left open resolve as they
// will in the final pass: the last units' writes and that resolution then share the cores.
import { compareStrings } from '../../shared/order.js';
import type { SymbolRecord } from '../../shared/resolution.js';

export type SymbolsByName = (names: readonly string[]) => ReadonlyMap<string, readonly SymbolRecord[]>;

export class PublishedSymbols {
  private readonly running = new Set<number>();
  private readonly byUnit = new Map<number, readonly SymbolRecord[]>();
  private broken = false;
  private anyEnded = false;

  /**
   * @param tableStartedEmpty The symbol table held none of the project's symbols when this run
   *   began: until a unit ends, whatever it holds then was sent by a running unit (see `withStored`).
   */
  constructor(private readonly tableStartedEmpty = false) {}

  started(unitId: number): void {
    this.running.add(unitId);
    this.byUnit.delete(unitId);
  }

  published(unitId: number, symbols: readonly SymbolRecord[]): void {
    if (this.running.has(unitId)) this.byUnit.set(unitId, symbols);
  }

  /**
   * An attempt ended. One that did not complete may be retried without a file that killed its
   * worker, with other symbols than it sent: whatever was resolved against them is void.
   */
  ended(unitId: number, completed: boolean): void {
    this.anyEnded = true;
    this.running.delete(unitId);
    this.byUnit.delete(unitId);
    if (!completed) this.broken = true;
  }

  /** False once an attempt ended without completing (see `ended`). */
  get trustworthy(): boolean {
    return !this.broken;
  }

  /** True when no unit waits to start and every running one has sent its symbols. */
  complete(unitsLeft: number): boolean {
    if (this.broken || unitsLeft !== this.running.size) return false;
    for (const unitId of this.running) if (!this.byUnit.has(unitId)) return false;
    return true;
  }

  /**
   * Lookups by name over the symbol table (`stored`) and the symbols sent now: each name's
   * symbols once each, in node_id order, as the table alone gives them once the units are done.
   */
  withStored(stored: SymbolsByName): SymbolsByName {
    const sent = new Map<string, SymbolRecord[]>();
    for (const symbols of this.byUnit.values()) {
      for (const symbol of symbols) {
        const list = sent.get(symbol.name);
        if (list) list.push(symbol);
        else sent.set(symbol.name, [symbol]);
      }
    }
    // A fresh parse whose units all run at once (no unit ended yet, none done before this run):
    // the table holds only what these units sent, so it is not asked at all. Its lookups were
    // the largest part of the pass on django (~100 ms of the coordinator's CPU, beside the
    // workers' writes).
    if (this.tableStartedEmpty && !this.anyEnded) {
      for (const list of sent.values()) list.sort((a, b) => compareStrings(a.nodeId, b.nodeId));
      return (names) => {
        const found = new Map<string, readonly SymbolRecord[]>();
        for (const name of names) {
          const list = sent.get(name);
          if (list) found.set(name, list);
        }
        return found;
      };
    }
    return (names) => {
      const found = stored(names);
      const merged = new Map<string, readonly SymbolRecord[]>(found);
      for (const name of names) {
        const extra = sent.get(name);
        if (!extra) continue;
        const byId = new Map<string, SymbolRecord>();
        for (const symbol of found.get(name) ?? []) byId.set(symbol.nodeId, symbol);
        for (const symbol of extra) if (!byId.has(symbol.nodeId)) byId.set(symbol.nodeId, symbol);
        merged.set(name, [...byId.values()].sort((a, b) => compareStrings(a.nodeId, b.nodeId)));
      }
      return merged;
    };
  }
}
