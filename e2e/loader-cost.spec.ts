import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { distDir, localOrigins } from '../scripts/local-origins.ts';
import { expect, test } from './kit.ts';

const distWidget = resolve(import.meta.dirname, '..', distDir(), 'widget');

// What a host page pays before a visitor shows intent: loader.js only, although the demo
// config names the launcher per locale (launcher.label {"en", "es"}: the core names it
// in the visitor's language itself, loader/README.md); no API chunk, no chat iframe; at
// idle (prefetch "cache", the default) a script-free page of the widget origin prefetches
// the form's files for the widget frame's cache, and nothing of the widget runs; a second
// copy of the tag changes nothing.
test('nothing heavy before intent; the iframe arrives on first hover; a second loader tag is harmless', async ({ page, demo }) => {
  const pageRequests: string[] = [];
  const prefetchRequests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(localOrigins.widget)) return;
    const path = new URL(request.url()).pathname;
    if (request.frame() === page.mainFrame()) pageRequests.push(path);
    else prefetchRequests.push(`${path} ${request.resourceType()}`);
  });
  await demo.goto();
  await page.waitForLoadState('networkidle');
  expect(pageRequests).toEqual(['/loader.js']);
  await expect(demo.widgetIframe).toHaveCount(0);

  // The prefetch: its page, then the form's chunk, the chunks it imports and its styles, as
  // prefetches (lowest priority, into the cache); no API chunk, no other chunk, no script run.
  const files = readFileSync(resolve(distWidget, 'prefetch.html'), 'utf8');
  const listed = [...files.matchAll(/<link rel="prefetch" href="\.(\/assets\/[\w.-]+)" crossorigin>/g)].map((m) => m[1]!);
  expect(listed.some((path) => /^\/assets\/index-[\w-]+\.js$/.test(path))).toBe(true);
  expect(listed.some((path) => path.endsWith('.css'))).toBe(true);
  expect(prefetchRequests.sort()).toEqual(['/prefetch.html document', ...listed.map((path) => `${path} other`)].sort());
  const prefetchFrame = page.frames().find((frame) => frame.url() === `${localOrigins.widget}/prefetch.html`)!;
  expect(await prefetchFrame.evaluate(() => document.scripts.length)).toBe(0);
  expect(await prefetchFrame.evaluate(() => performance.getEntriesByType('resource').length)).toBe(listed.length);
  await expect(page.locator(`iframe[src="${localOrigins.widget}/prefetch.html"]`)).toBeHidden();
  expect(await page.evaluate(() => window.frames.length)).toBe(0); // in the shadow root: not the page's frames

  await page.evaluate((src) => {
    const again = document.createElement('script');
    again.src = src;
    document.body.append(again);
  }, `${localOrigins.widget}/loader.js`);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('flex-chat')).toHaveCount(1);

  await demo.launcher.hover();
  await expect(demo.widgetIframe).toHaveCount(1);
  await expect(demo.launcher).toHaveAttribute('aria-expanded', 'false');
});

test('prefetch "intent" (here from the inline stub\'s boot): nothing of the widget before intent', async ({ page, demo }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { FlexChat?: ((...args: unknown[]) => void) & { q?: unknown[][] } };
    w.FlexChat = w.FlexChat || Object.assign((...args: unknown[]) => (w.FlexChat!.q = w.FlexChat!.q || []).push(args), {});
    w.FlexChat('boot', { prefetch: 'intent' });
  });
  const widgetRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(localOrigins.widget)) widgetRequests.push(new URL(request.url()).pathname);
  });
  await demo.goto();
  await page.waitForLoadState('networkidle');
  expect(widgetRequests).toEqual(['/loader.js']);
  await expect(page.locator('iframe')).toHaveCount(0);
});

test('commands queued by the inline stub before the loader arrives are replayed in order', async ({ page, demo }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { FlexChat?: ((...args: unknown[]) => void) & { q?: unknown[][] } };
    w.FlexChat = w.FlexChat || Object.assign((...args: unknown[]) => (w.FlexChat!.q = w.FlexChat!.q || []).push(args), {});
    w.FlexChat('open');
    w.FlexChat('close');
    w.FlexChat('toggle');
  });
  await page.goto('/');
  // open, close, toggle: only replayed in that order does the panel end up open.
  await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(demo.widgetIframe).toBeVisible();
});

// A finger's tap: the frame starts at touchstart (pointerover), before the finger lifts
// and long before the click, which then only shows it.
test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 412, height: 915 } });

  test('a touchstart on the launcher starts the frame before the tap ends', async ({ page, demo }) => {
    await demo.goto();
    const box = (await demo.launcher.boundingBox())!;
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
    await expect(demo.widgetIframe).toHaveCount(1);
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'false'); // not shown before the tap
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(demo.widgetIframe).toBeVisible();
  });
});
