import { describe, expect, it } from 'vitest';
import { utilityExitReason } from '../../src/main/utility-exit-reason.js';

describe('utilityExitReason', () => {
  it('tells exits apart', () => {
    expect(utilityExitReason(0, undefined, false, '')).toBe('exited');
    expect(utilityExitReason(0, 'clean-exit', false, '')).toBe('exited');
    expect(utilityExitReason(3, undefined, false, '')).toBe('crashed');
    expect(utilityExitReason(3, 'abnormal-exit', false, '')).toBe('crashed');
    expect(utilityExitReason(11, 'crashed', false, '')).toBe('crashed');
    expect(utilityExitReason(9, 'killed', false, '')).toBe('killed');
    expect(utilityExitReason(15, 'crashed', true, '')).toBe('killed');
    expect(utilityExitReason(5, 'oom', false, '')).toBe('oom');
    expect(utilityExitReason(134, 'abnormal-exit', false, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toBe('oom');
  });
});
