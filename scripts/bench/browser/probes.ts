// What the widget benchmark observes from inside the pages, installed in every frame
// before any of its scripts run (Playwright's addInitScript). Times are absolute
// (performance.timeOrigin + now, in ms), so host page and widget frame compare.
//   window.__bench.clicks      host: every click, when the browser created the event
//   window.__bench.touchStarts host: every touchstart/pointerdown
//   window.__bench.formUsableAt widget: a field of the pre-chat form got focus, at the end
//                              of the frame that paints it (what a visitor can type into)
//   window.__bench.longTasks   every frame: long tasks (> 50 ms) seen by this frame
//   window.__bench.longFrames  every frame: long animation frames (Chromium's LoAF entries),
//                              with the scripts that ran in them, to name what made a long task

/** A script that ran in a long animation frame: its file, how it was invoked, for how long (ms). */
export interface FrameScript {
  file: string;
  invoker: string;
  invokerType: string;
  duration: number;
}

export interface BenchProbe {
  clicks: number[];
  touchStarts: number[];
  formUsableAt: number | null;
  longTasks: Array<{ start: number; duration: number }>;
  longFrames: Array<{ start: number; end: number; scripts: FrameScript[] }>;
}

declare global {
  interface Window {
    __bench?: BenchProbe;
  }
}

/** The probes' source for addInitScript. A string, not a function: the TypeScript
 *  loader (tsx) adds helpers to transpiled functions that do not exist in the page. */
export function probeScript(widgetOrigin: string): string {
  return `(() => {
  const probe = { clicks: [], touchStarts: [], formUsableAt: null, longTasks: [], longFrames: [] };
  window.__bench = probe;
  const now = () => performance.timeOrigin + performance.now();
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longFrames.push({
        start: performance.timeOrigin + entry.startTime,
        end: performance.timeOrigin + entry.startTime + entry.duration,
        scripts: entry.scripts.map((s) => ({ file: (s.sourceURL || '').split('/').pop(), invoker: s.invoker, invokerType: s.invokerType, duration: s.duration })),
      });
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  addEventListener('click', (event) => probe.clicks.push(performance.timeOrigin + event.timeStamp), true);
  const touched = (event) => probe.touchStarts.push(performance.timeOrigin + event.timeStamp);
  addEventListener('touchstart', touched, { capture: true, passive: true });
  addEventListener('pointerdown', touched, true);
  if (location.origin !== ${JSON.stringify(widgetOrigin)}) return;
  // The end of the frame that paints the focused field: a task queued from
  // requestAnimationFrame runs right after that frame's rendering.
  document.addEventListener('focusin', (event) => {
    const target = event.target;
    if (probe.formUsableAt !== null || !target || !target.closest || !target.closest('form') || !target.matches('input, textarea, select')) return;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { if (probe.formUsableAt === null) probe.formUsableAt = now(); };
      channel.port2.postMessage(0);
    });
  }, true);
})();`;
}
