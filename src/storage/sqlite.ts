// Opening SQLite files the same way everywhere: WAL so workers and the coordinator write
// concurrently, and a busy timeout so a writer waits for another instead of failing.
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

/** How long a statement waits for another connection's write lock before it fails. */
export const BUSY_TIMEOUT_MS = 60_000;

export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const db = new Database(path, { readonly: options.readonly ?? false });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only a power loss can drop the last commits).
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~40 MiB of WAL, not the default 4 MiB: B-tree pages written again and
    // again by batch after batch are copied into the database once per checkpoint instead of
    // many times (a third less time inserting Go's symbols, a quarter less for its edges).
    db.pragma('wal_autocheckpoint = 10000');
  }
  // Node ids are hashes, so inserts land all over the B-trees: a larger page cache (16 MiB, not the 2 MiB default) keeps more of them in memory.
  db.pragma('cache_size = -16384');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Runs `fn` over `items` in slices, for statements with a bounded number of parameters. */
export function inChunks<T>(items: readonly T[], size: number, fn: (chunk: readonly T[]) => void): void {
  for (let i = 0; i < items.length; i += size) fn(items.slice(i, i + size));
}

/**
 * Rows per INSERT statement of a `RowInserter`. Each run of a statement costs a call from
 * JavaScript into better-sqlite3 and a start of SQLite's program, however many rows it holds.
 * Inserting half of django's edges (14.5k) took 80 ms of CPU one row per run and 46 ms with 32
 * rows per run. The embedded store's writes of half of django's nodes and edges went from
 * 121-130 to 88-114 ms (medians of 7 rounds).
 */
const ROWS_PER_STATEMENT = 32;

/**
 * One INSERT for many rows: `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ... <tail>`, run
 * ROWS_PER_STATEMENT rows at a time and the rest one by one. SQLite inserts the rows of one
 * statement in order, each as if alone: a row that conflicts with one before it in the same
 * statement takes the `ON CONFLICT` clause of `tail`, as it would in the next statement.
 */
export class RowInserter {
  private readonly many: SqliteStatement;
  private readonly one: SqliteStatement;
  /** The parameters of one `many` run, refilled for each. */
  private readonly values: unknown[];

  constructor(
    db: SqliteDatabase,
    /** `INSERT INTO t (a, b)`: the column list holds `width` names. */
    head: string,
    private readonly width: number,
    /** What follows the VALUES: an `ON CONFLICT` clause, or ''. */
    tail = '',
  ) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    this.many = db.prepare(`${head} VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => row).join(', ')} ${tail}`);
    this.one = db.prepare(`${head} VALUES ${row} ${tail}`);
    this.values = new Array<unknown>(width * ROWS_PER_STATEMENT);
  }

  /** Inserts one row per item, its `width` values in column order. */
  run<T>(items: readonly T[], valuesOf: (item: T) => readonly unknown[]): void {
    const { width, values } = this;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= items.length; i += ROWS_PER_STATEMENT) {
      for (let row = 0; row < ROWS_PER_STATEMENT; row++) {
        const rowValues = valuesOf(items[i + row]!);
        for (let column = 0; column < width; column++) values[row * width + column] = rowValues[column];
      }
      this.many.run(values);
    }
    for (; i < items.length; i++) this.one.run(valuesOf(items[i]!));
  }
}
