import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationsModel, type Conversation } from '../conversations/model.ts';
import type { Logger } from '../log.ts';
import { SyncStore } from '../sync/sync-store.ts';
import { QUEUE_FRONT, QUEUE_TICK_MS, QUEUE_WRITES_PER_TICK } from './queue-positions.ts';
import { Routing, type RoutingOptions } from './routing.ts';

// The routing stand-in's background work: the simulated agent's auto-accept
// timer and the echo bot's deferred replies. None of it may throw into the
// event loop, and a chat that ends before an agent takes it is not taken.

const ACCEPT_DELAY_MS = 1000;

interface Logged {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

function setup(overrides: Partial<RoutingOptions> = {}) {
  const logged: Logged[] = [];
  const log: Logger = {
    info: (message, fields) => logged.push({ level: 'info', message, fields }),
    warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    error: (message, fields) => logged.push({ level: 'error', message, fields }),
  };
  const model = new ConversationsModel(new SyncStore(), 'IS00000000000000000000000000000001');
  const routing = new Routing(model, {
    autoAcceptDelayMs: ACCEPT_DELAY_MS,
    defaultAgent: { identity: 'agent.alex', friendlyName: 'Alex' },
    greeting: (name) => `Hi ${name}`,
    log,
    ...overrides,
  });
  const webChat = (): Conversation => {
    const conversation = model.createConversation({ friendlyName: 'Chat with Zoë' });
    model.addParticipant(conversation, { identity: 'visitor-1', role: 'customer', friendlyName: 'Zoë' });
    routing.createTask(conversation, { customerName: 'Zoë' });
    return conversation;
  };
  const agentOf = (conversation: Conversation) => [...conversation.participants.values()].find((p) => p.role === 'agent');
  return { model, routing, logged, webChat, agentOf };
}

describe('auto-accept', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a waiting chat after the delay and greets the visitor', () => {
    const { routing, webChat, agentOf } = setup();
    const conversation = webChat();
    vi.advanceTimersByTime(ACCEPT_DELAY_MS - 1);
    expect(agentOf(conversation)).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(agentOf(conversation)?.identity).toBe('agent.alex');
    expect(routing.taskForConversation(conversation.sid)?.status).toBe('assigned');
    expect(conversation.messages.map((m) => [m.author, m.body])).toEqual([['agent.alex', 'Hi Zoë']]);
  });

  it.each([0, 100, 900])('does not accept a chat closed %i ms after it started: the task is canceled', (endAfterMs) => {
    const { model, routing, logged, webChat, agentOf } = setup();
    const conversation = webChat();
    const [task] = routing.tasks.values();
    const canceled = vi.fn();
    routing.on('taskCanceled', canceled);
    vi.advanceTimersByTime(endAfterMs);
    model.setState(conversation, 'closed');
    expect(task?.status).toBe('canceled');
    expect(canceled).toHaveBeenCalledWith(task);
    vi.advanceTimersByTime(ACCEPT_DELAY_MS * 2);
    expect(agentOf(conversation)).toBeUndefined();
    expect(conversation.messages).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
    expect(routing.taskForConversation(conversation.sid)).toBeUndefined();
  });

  it('cancels the task of a chat the visitor left (inactive) or that was deleted', () => {
    const { model, routing, webChat, agentOf } = setup();
    const left = webChat();
    const deleted = webChat();
    model.setState(left, 'inactive');
    model.deleteConversation(deleted);
    vi.advanceTimersByTime(ACCEPT_DELAY_MS);
    expect([...routing.tasks.values()].map((task) => task.status)).toEqual(['canceled', 'canceled']);
    expect(agentOf(left)).toBeUndefined();
  });

  it('skips a chat that ended without telling routing, when its timer fires', () => {
    const { model, routing, webChat, agentOf } = setup();
    const conversation = webChat();
    // Forgotten behind routing's back (as a reset of the model alone would).
    model.conversations.delete(conversation.sid);
    expect(() => vi.advanceTimersByTime(ACCEPT_DELAY_MS)).not.toThrow();
    expect([...routing.tasks.values()][0]?.status).toBe('canceled');
    expect(agentOf(conversation)).toBeUndefined();
  });

  it('logs an error thrown while accepting instead of throwing it from the timer, and keeps routing others', () => {
    let greetings = 0;
    const { routing, logged, webChat, agentOf } = setup({
      greeting: (name) => {
        greetings += 1;
        if (greetings === 1) throw new Error('greeting template broke');
        return `Hi ${name}`;
      },
    });
    const first = webChat();
    const second = webChat();
    expect(() => vi.advanceTimersByTime(ACCEPT_DELAY_MS)).not.toThrow();
    expect(logged.filter((line) => line.level === 'error')).toEqual([
      { level: 'error', message: 'routing: auto-accept failed', fields: expect.objectContaining({ conversation: first.sid, error: expect.stringContaining('greeting template broke') }) },
    ]);
    expect(agentOf(second)?.identity).toBe('agent.alex');
    expect(second.messages.map((m) => m.body)).toEqual(['Hi Zoë']);
    expect(routing.taskForConversation(second.sid)?.status).toBe('assigned');
  });

  it('an agent who ends a waiting chat cancels its task; ending an accepted one completes it', () => {
    const { routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const waiting = webChat();
    const accepted = webChat();
    const [waitingTask, acceptedTask] = routing.tasks.values();
    routing.accept(acceptedTask!, { identity: 'agent.sam', friendlyName: 'Sam' }, false);
    routing.end(waiting.sid);
    routing.end(accepted.sid);
    expect([waitingTask?.status, acceptedTask?.status]).toEqual(['canceled', 'completed']);
    expect(() => routing.accept(waitingTask!, { identity: 'agent.sam', friendlyName: 'Sam' }, false)).toThrow(/canceled/);
  });
});

describe('echo bot', () => {
  it('does not answer into a chat that closed before its reply was sent', async () => {
    const { model, routing, logged, webChat } = setup({ autoAcceptDelayMs: -1, echo: true });
    const conversation = webChat();
    routing.accept([...routing.tasks.values()][0]!, { identity: 'agent.alex', friendlyName: 'Alex' }, false);
    model.postMessage(conversation, { author: 'visitor-1', body: 'hello' });
    model.setState(conversation, 'closed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(conversation.messages.map((m) => m.body)).toEqual(['hello']);
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
  });
});

describe('queue positions', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const positionOf = (conversation: Conversation) => (conversation.attributes.queue as { position: number } | null | undefined)?.position ?? null;

  /** Counts conversation attribute writes (each one a Sync document event to every member). */
  function countWrites(model: ConversationsModel) {
    const original = model.updateAttributes.bind(model);
    const writes = { count: 0 };
    model.updateAttributes = (conversation, attributes) => {
      writes.count += 1;
      original(conversation, attributes);
    };
    return writes;
  }

  it('a new chat gets the last place without rewriting anyone else', () => {
    const { model, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = [webChat(), webChat(), webChat()];
    const writes = countWrites(model);
    const last = webChat();
    expect([...chats, last].map(positionOf)).toEqual([1, 2, 3, 4]);
    expect(writes.count).toBe(1);
  });

  it('when a chat leaves a quiet queue, everyone behind it moves up within one tick', () => {
    const { routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = [webChat(), webChat(), webChat()];
    routing.accept(routing.taskForConversation(chats[1]!.sid)!, { identity: 'agent.sam', friendlyName: 'Sam' }, false);
    expect(chats.map(positionOf)).toEqual([1, null, 3]);
    vi.advanceTimersByTime(0);
    expect(chats.map(positionOf)).toEqual([1, null, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  /** Counts writes of a place (not the null written when a chat leaves), per tick of fake time. */
  function countPlaceWrites(model: ConversationsModel) {
    const original = model.updateAttributes.bind(model);
    const perTick = new Map<number, number>();
    let total = 0;
    model.updateAttributes = (conversation, attributes) => {
      if ((attributes.queue as { position?: number } | null | undefined)?.position !== undefined) {
        const tick = Math.floor(Date.now() / QUEUE_TICK_MS);
        perTick.set(tick, (perTick.get(tick) ?? 0) + 1);
        total += 1;
      }
      original(conversation, attributes);
    };
    return { perTick, total: () => total };
  }

  it('serving a long queue costs a bounded number of writes per tick, not a pass of the queue per accept', () => {
    const { model, routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = Array.from({ length: 2000 }, () => webChat());
    const writes = countPlaceWrites(model);
    const agent = { identity: 'agent.sam', friendlyName: 'Sam' };
    // Serve the oldest 1,000, ten every tick (100 a second; 101 ticks with the first, at 0 ms).
    for (let i = 0; i < 1000; i += 10) {
      for (const chat of chats.slice(i, i + 10)) routing.accept(routing.taskForConversation(chat.sid)!, agent, false);
      vi.advanceTimersByTime(QUEUE_TICK_MS);
    }
    // Each accept at the head moves every chat behind it: a rewrite of the queue per accept
    // would be 1,000 passes of ~1,500 chats, one pass a second still ~15,000 writes. The walk
    // writes at most QUEUE_WRITES_PER_TICK a tick, whatever the queue's length.
    expect(Math.max(...writes.perTick.values())).toBeLessThanOrEqual(QUEUE_WRITES_PER_TICK);
    expect(writes.total()).toBeLessThanOrEqual((100 + 1) * QUEUE_WRITES_PER_TICK);
    // The chats next in line are exact after every tick.
    expect(chats.slice(1000, 1000 + QUEUE_FRONT).map(positionOf)).toEqual(Array.from({ length: QUEUE_FRONT }, (_, i) => i + 1));
    // Once the queue is quiet the walk settles every place, then stops.
    vi.advanceTimersByTime(30 * 1000);
    expect(chats.slice(0, 1000).every((c) => positionOf(c) === null)).toBe(true);
    expect(chats.slice(1000).map(positionOf)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('one accept on a quiet long queue is settled over several ticks, the front first', () => {
    const { model, routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = Array.from({ length: 500 }, () => webChat());
    const writes = countPlaceWrites(model);
    routing.accept(routing.taskForConversation(chats[0]!.sid)!, { identity: 'agent.sam', friendlyName: 'Sam' }, false);
    vi.advanceTimersByTime(0);
    expect(writes.total()).toBe(QUEUE_WRITES_PER_TICK);
    expect(positionOf(chats[1]!)).toBe(1);
    expect(positionOf(chats[499]!)).toBe(500);
    vi.advanceTimersByTime(QUEUE_TICK_MS * Math.ceil(499 / QUEUE_WRITES_PER_TICK));
    expect(chats.slice(1).map(positionOf)).toEqual(Array.from({ length: 499 }, (_, i) => i + 1));
    // Every chat behind moved once: one write each, none twice.
    expect(writes.total()).toBe(499);
  });

  it('chats that leave behind the walk, or join while it runs, get the right places', () => {
    const { routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = Array.from({ length: 300 }, () => webChat());
    const agent = { identity: 'agent.sam', friendlyName: 'Sam' };
    const accept = (i: number) => routing.accept(routing.taskForConversation(chats[i]!.sid)!, agent, false);
    accept(0);
    vi.advanceTimersByTime(0);
    accept(250); // behind the walk
    accept(10); // ahead of it: the walk goes round again
    const late = [webChat(), webChat()];
    vi.advanceTimersByTime(10 * 1000);
    const waiting = [...chats.filter((_, i) => i !== 0 && i !== 10 && i !== 250), ...late];
    expect(waiting.map(positionOf)).toEqual(Array.from({ length: 299 }, (_, i) => i + 1));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a canceled or ended chat leaves the queue like an accepted one', () => {
    const { model, routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = [webChat(), webChat(), webChat(), webChat()];
    model.setState(chats[0]!, 'inactive');
    vi.advanceTimersByTime(QUEUE_TICK_MS);
    routing.end(chats[2]!.sid);
    vi.advanceTimersByTime(QUEUE_TICK_MS);
    model.deleteConversation(chats[1]!);
    vi.advanceTimersByTime(QUEUE_TICK_MS);
    expect(positionOf(chats[0]!)).toBeNull();
    expect(positionOf(chats[3]!)).toBe(1);
    expect(routing.taskForConversation(chats[3]!.sid)?.status).toBe('pending');
  });

  it('stops its pending rewrite when routing stops', () => {
    const { routing, webChat } = setup({ autoAcceptDelayMs: -1 });
    const chats = [webChat(), webChat(), webChat()];
    const agent = { identity: 'agent.sam', friendlyName: 'Sam' };
    routing.accept(routing.taskForConversation(chats[0]!.sid)!, agent, false);
    routing.accept(routing.taskForConversation(chats[1]!.sid)!, agent, false);
    routing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
