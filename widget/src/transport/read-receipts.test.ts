import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readReceipts } from './read-receipts.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** An `advance` that records each index and answers with the next of `results` (ok when none left). */
function transport(results: Array<'ok' | 'fail'> = []) {
  const sent: number[] = [];
  const advance = (index: number) => {
    sent.push(index);
    return results.shift() === 'fail' ? Promise.reject(new Error('offline')) : Promise.resolve();
  };
  return { sent, advance };
}

describe('readReceipts', () => {
  it('sends the first at once, then the newest index read during the gap at its end, never backwards', () => {
    const receipts = readReceipts(2_000);
    const { sent, advance } = transport();
    receipts.mark(3, advance);
    expect(sent).toEqual([3]);
    receipts.mark(4, advance);
    receipts.mark(2, advance);
    receipts.mark(6, advance);
    receipts.mark(5, advance);
    vi.advanceTimersByTime(1_999);
    expect(sent).toEqual([3]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([3, 6]);
    // After a quiet gap the next one goes at once again; an index already sent goes never.
    vi.advanceTimersByTime(5_000);
    receipts.mark(6, advance);
    receipts.mark(7, advance);
    expect(sent).toEqual([3, 6, 7]);
  });

  it('sends the same index again with the next message after a receipt failed', async () => {
    const receipts = readReceipts(2_000);
    const { sent, advance } = transport(['fail']);
    receipts.mark(3, advance);
    await vi.advanceTimersByTimeAsync(2_000);
    receipts.mark(3, advance);
    expect(sent).toEqual([3, 3]);
  });

  it('flush sends the receipt waiting for the end of the gap at once, and only once', () => {
    const receipts = readReceipts(2_000);
    const { sent, advance } = transport();
    receipts.mark(1, advance);
    receipts.mark(9, advance);
    receipts.flush();
    expect(sent).toEqual([1, 9]);
    vi.advanceTimersByTime(10_000);
    receipts.flush();
    expect(sent).toEqual([1, 9]);
  });
});
