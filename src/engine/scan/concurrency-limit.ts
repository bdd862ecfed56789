// Bounds how many file-system operations run at once: a wide tree such as the Linux kernel
// would otherwise open more handles than the process may hold (EMFILE).

/** At most `limit` of the operations passed to `run` are in flight at once. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await operation();
    } finally {
      // The slot passes straight to the next waiter, so `active` stays accurate.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.active--;
    }
  }
}
