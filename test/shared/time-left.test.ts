import { describe, expect, it } from 'vitest';
import { secondsLeft } from '../../src/shared/time-left.js';

describe('secondsLeft', () => {
  it('follows files parsed while files are left to parse, though none is written yet', () => {
    // Go's source with 2 workers, 4 s in: 800 of 4922 files parsed, none written.
    expect(secondsLeft({ filesTotal: 4922, filesParsed: 800, filesFinished: 0 }, { parsed: 200, finished: 0 })).toBeCloseTo(4122 / 200);
  });

  it('follows files written once everything is parsed', () => {
    expect(secondsLeft({ filesTotal: 1000, filesParsed: 1000, filesFinished: 600 }, { parsed: 250, finished: 100 })).toBeCloseTo(4);
    // No write seen yet: the parse rate is the only measure there is.
    expect(secondsLeft({ filesTotal: 1000, filesParsed: 1000, filesFinished: 0 }, { parsed: 250, finished: 0 })).toBeCloseTo(4);
  });

  it('is zero when every file is finished, and unknown without a rate', () => {
    expect(secondsLeft({ filesTotal: 10, filesParsed: 10, filesFinished: 10 }, { parsed: 0, finished: 0 })).toBe(0);
    expect(secondsLeft({ filesTotal: 10, filesParsed: 3, filesFinished: 0 }, { parsed: 0, finished: 0 })).toBeNull();
    // A parsed count behind the finished one (an older engine sends none) counts as the finished one.
    expect(secondsLeft({ filesTotal: 100, filesParsed: 0, filesFinished: 40 }, { parsed: 10, finished: 10 })).toBeCloseTo(6);
  });
});
