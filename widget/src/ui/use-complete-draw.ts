// Short conversations are drawn completely (every row in the DOM, so screen-reader
// users can browse them with the virtual cursor). When many rows arrive at once (a
// resumed chat's history, a page of older messages) the first draw holds the rows
// around the viewport and the rest follow a task later: drawing and laying out all
// of them in the task that received them is a long task on a slow phone. The rest is
// drawn as a transition: React renders it in slices of a few milliseconds, a task each
// (an update from a timer would render in one task), and only its commit is one.
import { startTransition, useEffect, useReducer, useRef } from 'react';

/** Up to this many new rows at once (live messages) are drawn completely right away. */
const liveStep = 8;

/** Whether the list may draw all `count` rows now (always false over `limit`). */
export function useCompleteDraw(count: number, limit: number): boolean {
  const drawn = useRef(0);
  const [, drawRest] = useReducer((x: number) => x + 1, 0);
  const complete = count <= limit && count - drawn.current <= liveStep;
  if (complete) drawn.current = count;
  useEffect(() => {
    if (complete || count > limit) return;
    const timer = setTimeout(() => {
      drawn.current = count;
      startTransition(drawRest);
    }, 0);
    return () => clearTimeout(timer);
  }, [complete, count, limit]);
  return complete;
}
