// The one string order of everything Repograph sorts (plans, edges, exports, node ids): by
// UTF-16 code unit, which for the ASCII ids it compares is also SQLite's BINARY collation.
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
