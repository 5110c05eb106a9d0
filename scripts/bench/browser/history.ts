// One incoming agent message's main-thread cost with a long history loaded, and long
// tasks on resume and while scrolling through it.
import { randomUUID } from 'node:crypto';
import type { Frame, Page } from '@playwright/test';
import { median } from '../report.ts';
import { type BenchProbe } from './probes.ts';
import { DESKTOP, agentApi, hostOrigin, launcherPoint, mainThreadSessions, metric, newContext, probeOf, waitForWidgetFrame } from './page.ts';

/** Opens the panel (hover and click), fills the form and waits for the chat to connect. */
async function startChat(page: Page, email: string): Promise<Frame> {
  const point = launcherPoint(DESKTOP);
  await page.mouse.move(point.x, point.y);
  await page.mouse.down();
  await page.mouse.up();
  const frame = await waitForWidgetFrame(page);
  const form = frame.getByRole('form', { name: 'Pre-chat form' });
  await form.getByLabel('Name', { exact: true }).fill('Bench Visitor');
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('How can we help?', { exact: true }).fill('A question from the benchmark');
  await form.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('log', { name: 'Messages' }).waitFor({ timeout: 30_000 });
  return frame;
}

async function conversationOf(email: string): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const { conversations } = await agentApi<{ conversations: Array<{ sid: string; attributes: { pre_engagement_data?: { email?: string } } }> }>('GET', 'conversations');
    const found = conversations.find((c) => c.attributes.pre_engagement_data?.email === email);
    if (found) return found.sid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no conversation for ${email}`);
}

async function postAgentMessages(sid: string, count: number, prefix: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        await agentApi('POST', `conversations/${sid}/messages`, { body: `${prefix} ${i}` });
      }
    }),
  );
}

export interface HistoryResult {
  count: number;
  /** Main-thread ms of one incoming agent message (median), idle time subtracted. */
  messageCostMs: number;
  messageCosts: number[];
  resumeLongTasks: number[];
  scrollLongTasks: number[];
  loadedAll: boolean;
  scrollMs: number;
}

const longTasksBetween = (probe: BenchProbe, from: number, to: number) =>
  probe.longTasks.filter((t) => t.start >= from && t.start <= to).map((t) => t.duration);

/** A chat with `count` earlier messages: resume it, scroll through all of them, then time incoming messages. */
export async function measureHistory(count: number): Promise<HistoryResult> {
  const context = await newContext({ touch: false });
  try {
    const email = `bench+${randomUUID().slice(0, 8)}@example.com`;
    const first = await context.newPage();
    await first.goto(`${hostOrigin}/__bench/host`, { waitUntil: 'load' });
    const firstFrame = await startChat(first, email);
    const sid = await conversationOf(email);
    await firstFrame.getByText(/^Hi Bench Visitor/).first().waitFor({ timeout: 30_000 });
    await first.close();

    await postAgentMessages(sid, count, 'history');

    // Resume: the returning visitor's page creates the frame at idle; then the visitor opens it.
    const page = await context.newPage();
    const t0 = await page.evaluate(() => performance.timeOrigin + performance.now()).catch(() => Date.now());
    await page.goto(`${hostOrigin}/__bench/host`, { waitUntil: 'load' });
    const frame = await waitForWidgetFrame(page);
    const point = launcherPoint(DESKTOP);
    await page.mouse.move(point.x, point.y);
    await page.mouse.down();
    await page.mouse.up();
    const log = frame.getByRole('log', { name: 'Messages' });
    await frame.getByText(`history ${count - 1}`, { exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    const resumed = await frame.evaluate(() => performance.timeOrigin + performance.now());
    const resumeLongTasks = longTasksBetween(await probeOf(frame), t0, resumed);

    // Scroll to the top until the first message is there (each time near the top loads a page).
    const scrollStart = Date.now();
    const deadline = scrollStart + 90_000;
    let loadedAll = false;
    while (Date.now() < deadline) {
      if (await frame.getByText('history 0', { exact: true }).count()) {
        loadedAll = true;
        break;
      }
      await log.evaluate((element) => {
        element.scrollTop = 0;
      });
      await page.waitForTimeout(60);
    }
    const scrollMs = Date.now() - scrollStart;
    const scrolled = await frame.evaluate(() => performance.timeOrigin + performance.now());
    const scrollLongTasks = longTasksBetween(await probeOf(frame), resumed, scrolled);
    await log.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await page.waitForTimeout(500);

    // Incoming messages: main-thread time from just before the POST until the message is
    // painted and things are quiet again, minus what the same span costs when idle.
    const sessions = await mainThreadSessions(page);
    const costs: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const idleStart = await metric(sessions, 'TaskDuration');
      const idleT0 = Date.now();
      await page.waitForTimeout(400);
      const idleRate = (await metric(sessions, 'TaskDuration')) - idleStart;
      const idleSpan = Date.now() - idleT0;
      const before = await metric(sessions, 'TaskDuration');
      const start = Date.now();
      await agentApi('POST', `conversations/${sid}/messages`, { body: `live ${i}` });
      await frame.getByText(`live ${i}`, { exact: true }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(400);
      const spent = (await metric(sessions, 'TaskDuration')) - before;
      costs.push(Math.max(0, spent - (idleRate * (Date.now() - start)) / idleSpan));
    }
    return { count, messageCostMs: median(costs), messageCosts: costs, resumeLongTasks, scrollLongTasks, loadedAll, scrollMs };
  } finally {
    await context.close();
  }
}
