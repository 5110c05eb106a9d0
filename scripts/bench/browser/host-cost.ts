// What the widget costs the host page before intent (JS it runs, bytes fetched at idle,
// main-thread time), and the bytes to a usable form and to a connected chat.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from '@playwright/test';
import { DESKTOP, formUsableAt, hostUrl, launcherPoint, mainThreadSessions, metric, newContext, probeOf, settle, stack, waitForWidgetFrame } from './page.ts';

export interface HostCost {
  hostJsBytes: number;
  idleBytes: number;
  idleUrls: string[];
  mainThreadMs: number;
  longTaskMs: number;
}

/** Before any intent: load the page, wait for the idle prefetch to finish, add up what it cost. */
export async function hostCost(prefetch?: string): Promise<HostCost> {
  const context = await newContext({ touch: false });
  try {
    const page = await context.newPage();
    const scripts = new Map<string, Promise<number>>();
    const idle = new Map<string, Promise<number>>();
    context.on('response', (response) => {
      const url = response.url();
      if (!url.startsWith(stack.origins.widget) || response.status() !== 200) return;
      const size = response.body().then(
        (body) => gzipSync(body, { level: 9 }).length,
        () => 0,
      );
      const runsOnHost = response.frame() === page.mainFrame() && response.request().resourceType() === 'script';
      (runsOnHost ? scripts : idle).set(url, size);
    });
    const sessions = await mainThreadSessions(page);
    await page.goto(hostUrl(prefetch), { waitUntil: 'load' });
    await settle(page, 1500);
    const mainThreadMs = await metric(sessions, 'TaskDuration');
    const longTaskMs = (await probeOf(page)).longTasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0);
    return {
      hostJsBytes: (await Promise.all(scripts.values())).reduce((a, b) => a + b, 0),
      idleBytes: (await Promise.all(idle.values())).reduce((a, b) => a + b, 0),
      idleUrls: [...idle.keys()].map((u) => u.slice(stack.origins.widget.length)),
      mainThreadMs,
      longTaskMs,
    };
  } finally {
    await context.close();
  }
}

/** gzip -9 size of every distinct widget-origin response seen, by the time `until` resolves. */
async function recordWidgetBytes(context: BrowserContext): Promise<{ total: () => Promise<number>; urls: () => string[] }> {
  const sizes = new Map<string, Promise<number>>();
  context.on('response', (response) => {
    const url = response.url();
    if (!url.startsWith(stack.origins.widget) || sizes.has(url) || response.status() !== 200) return;
    sizes.set(
      url,
      response.body().then(
        (body) => gzipSync(body, { level: 9 }).length,
        () => 0,
      ),
    );
  });
  return {
    total: async () => (await Promise.all(sizes.values())).reduce((a, b) => a + b, 0),
    urls: () => [...sizes.keys()].map((u) => u.slice(stack.origins.widget.length)),
  };
}

/** A new page of `context` on the host page, its launcher clicked with the mouse. */
async function clickLauncher(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(hostUrl(), { waitUntil: 'load' });
  const point = launcherPoint(DESKTOP);
  await page.mouse.move(point.x, point.y);
  await page.mouse.down();
  await page.mouse.up();
  return page;
}

export async function bytesToConnected(): Promise<{ formBytes: number; formUrls: string[]; connectedBytes: number; connectedUrls: string[] }> {
  const context = await newContext({ touch: false });
  try {
    const recorder = await recordWidgetBytes(context);
    const page = await clickLauncher(context);
    await formUsableAt(page);
    const formBytes = await recorder.total();
    const formUrls = recorder.urls();
    await startChatFromOpenForm(page);
    await settle(page, 500);
    return { formBytes, formUrls, connectedBytes: await recorder.total(), connectedUrls: recorder.urls() };
  } finally {
    await context.close();
  }
}

/** A script of the widget app's own (its chunks), not the form shell's boot script. */
const isAppScript = (url: URL) => url.origin === stack.origins.widget && url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js') && !/\/shell-boot-[\w-]+\.js$/.test(url.pathname);

/**
 * What the usable form depends on: the launcher is clicked with every script of the widget
 * app withheld (only the loader, the document, its stylesheet and the shell's boot script
 * arrive); the bytes by the time a field has focus. Null: no form without the app (no shell).
 */
export async function bytesFormNeeds(): Promise<{ bytes: number; urls: string[] } | null> {
  const context = await newContext({ touch: false });
  try {
    await context.route(isAppScript, (route) => route.abort());
    const recorder = await recordWidgetBytes(context);
    const page = await clickLauncher(context);
    try {
      await formUsableAt(page);
    } catch {
      return null;
    }
    return { bytes: await recorder.total(), urls: recorder.urls() };
  } finally {
    await context.close();
  }
}

async function startChatFromOpenForm(page: Page): Promise<void> {
  const frame = await waitForWidgetFrame(page);
  const form = frame.getByRole('form', { name: 'Pre-chat form' });
  await form.getByLabel('Name', { exact: true }).fill('Bench Visitor');
  await form.getByLabel('Email', { exact: true }).fill(`bench+${randomUUID().slice(0, 8)}@example.com`);
  await form.getByLabel('How can we help?', { exact: true }).fill('A question from the benchmark');
  await form.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('log', { name: 'Messages' }).waitFor({ timeout: 30_000 });
}
