import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/react-virtual';
import { afterEach, describe, expect, it } from 'vitest';
import { remeasurePrevious, stickyRange, takeWindowAtEnd } from './use-log-virtualizer.ts';

/** A virtualiser of `count` rows estimated at 40 px, without a scroll element (not observed). */
function rowsOf40px(count: number, options: { overscan?: number } = {}): Virtualizer<HTMLDivElement, HTMLDivElement> {
  return new Virtualizer<HTMLDivElement, HTMLDivElement>({
    count,
    estimateSize: () => 40,
    getScrollElement: () => null,
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
  });
}

const range = (startIndex: number, endIndex: number, count: number, overscan = 8) => ({ startIndex, endIndex, count, overscan });
const bounds = (indexes: number[]) => [indexes[0], indexes.at(-1), indexes.length];

describe('stickyRange', () => {
  it('draws the visible rows and the overscan on each side, within the list', () => {
    const extract = stickyRange();
    expect(bounds(extract(range(50, 60, 100)))).toEqual([42, 68, 27]);
    expect(bounds(stickyRange()(range(2, 12, 14)))).toEqual([0, 13, 14]);
  });

  it('keeps the drawn rows while a new message at the bottom is followed by one row', () => {
    const extract = stickyRange();
    expect(bounds(extract(range(90, 99, 100)))).toEqual([82, 99, 18]);
    // The new row 100 arrives below the visible ones: drawn with the window it extends.
    expect(bounds(extract(range(90, 99, 101)))).toEqual([82, 100, 19]);
    // Scrolled to it: row 82 would leave a fresh window; the drawn one still holds the view.
    expect(bounds(extract(range(91, 100, 101)))).toEqual([82, 100, 19]);
  });

  it('moves the window once the visible rows come within half the overscan of its edge', () => {
    const extract = stickyRange();
    extract(range(50, 60, 200));
    expect(bounds(extract(range(52, 62, 200)))).toEqual([42, 68, 27]);
    expect(bounds(extract(range(56, 66, 200)))).toEqual([48, 74, 27]);
  });

  it('does not grow the window beyond a fresh one plus the overscan', () => {
    const extract = stickyRange();
    extract(range(90, 99, 100));
    let indexes: number[] = [];
    for (let count = 101; count <= 120; count += 1) {
      extract(range(count - 11, count - 2, count));
      indexes = extract(range(count - 10, count - 1, count));
    }
    expect(indexes.length).toBeLessThanOrEqual(18 + 8);
    expect(indexes.at(-1)).toBe(119);
    expect(indexes[0]).toBeLessThanOrEqual(110 - 8);
  });

  it('starts afresh when the list got shorter than the rows drawn', () => {
    const extract = stickyRange();
    extract(range(90, 99, 100));
    expect(bounds(extract(range(0, 4, 5)))).toEqual([0, 4, 5]);
  });
});

describe('takeWindowAtEnd', () => {
  /** 100 rows of 40 px, not observed yet (no scroll element): the virtualiser at offset 0. */
  const list = () => rowsOf40px(100, { overscan: 0 });

  it('puts the window at the last rows that fill the viewport', () => {
    const instance = list();
    instance.scrollRect = { width: 300, height: 400 };
    expect(takeWindowAtEnd(instance)).toBe(true);
    expect(instance.scrollOffset).toBe(100 * 40 - 400);
    expect(instance.getVirtualIndexes()).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });

  it('waits for a viewport, and never moves a window that is at the end already', () => {
    const instance = list();
    expect(takeWindowAtEnd(instance)).toBe(false);
    expect(instance.scrollOffset ?? 0).toBe(0);
    instance.scrollRect = { width: 300, height: 400 };
    instance.scrollOffset = 3700; // past the end (rows measured smaller than their estimate since)
    expect(takeWindowAtEnd(instance)).toBe(true);
    expect(instance.scrollOffset).toBe(3700);
  });
});

describe('remeasurePrevious', () => {
  afterEach(() => document.body.replaceChildren());

  /** Three rows estimated at 40 px, without a scroll element (jsdom has no layout), laid out as a render would. */
  const list = () => {
    const instance = rowsOf40px(3);
    instance.getTotalSize();
    return instance;
  };

  /** Where each row starts, as the next render lays the rows out. */
  const starts = (instance: Virtualizer<HTMLDivElement, HTMLDivElement>) => {
    instance.getTotalSize();
    return instance.measurementsCache.map((item) => item.start);
  };

  /** A drawn row whose layout height is whatever `height` holds when it is read. */
  function row(index: number, height: { px: number }): HTMLDivElement {
    const element = document.createElement('div');
    element.dataset.index = String(index);
    Object.defineProperty(element, 'offsetHeight', { get: () => height.px });
    document.body.append(element);
    return element;
  }

  it('takes the new height of the row before a new one, so the new one starts where it ends', () => {
    const instance = list();
    const first = { px: 64 };
    instance.measureElement(row(0, first));
    expect(starts(instance)[1]).toBe(64);
    // The next message joins the first one's group: the first one no longer shows its time.
    first.px = 44;
    const second = row(1, { px: 44 });
    instance.measureElement(second);
    expect(starts(instance)[1]).toBe(64); // measured once: its size is cached
    remeasurePrevious(instance, second);
    expect(starts(instance)[1]).toBe(44);
    expect(starts(instance)[2]).toBe(88);
  });

  it('leaves the first row, a row not drawn and a row without layout alone', () => {
    const instance = list();
    remeasurePrevious(instance, row(0, { px: 50 }));
    expect(instance.getTotalSize()).toBe(120);
    remeasurePrevious(instance, row(2, { px: 50 })); // row 1 is not drawn
    expect(instance.getTotalSize()).toBe(120);
    const hidden = { px: 50 };
    instance.measureElement(row(0, hidden));
    hidden.px = 0; // a hidden frame: no layout, so no size to take
    remeasurePrevious(instance, row(1, { px: 50 }));
    expect(starts(instance)[1]).toBe(50);
  });
});
