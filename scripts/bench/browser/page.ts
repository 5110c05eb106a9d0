// `npm run bench:browser`'s stage: the local stack, one Chromium, a host page served by the
// benchmark itself, and what the measurements share (contexts with the probes, the widget
// frame, the launcher, network quiet, CDP metrics, the emulator's agent API).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Frame, type Page } from '@playwright/test';
import { distDir } from '../../local-origins.ts';
import { chromiumLaunchOptions } from '../../../e2e/fixtures/browser.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';
import { probeScript, type BenchProbe } from './probes.ts';

export const PHONE = { width: 412, height: 915 };
export const DESKTOP = { width: 1280, height: 800 };

export let stack: LocalStack;
export let browser: Browser;
/** The host page's origin: another site than the widget's (localhost vs 127.0.0.1), as on
 *  a real site, so Chromium isolates the widget frame and partitions its cache the same way. */
export let hostOrigin: string;

/** The host pages, files the demo origin serves for the run (not route.fulfill: Playwright
 *  turns the HTTP cache off in a context with a route, and the idle prefetch fills that cache). */
const benchPages = resolve(import.meta.dirname, '..', '..', '..', distDir(), 'demo', '__bench');
const PREFETCH_VALUES = ['intent', 'idle', 'cache'] as const;

/** The host page's URL, with the loader's `data-prefetch` set to `prefetch` if given. */
export const hostUrl = (prefetch?: string): string => `${hostOrigin}/__bench/host${prefetch ? `-${prefetch}` : ''}.html`;

/** Starts the local stack and Chromium. */
export async function startBench(): Promise<void> {
  stack = await startLocalStack({ EMULATOR_AGENT_DELAY_MS: '200', EMULATOR_WEBCHAT_RATE_PER_SECOND: '0' });
  hostOrigin = stack.origins.demo.replace('127.0.0.1', 'localhost');
  mkdirSync(benchPages, { recursive: true });
  writeFileSync(resolve(benchPages, 'host.html'), hostPage());
  for (const value of PREFETCH_VALUES) writeFileSync(resolve(benchPages, `host-${value}.html`), hostPage(value));
  const launch = chromiumLaunchOptions();
  // Chromium's Local Network Access check stays out of the figures (a real host page is
  // public and asks once; here every run is a fresh context).
  launch.args = [...(launch.args ?? []), '--disable-features=LocalNetworkAccessChecks'];
  browser = await chromium.launch(launch);
}

export async function stopBench(): Promise<void> {
  await browser.close();
  await stack.stop();
  rmSync(benchPages, { recursive: true, force: true });
}

function hostPage(prefetch?: string): string {
  const attribute = prefetch ? ` data-prefetch="${prefetch}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head>
<body><main><h1>A host page</h1><p>Nothing but the widget's snippet, so every cost measured is the widget's.</p></main>
<script async src="${stack.origins.widget}/loader.js"${attribute}></script></body></html>`;
}

/** A fresh context (empty cache and storage) with the probes; its host page is at hostUrl(). */
export async function newContext(options: { touch: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.touch ? PHONE : DESKTOP, hasTouch: options.touch, deviceScaleFactor: 1 });
  await context.addInitScript(probeScript(stack.origins.widget));
  return context;
}

export const probeOf = (target: Page | Frame) => target.evaluate(() => window.__bench as BenchProbe);

export function widgetFrame(page: Page): Frame | undefined {
  // The widget's document, not the idle prefetch's prefetch.html (loader/src/loader.ts).
  return page.frames().find((frame) => frame.url() === `${stack.origins.widget}/`);
}

export async function waitForWidgetFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 400; i += 1) {
    const frame = widgetFrame(page);
    if (frame) return frame;
    await page.waitForTimeout(25);
  }
  throw new Error('the widget frame never appeared');
}

/** The round launcher's centre: 56 px, offsets 20 px from the bottom right (flexchat.config.json). */
export function launcherPoint(viewport: { width: number; height: number }): { x: number; y: number } {
  return { x: viewport.width - 20 - 28, y: viewport.height - 20 - 28 };
}

/** Waits until the network has been quiet for `quietMs` (idle prefetch done). */
export async function settle(page: Page, quietMs = 500): Promise<void> {
  let inFlight = 0;
  let lastChange = Date.now();
  const up = () => {
    inFlight += 1;
    lastChange = Date.now();
  };
  const down = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastChange = Date.now();
  };
  page.context().on('request', up);
  page.context().on('requestfinished', down);
  page.context().on('requestfailed', down);
  try {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastChange < quietMs)) await page.waitForTimeout(50);
  } finally {
    page.context().off('request', up);
    page.context().off('requestfinished', down);
    page.context().off('requestfailed', down);
  }
}

export async function tap(session: CDPSession, point: { x: number; y: number }, holdMs: number): Promise<void> {
  await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: point.x, y: point.y }] });
  await new Promise((r) => setTimeout(r, holdMs));
  await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

export async function formUsableAt(page: Page): Promise<number> {
  const frame = await waitForWidgetFrame(page);
  const handle = await frame.waitForFunction(() => window.__bench?.formUsableAt ?? null, undefined, { timeout: 20_000, polling: 20 });
  return (await handle.jsonValue()) as number;
}

export async function metric(sessions: CDPSession[], name: string): Promise<number> {
  let sum = 0;
  for (const session of sessions) {
    const { metrics } = (await session.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    sum += metrics.find((m) => m.name === name)?.value ?? 0;
  }
  return sum * 1000;
}

/** CDP sessions covering the page's main thread and, if the widget frame is out of process, its own. */
export async function mainThreadSessions(page: Page): Promise<CDPSession[]> {
  const sessions = [await page.context().newCDPSession(page)];
  const frame = widgetFrame(page);
  if (frame) {
    try {
      sessions.push(await page.context().newCDPSession(frame));
    } catch {
      // same process as the page: its main thread is already covered
    }
  }
  for (const session of sessions) await session.send('Performance.enable');
  return sessions;
}

export async function agentApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.origins.emulator}/agent/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`agent API ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
