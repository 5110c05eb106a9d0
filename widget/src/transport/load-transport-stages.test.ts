// Each SDK is evaluated a stage at a time, a task apart (load-transport.ts, legacy-stages.ts).
// Conversations: twilsock, the notifications and media clients, twilio-sync, then the SDK
// with its adapter. twilio-chat: its twilsock, twilio-sync's own twilsock, the notifications
// and media clients, twilio-sync, then the SDK.
import { afterEach, describe, expect, it, vi } from 'vitest';

const order: string[] = [];

vi.mock('./sdk-stage-twilsock.ts', () => {
  order.push('twilsock');
  return {};
});
vi.mock('./sdk-stage-notifications.ts', () => {
  order.push('notifications, media client');
  return {};
});
vi.mock('./sdk-stage-sync.ts', () => {
  order.push('twilio-sync');
  return {};
});
vi.mock('./conversations-transport.ts', () => {
  order.push('the SDK and its adapter');
  return { createConversationsTransport: () => ({ stub: true }) };
});

vi.mock('./legacy-stage-twilsock.ts', () => {
  order.push('legacy twilsock');
  return {};
});
vi.mock('./legacy-stage-sync-twilsock.ts', () => {
  order.push("twilio-sync's twilsock");
  return {};
});
vi.mock('./legacy-stage-notifications.ts', () => {
  order.push('legacy notifications, media client');
  return {};
});
vi.mock('./legacy-stage-twilio-sync.ts', () => {
  order.push('legacy twilio-sync');
  return {};
});
vi.mock('./legacy-transport.ts', () => {
  order.push('twilio-chat and its adapter');
  return { createLegacyTransport: () => ({ legacy: true }) };
});

afterEach(() => {
  order.length = 0;
  vi.unstubAllGlobals();
});

describe('loadTransport, Conversations', () => {
  it('evaluates the SDK in four stages, each in a task of its own', async () => {
    vi.stubGlobal('scheduler', {
      yield: () => {
        order.push('next task');
        return Promise.resolve();
      },
    });
    const { loadTransport } = await import('./load-transport.ts');
    const create = await loadTransport('local');
    expect(order).toEqual(['twilsock', 'next task', 'notifications, media client', 'next task', 'twilio-sync', 'next task', 'the SDK and its adapter', 'next task']);
    expect(create()).toEqual({ stub: true });
  });
});

describe('loadTransport, legacy', () => {
  it('evaluates twilio-chat in five stages, each in a task of its own', async () => {
    vi.stubGlobal('scheduler', {
      yield: () => {
        order.push('next task');
        return Promise.resolve();
      },
    });
    const { loadTransport } = await import('./load-transport.ts');
    const create = await loadTransport('legacy');
    expect(order).toEqual([
      'legacy twilsock',
      'next task',
      "twilio-sync's twilsock",
      'next task',
      'legacy notifications, media client',
      'next task',
      'legacy twilio-sync',
      'next task',
      'twilio-chat and its adapter',
      'next task',
    ]);
    expect(create()).toEqual({ legacy: true });
  });
});
