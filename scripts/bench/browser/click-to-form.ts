// Launcher click → usable form: a plain tap with the default settings (the idle prefetch
// has run), a click after a 300 ms hover, and a cold tap without any prefetch; interleaved
// runs, each in a fresh browser context (empty HTTP cache).
import { DESKTOP, PHONE, formUsableAt, hostUrl, launcherPoint, newContext, probeOf, settle, tap } from './page.ts';

export const RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 7);
/** How long a finger rests on the screen in a quick tap (touchstart → touchend). */
export const TAP_HOLD_MS = 80;
export const HOVER_MS = 300;

export interface ClickRun {
  /** click event → usable form */
  fromClick: number;
  /** touchstart (or hover start) → usable form */
  fromFirstSignal: number;
}

export type ClickVariant = 'tap, default settings' | 'click after a 300 ms hover' | 'cold tap, no prefetch';

async function clickRun(variant: ClickVariant): Promise<ClickRun> {
  const touch = variant !== 'click after a 300 ms hover';
  const context = await newContext({ touch });
  try {
    const page = await context.newPage();
    await page.goto(hostUrl(variant === 'cold tap, no prefetch' ? 'intent' : undefined), { waitUntil: 'load' });
    await settle(page, 1000);
    const point = launcherPoint(touch ? PHONE : DESKTOP);
    let firstSignal: number;
    if (touch) {
      await tap(await context.newCDPSession(page), point, TAP_HOLD_MS);
      firstSignal = (await probeOf(page)).touchStarts[0] ?? NaN;
    } else {
      firstSignal = await page.evaluate(() => performance.timeOrigin + performance.now());
      await page.mouse.move(point.x, point.y);
      await page.waitForTimeout(HOVER_MS);
      await page.mouse.down();
      await page.mouse.up();
    }
    const usable = await formUsableAt(page);
    const click = (await probeOf(page)).clicks[0] ?? NaN;
    return { fromClick: usable - click, fromFirstSignal: usable - firstSignal };
  } finally {
    await context.close();
  }
}

export async function measureClicks(): Promise<Map<ClickVariant, ClickRun[]>> {
  const variants: ClickVariant[] = ['tap, default settings', 'click after a 300 ms hover', 'cold tap, no prefetch'];
  const runs = new Map<ClickVariant, ClickRun[]>(variants.map((v) => [v, []]));
  // One warm-up round (Chromium's own first-use costs), then interleaved rounds.
  for (const variant of variants) await clickRun(variant);
  for (let round = 0; round < RUNS; round += 1) {
    for (const variant of variants) runs.get(variant)!.push(await clickRun(variant));
  }
  return runs;
}
