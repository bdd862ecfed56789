// The definitions a unit can see without the engine: its files being parsed now and its
// files completed earlier (resume). A candidate is decided here only when its file is one
// of them, so the answer is the one the engine would give later.
import { packageKeyOf, type ReferenceCandidate, type SymbolRecord } from '../../shared/resolution.js';

export type CandidateMatch = { kind: 'found'; nodeIds: string[] } | { kind: 'absent' } | { kind: 'undecided' };

export class UnitSymbols {
  private readonly byFile = new Map<string, Map<string, string[]>>();
  /** The same names per package folder (a Go package is every file directly in its folder). */
  private readonly byPackage = new Map<string, Map<string, string[]>>();

  add(filePath: string, qualifiedName: string | null, nodeId: string | null): void {
    let byName = this.byFile.get(filePath);
    if (!byName) this.byFile.set(filePath, (byName = new Map()));
    if (qualifiedName === null || nodeId === null) return;
    addId(byName, qualifiedName, nodeId);
    const packageKey = packageKeyOf(filePath);
    let inPackage = this.byPackage.get(packageKey);
    if (!inPackage) this.byPackage.set(packageKey, (inPackage = new Map()));
    addId(inPackage, qualifiedName, nodeId);
  }

  addKnown(symbols: readonly SymbolRecord[]): void {
    for (const symbol of symbols) {
      if (symbol.label === 'FILE') this.add(symbol.filePath, null, null);
      else this.add(symbol.filePath, symbol.qualifiedName, symbol.nodeId);
    }
  }

  /** A package candidate (`dir/`) can only be found here: other files of the package may be in other units. */
  match(candidate: ReferenceCandidate): CandidateMatch {
    if (candidate.file === null) return { kind: 'undecided' };
    if (candidate.file.endsWith('/')) {
      const nodeIds = this.byPackage.get(candidate.file)?.get(candidate.qualifiedName);
      return nodeIds ? { kind: 'found', nodeIds: [...nodeIds].sort() } : { kind: 'undecided' };
    }
    const byName = this.byFile.get(candidate.file);
    if (!byName) return { kind: 'undecided' };
    const nodeIds = byName.get(candidate.qualifiedName);
    return nodeIds ? { kind: 'found', nodeIds: [...nodeIds].sort() } : { kind: 'absent' };
  }
}

function addId(byName: Map<string, string[]>, qualifiedName: string, nodeId: string): void {
  const ids = byName.get(qualifiedName);
  if (!ids) byName.set(qualifiedName, [nodeId]);
  else if (!ids.includes(nodeId)) ids.push(nodeId);
}
