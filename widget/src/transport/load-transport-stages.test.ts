// The Conversations SDK is evaluated a stage at a time, a task apart (load-transport.ts):
// twilsock, the notifications and media clients, twilio-sync, then the SDK with its adapter.
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

afterEach(() => {
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
