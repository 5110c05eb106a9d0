// Each SDK is evaluated a stage at a time, a task apart (load-transport.ts, legacy-stages.ts).
// Conversations: twilsock, the notifications and media clients, twilio-sync, then the SDK
// with its adapter. twilio-chat: its twilsock, twilio-sync's own twilsock, the notifications
// and media clients, twilio-sync, then the SDK.
import { afterEach, describe, expect, it, vi } from 'vitest';

// Each mocked module says when it is evaluated (vi.hoisted: the mocks are set up before the imports).
const { order, stage } = vi.hoisted(() => {
  const order: string[] = [];
  const stage =
    <T extends object>(name: string, exports = {} as T) =>
    () => {
      order.push(name);
      return exports;
    };
  return { order, stage };
});

vi.mock('./sdk-stage-twilsock.ts', stage('twilsock'));
vi.mock('./sdk-stage-notifications.ts', stage('notifications, media client'));
vi.mock('./sdk-stage-sync.ts', stage('twilio-sync'));
vi.mock('./conversations-transport.ts', stage('the SDK and its adapter', { createConversationsTransport: () => ({ stub: true }) }));

vi.mock('./legacy-stage-twilsock.ts', stage('legacy twilsock'));
vi.mock('./legacy-stage-sync-twilsock.ts', stage("twilio-sync's twilsock"));
vi.mock('./legacy-stage-notifications.ts', stage('legacy notifications, media client'));
vi.mock('./legacy-stage-twilio-sync.ts', stage('legacy twilio-sync'));
vi.mock('./legacy-transport.ts', stage('twilio-chat and its adapter', { createLegacyTransport: () => ({ legacy: true }) }));

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
