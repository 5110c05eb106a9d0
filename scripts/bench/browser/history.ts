// One incoming agent message's main-thread cost with a long history loaded, and long
// tasks on resume and while scrolling through it.
import { randomUUID } from 'node:crypto';
import type { CDPSession, Frame, Page } from '@playwright/test';
import { median } from '../report.ts';
import { type BenchProbe, type FrameScript } from './probes.ts';
import { DESKTOP, agentApi, hostUrl, launcherPoint, mainThreadSessions, newContext, probeOf, waitForWidgetFrame } from './page.ts';

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

/**
 * Starts watching the message log for a row with `text`; the returned function waits for it.
 * Not Playwright's getByText().waitFor(): that polls by walking the text of every row in the
 * frame whose main-thread time is being measured (all of them when a short chat is drawn
 * completely), about 10 ms per message with 100 messages, more than the widget's own work.
 * A MutationObserver looks only at the rows added. A string, not a function (probes.ts says why).
 */
async function shownWatch(frame: Frame, text: string): Promise<() => Promise<void>> {
  const key = JSON.stringify(text);
  await frame.evaluate(`(() => {
    const text = ${key};
    const log = document.querySelector('[role="log"]');
    const watch = { done: false };
    window.__benchShown = window.__benchShown || {};
    window.__benchShown[text] = watch;
    const has = (node) => node.nodeType === 1 && (node.textContent === text || Array.prototype.some.call(node.querySelectorAll('*'), (e) => e.textContent === text));
    watch.promise = new Promise((resolve) => {
      const observer = new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) if (has(node)) { observer.disconnect(); watch.done = true; resolve(); return; }
      });
      observer.observe(log, { childList: true, subtree: true });
    });
  })()`);
  return async () => {
    const arrived = frame.evaluate(`window.__benchShown[${key}].promise.then(() => true)`);
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000));
    if (!(await Promise.race([arrived, timeout]))) throw new Error(`${text} was not shown within 10 s`);
  };
}

/** Main-thread task time and CPU time (ms) of the sessions, read in one go. */
async function taskAndThreadTime(sessions: CDPSession[]): Promise<{ task: number; thread: number }> {
  let task = 0;
  let thread = 0;
  for (const session of sessions) {
    const { metrics } = (await session.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    task += metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
    thread += metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0;
  }
  return { task: task * 1000, thread: thread * 1000 };
}

export interface HistoryResult {
  count: number;
  /** Main-thread ms of one incoming agent message (median), idle time subtracted. */
  messageCostMs: number;
  messageCosts: number[];
  /** The same in main-thread CPU time (Chromium's ThreadTime): what other processes on a loaded machine do not inflate. */
  messageCpuMs: number;
  messageCpuCosts: number[];
  resumeLongTasks: number[];
  /** For each of resumeLongTasks, what ran in it: the longest script of its long animation frame. */
  resumeLongTaskSources: string[];
  scrollLongTasks: number[];
  loadedAll: boolean;
  scrollMs: number;
}

const longTasksBetween = (probe: BenchProbe, from: number, to: number) => probe.longTasks.filter((t) => t.start >= from && t.start <= to);

/** A chunk's name without its content hash ("sdk-twilsock-BqTdEr_a.js" → "sdk-twilsock"). */
const chunkName = (file: string) => file.replace(/-[\w-]{8}\.js$/, '') || '?';

/** What ran in a script: module evaluation, or the event or callback that ran it. */
function describeScript(script: FrameScript): string {
  if (script.invokerType === 'module-script' || script.invokerType === 'classic-script') return `${chunkName(script.file)} evaluated`;
  return `${chunkName(script.file)} from ${script.invoker.replace(/^TimerHandler:/, '')}`;
}

/** What ran in a long task: the longest script of the long animation frame it fell in. */
function longTaskSource(probe: BenchProbe, task: { start: number }): string {
  const frame = probe.longFrames.find((f) => task.start >= f.start - 1 && task.start <= f.end);
  const longest = frame?.scripts.reduce<FrameScript | undefined>((a, b) => (a && a.duration >= b.duration ? a : b), undefined);
  return longest ? describeScript(longest) : 'no script (style, layout, the browser)';
}

/** A chat with `count` earlier messages: resume it, scroll through all of them, then time incoming messages. */
export async function measureHistory(count: number): Promise<HistoryResult> {
  const context = await newContext({ touch: false });
  try {
    const email = `bench+${randomUUID().slice(0, 8)}@example.com`;
    const first = await context.newPage();
    await first.goto(hostUrl(), { waitUntil: 'load' });
    const firstFrame = await startChat(first, email);
    const sid = await conversationOf(email);
    await firstFrame.getByText(/^Hi Bench Visitor/).first().waitFor({ timeout: 30_000 });
    await first.close();

    await postAgentMessages(sid, count, 'history');

    // Resume: the returning visitor's page creates the frame at idle; then the visitor opens it.
    const page = await context.newPage();
    const t0 = await page.evaluate(() => performance.timeOrigin + performance.now()).catch(() => Date.now());
    await page.goto(hostUrl(), { waitUntil: 'load' });
    const frame = await waitForWidgetFrame(page);
    const point = launcherPoint(DESKTOP);
    await page.mouse.move(point.x, point.y);
    await page.mouse.down();
    await page.mouse.up();
    const log = frame.getByRole('log', { name: 'Messages' });
    await frame.getByText(`history ${count - 1}`, { exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    const resumed = await frame.evaluate(() => performance.timeOrigin + performance.now());
    const resumeProbe = await probeOf(frame);
    const resumeTasks = longTasksBetween(resumeProbe, t0, resumed);
    const resumeLongTasks = resumeTasks.map((t) => t.duration);
    const resumeLongTaskSources = resumeTasks.map((t) => longTaskSource(resumeProbe, t));

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
    const scrollLongTasks = longTasksBetween(await probeOf(frame), resumed, scrolled).map((t) => t.duration);
    await log.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await page.waitForTimeout(500);

    // Incoming messages: main-thread time from just before the POST until the message is
    // shown and things are quiet again, minus what the same span costs when idle.
    const sessions = await mainThreadSessions(page);
    const costs: number[] = [];
    const cpuCosts: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const idleStart = await taskAndThreadTime(sessions);
      const idleT0 = Date.now();
      await page.waitForTimeout(400);
      const idleEnd = await taskAndThreadTime(sessions);
      const idleSpan = Date.now() - idleT0;
      const shown = await shownWatch(frame, `live ${i}`);
      const before = await taskAndThreadTime(sessions);
      const start = Date.now();
      await agentApi('POST', `conversations/${sid}/messages`, { body: `live ${i}` });
      await shown();
      await page.waitForTimeout(400);
      const after = await taskAndThreadTime(sessions);
      const span = Date.now() - start;
      costs.push(Math.max(0, after.task - before.task - ((idleEnd.task - idleStart.task) * span) / idleSpan));
      cpuCosts.push(Math.max(0, after.thread - before.thread - ((idleEnd.thread - idleStart.thread) * span) / idleSpan));
    }
    return { count, messageCostMs: median(costs), messageCosts: costs, messageCpuMs: median(cpuCosts), messageCpuCosts: cpuCosts, resumeLongTasks, resumeLongTaskSources, scrollLongTasks, loadedAll, scrollMs };
  } finally {
    await context.close();
  }
}
