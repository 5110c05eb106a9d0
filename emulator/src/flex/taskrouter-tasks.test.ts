import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultCredentials } from '../config.ts';
import { ConversationsModel } from '../conversations/model.ts';
import { HttpError, Router, type HttpResponse } from '../http/http-kit.ts';
import type { Logger } from '../log.ts';
import { SyncStore } from '../sync/sync-store.ts';
import { Routing } from './routing.ts';
import { FINISHED_TASK_TTL_MS, registerTaskRouterTasks } from './taskrouter-tasks.ts';

// TaskRouter's Task resource as the emulator serves it: find a chat's task by
// its conversation, update its attributes, and gone 5 minutes after it finished.

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const auth = `Basic ${Buffer.from(`${defaultCredentials.accountSid}:${defaultCredentials.authToken}`).toString('base64')}`;
const ws = defaultCredentials.taskRouterWorkspaceSid;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-05T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const model = new ConversationsModel(new SyncStore(), defaultCredentials.conversationsServiceSid);
  const routing = new Routing(model, { autoAcceptDelayMs: -1, defaultAgent: { identity: 'agent.alex', friendlyName: 'Alex' }, greeting: () => 'Hi', log: silent });
  const router = new Router();
  registerTaskRouterTasks(router, { credentials: defaultCredentials, routing });
  const call = async (method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResponse> => {
    const url = new URL(`http://emulator${path}`);
    const match = router.match(method, url.pathname);
    if (!match || typeof match === 'string') throw new Error(`no route ${method} ${path}`);
    const rawBody = Buffer.from(form ? new URLSearchParams(form).toString() : '');
    const contentType = form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    try {
      return await match.handler({ method, url, headers: { authorization: auth, ...contentType, ...headers }, params: match.params, rawBody });
    } catch (error) {
      if (error instanceof HttpError) return error.response; // what the server answers
      throw error;
    }
  };
  const chat = () => {
    const conversation = model.createConversation({ friendlyName: 'Chat with Zoë' });
    model.addParticipant(conversation, { identity: 'visitor-1', role: 'customer', friendlyName: 'Zoë' });
    const task = routing.createTask(conversation, { customerName: 'Zoë', conversationSid: conversation.sid });
    return { conversation, task };
  };
  return { model, routing, call, chat, tick: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

describe('TaskRouter tasks', () => {
  it("finds a chat's task by conversationSid and updates its attributes after the chat ended", async () => {
    const { routing, call, chat } = setup();
    const { conversation, task } = chat();
    chat(); // another chat's task is not listed
    routing.accept(task, { identity: 'agent.alex', friendlyName: 'Alex' }, false);
    routing.end(conversation.sid);

    const expression = encodeURIComponent(`conversationSid == "${conversation.sid}"`);
    const list = await call('GET', `/taskrouter/v1/Workspaces/${ws}/Tasks?EvaluateTaskAttributes=${expression}&Ordering=DateCreated:desc`);
    const body = list.body as { tasks: Array<{ sid: string; assignment_status: string; attributes: string }>; meta: { key: string } };
    expect(list.status).toBe(200);
    expect(body.meta.key).toBe('tasks');
    expect(body.tasks.map((t) => [t.sid, t.assignment_status])).toEqual([[task.sid, 'completed']]);
    expect(JSON.parse(body.tasks[0]!.attributes)).toEqual({ customerName: 'Zoë', conversationSid: conversation.sid });

    const attributes = { ...task.attributes, survey: { scale: 'stars', rating: 4 } };
    const updated = await call('POST', `/taskrouter/v1/Workspaces/${ws}/Tasks/${task.sid}`, { Attributes: JSON.stringify(attributes) });
    expect(updated.status).toBe(200);
    expect(JSON.parse((updated.body as { attributes: string }).attributes)).toEqual(attributes);
    expect(routing.tasks.get(task.sid)?.attributes).toEqual(attributes);
  });

  it('a finished task is deleted 5 minutes later: 404, and no longer listed', async () => {
    const { routing, call, chat, tick } = setup();
    const { conversation, task } = chat();
    routing.end(conversation.sid); // ended while waiting: canceled
    expect(task.status).toBe('canceled');
    tick(FINISHED_TASK_TTL_MS - 1);
    expect((await call('GET', `/taskrouter/v1/Workspaces/${ws}/Tasks/${task.sid}`)).status).toBe(200);
    tick(1);
    const gone = await call('POST', `/taskrouter/v1/Workspaces/${ws}/Tasks/${task.sid}`, { Attributes: '{}' });
    expect([gone.status, (gone.body as { code: number }).code]).toEqual([404, 20404]);
    const list = await call('GET', `/taskrouter/v1/Workspaces/${ws}/Tasks`);
    expect((list.body as { tasks: unknown[] }).tasks).toEqual([]);
  });

  it('refuses what it does not emulate, and bad input, with Twilio error JSON', async () => {
    const { call, chat } = setup();
    const { task } = chat();
    const refused = async (response: Promise<HttpResponse>) => {
      const settled = await response;
      return [settled.status, (settled.body as { code: number }).code];
    };
    expect(await refused(call('GET', `/taskrouter/v1/Workspaces/${ws}/Tasks?EvaluateTaskAttributes=${encodeURIComponent('priority > 1')}`))).toEqual([400, 20001]);
    expect(await refused(call('POST', `/taskrouter/v1/Workspaces/${ws}/Tasks/${task.sid}`, { Attributes: '[1]' }))).toEqual([400, 20001]);
    expect(await refused(call('POST', `/taskrouter/v1/Workspaces/${ws}/Tasks/${task.sid}`, { AssignmentStatus: 'completed' }))).toEqual([400, 20001]);
    expect(await refused(call('GET', `/taskrouter/v1/Workspaces/WS${'f'.repeat(32)}/Tasks/${task.sid}`))).toEqual([404, 20404]);
    expect(await refused(call('GET', `/taskrouter/v1/Workspaces/${ws}/Tasks/WT${'0'.repeat(32)}`))).toEqual([404, 20404]);
  });
});
