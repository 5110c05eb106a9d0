// The message log's virtualiser: @tanstack/virtual-core bound to React so that the
// list renders only when the set of rows in the window changes. Row positions and
// the total height are written to the DOM directly. The stock React binding renders
// on every scroll step, on every measured row and when scrolling starts and stops:
// five or six renders of the whole window (and as many forced layouts) for each
// incoming message. Here one message is one render.
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type Range, type VirtualizerOptions } from '@tanstack/react-virtual';
import { useLayoutEffect, useReducer, useState } from 'react';
import { flushSync } from 'react-dom';

type Options = Omit<
  VirtualizerOptions<HTMLDivElement, HTMLDivElement>,
  'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'onChange' | 'rangeExtractor'
> &
  Partial<Pick<VirtualizerOptions<HTMLDivElement, HTMLDivElement>, 'observeElementRect' | 'observeElementOffset'>>;

export type LogVirtualizer = Virtualizer<HTMLDivElement, HTMLDivElement> & {
  /** Ref for the element that holds the rows: its height is the list's total size. */
  containerRef: (node: HTMLDivElement | null) => void;
};

interface DomState {
  container: HTMLDivElement | null;
  size: number | null;
  positions: WeakMap<Element, number>;
  /** The window (first and last index, row count) the last render drew. */
  drawn: string | null;
  measuring: boolean;
  /** Rows were added at the end while the list follows it; not yet taken into a window. */
  followEnd: boolean;
}

/** The rows the list draws (the visible ones and the overscan), as a comparable key. */
function windowOf(instance: Virtualizer<HTMLDivElement, HTMLDivElement>): string {
  const indexes = instance.getVirtualIndexes();
  return `${indexes[0] ?? -1}:${indexes.at(-1) ?? -1}:${indexes.length}:${instance.options.count}`;
}

function place(instance: Virtualizer<HTMLDivElement, HTMLDivElement>, dom: DomState, start: number, element: Element): void {
  const y = start - instance.options.scrollMargin;
  if (dom.positions.get(element) === y) return;
  dom.positions.set(element, y);
  (element as HTMLElement).style.transform = `translateY(${y}px)`;
}

function applyDom(instance: Virtualizer<HTMLDivElement, HTMLDivElement>, dom: DomState): void {
  if (!dom.container) return;
  const size = instance.getTotalSize();
  if (size !== dom.size) {
    dom.size = size;
    dom.container.style.height = `${size}px`;
  }
  for (const item of instance.getVirtualItems()) {
    const element = instance.elementsCache.get(item.key);
    if (element) place(instance, dom, item.start, element);
  }
}

/**
 * The rows to draw: the visible ones and `overscan` more on each side, except that the
 * rows drawn last stay while they still hold the visible ones with half the overscan
 * around them (and are at most `overscan` rows more than a fresh window). Following a new
 * message to the bottom scrolls by one row: without this, the row that leaves the
 * window at the top would render the whole list a second time for that message.
 */
export function stickyRange(): (range: Range) => number[] {
  let drawn: { start: number; end: number } | null = null;
  return (range) => {
    const last = range.count - 1;
    const fresh = { start: Math.max(0, range.startIndex - range.overscan), end: Math.min(last, range.endIndex + range.overscan) };
    const margin = Math.ceil(range.overscan / 2);
    const keep =
      drawn !== null &&
      drawn.end <= last &&
      drawn.start <= Math.max(0, range.startIndex - margin) &&
      drawn.end >= Math.min(last, range.endIndex + margin) &&
      drawn.end - drawn.start <= fresh.end - fresh.start + range.overscan;
    const window = keep && drawn ? drawn : fresh;
    drawn = window;
    return Array.from({ length: window.end - window.start + 1 }, (_, i) => window.start + i);
  };
}

/**
 * A row added after another can change it (a message that ends its author's group loses
 * that when the next one joins the group): measured here, in the layout the new row's
 * measurement already forced, rather than by the ResizeObserver a frame later, which
 * lays the list out a second time. (Row positions are written by the layout effect, after
 * every row of the commit is measured: a write between two measurements would force a
 * layout for each.)
 */
export function remeasurePrevious(instance: Virtualizer<HTMLDivElement, HTMLDivElement>, node: HTMLDivElement): void {
  const index = instance.indexFromElement(node) - 1;
  if (index < 0) return;
  const previous = instance.elementsCache.get(instance.options.getItemKey(index));
  const size = previous instanceof HTMLElement && previous.isConnected ? previous.offsetHeight : 0;
  if (size > 0) instance.resizeItem(index, size);
}

/**
 * Takes the window of rows this render draws at the end of the list: rows were added at
 * the end while the list follows its end, and the caller's layout effect scrolls there.
 * Taken at the offset the list was at, the window would hold rows that scroll then
 * leaves (for a resumed chat's history, its first rows: drawn, measured and dropped at
 * once, then the last ones drawn in a second render).
 */
export function takeWindowAtEnd(instance: Virtualizer<HTMLDivElement, HTMLDivElement>): boolean {
  if (!instance.scrollRect) return false; // not observed yet: no viewport to fill
  const end = Math.max(0, instance.getTotalSize() - instance.scrollRect.height);
  if ((instance.scrollOffset ?? 0) < end) instance.scrollOffset = end;
  return true;
}

/**
 * useVirtualizer for a scrolling element, rendering only when the window of rows changes.
 * `followEnd`: rows were added at the end and the list follows it (takeWindowAtEnd).
 */
export function useLogVirtualizer(options: Options, followEnd = false): LogVirtualizer {
  const rerender = useReducer((x: number) => x + 1, 0)[1];
  const [dom] = useState<DomState>(() => ({ container: null, size: null, positions: new WeakMap(), drawn: null, measuring: false, followEnd: false }));
  const [rangeExtractor] = useState(stickyRange);
  const resolved: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    observeElementRect,
    observeElementOffset,
    ...options,
    rangeExtractor,
    scrollToFn: elementScroll,
    onChange: (instance, sync) => {
      // Rows measured as React attaches them: the layout effect below applies them all at
      // once (each apply walks the whole list's positions when a row near the top changed).
      if (dom.measuring) return;
      applyDom(instance, dom);
      if (windowOf(instance) === dom.drawn) return;
      if (sync) flushSync(rerender);
      else rerender();
    },
  };
  const [instance] = useState(() => {
    const v = new Virtualizer<HTMLDivElement, HTMLDivElement>(resolved);
    const measure = v.measureElement;
    v.measureElement = (node) => {
      dom.measuring = true;
      try {
        measure(node);
        if (node) remeasurePrevious(v, node);
      } finally {
        dom.measuring = false;
      }
    };
    return Object.assign(v, {
      containerRef: (node: HTMLDivElement | null) => {
        dom.container = node;
        dom.size = null;
        if (node) applyDom(v, dom);
      },
    });
  });
  instance.setOptions(resolved);
  // (Before the log is observed there is no viewport: then in the render that follows.)
  if (followEnd) dom.followEnd = true;
  if (dom.followEnd && takeWindowAtEnd(instance)) dom.followEnd = false;
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => {
    instance._willUpdate();
    applyDom(instance, dom);
    // The rows measured in this commit may have changed which rows fit the window.
    if (windowOf(instance) !== dom.drawn) rerender();
  });
  // What this render draws: a later change within the same window needs no render.
  dom.drawn = windowOf(instance);
  return instance;
}
