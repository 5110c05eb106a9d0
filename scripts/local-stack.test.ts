import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebChatInitResponse } from '../contracts/token-service.ts';
import { loadDeploymentConfig } from '../config/load.ts';
import { createLogger } from '../emulator/src/log.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';

// `npm start` runs the emulator, the token service and the widget and demo
// origins in one process: an error escaping any of them takes all four down.
// Ending a chat before the simulated agent accepts it (1 s by default) once did
// exactly that. Here the stack is started as scripts/start.ts starts it, with
// the default accept delay, and chats are ended 0, 100 and 900 ms after init.

const END_AFTER_MS = [0, 100, 900];

let stack: LocalStack;
const deployment = loadDeploymentConfig();
const visitor = { friendlyName: 'Zoë', email: 'zoe@example.com', question: 'Where is my order?' };

beforeAll(async () => {
  const page = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'flexchat-stack-'));
    writeFileSync(join(dir, 'index.html'), `<p>${text}</p>`);
    return dir;
  };
  stack = await startLocalStack({
    host: '127.0.0.1',
    ports: { emulator: 0, tokenService: 0, widget: 0, demo: 0 },
    deployment,
    widgetRoot: page('widget'),
    demoRoot: page('demo'),
    env: { EMULATOR_WEBCHAT_RATE_PER_SECOND: '0' },
    emulatorLog: createLogger('emulator', 'silent'),
    tokenServiceLog: () => undefined,
  });
});
afterAll(() => stack.close());

async function tokenService(path: string, body: unknown): Promise<Response> {
  return fetch(`${stack.urls.tokenService}${path}`, {
    method: 'POST',
    headers: { Origin: deployment.widgetOrigin, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function startChat(): Promise<WebChatInitResponse> {
  const response = await tokenService('/webchat/init', { preEngagementData: visitor });
  expect(response.status).toBe(200);
  return (await response.json()) as WebChatInitResponse;
}

async function taskStatus(conversationSid: string): Promise<string | undefined> {
  const response = await fetch(`${stack.urls.emulator}/agent/conversations/${conversationSid}`);
  return ((await response.json()) as { task: { status: string } | null }).task?.status;
}

async function allOriginsAnswer(): Promise<number[]> {
  return Promise.all(
    [`${stack.urls.emulator}/healthz`, `${stack.urls.tokenService}/healthz`, `${stack.urls.widget}/`, `${stack.urls.demo}/`].map(async (url) => (await fetch(url)).status),
  );
}

describe('the local stack when a chat ends before the agent accepts it', () => {
  it.each(END_AFTER_MS)('ending %i ms after init: every origin keeps answering, no agent joins the closed chat', async (endAfterMs) => {
    const chat = await startChat();
    if (endAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, endAfterMs));
    const response = await tokenService('/webchat/end', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid });
    expect([response.status, await response.json()]).toEqual([200, { state: 'closed' }]);

    // A chat started after it and left open: once the simulated agent has
    // accepted this one, the auto-accept moment of the ended chat has passed
    // too (same delay, earlier start), without the test guessing at time.
    const sentinel = await startChat();
    await expect.poll(() => taskStatus(sentinel.conversationSid), { timeout: 15_000 }).toBe('assigned');

    expect(await allOriginsAnswer()).toEqual([200, 200, 200, 200]);
    const conversation = stack.emulator.model.get(chat.conversationSid);
    expect(conversation.state).toBe('closed');
    const agents = [...conversation.participants.values()].filter((p) => p.role === 'agent');
    const status = await taskStatus(chat.conversationSid);
    if (status === 'canceled') {
      expect(agents).toEqual([]);
    } else {
      // On a busy machine the agent may have accepted just before the end arrived: then the agent joined first.
      expect(status).toBe('completed');
      for (const agent of agents) expect(agent.dateCreated <= conversation.stateUpdatedAt).toBe(true);
    }
    // The stack still starts chats.
    const next = await startChat();
    expect(stack.emulator.model.get(next.conversationSid).state).toBe('active');
  });
});
