import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessHours } from '../session/business-hours.ts';
import type { RecoveryAction, SessionErrorCode } from '../session/session-store.ts';
import { activeHarness, fillValidForm, harness, initOk, testConfig, type Harness, type ScriptedResponse } from '../testing/fixtures.ts';
import { TransportError } from '../transport/chat-transport.ts';
import type { WidgetOptions } from '../widget-options.ts';
import { SessionContext } from './session-context.ts';
import { OfflineView } from './OfflineView.tsx';
import { ConnectingView, ErrorView } from './StatusViews.tsx';

const controllers: Harness[] = [];
const outside: HTMLElement[] = [];

afterEach(() => {
  cleanup();
  for (const h of controllers.splice(0)) h.controller.dispose();
  for (const el of outside.splice(0)) el.remove();
});

function track(h: Harness): Harness {
  controllers.push(h);
  return h;
}

function renderView(h: Harness, view: ReactElement) {
  return render(<SessionContext.Provider value={h.controller}>{view}</SessionContext.Provider>);
}

/** A focused control outside the view, like the composer of the page before. */
function focusedOutside(): HTMLInputElement {
  const el = document.createElement('input');
  document.body.append(el);
  outside.push(el);
  el.focus();
  return el;
}

const messages = {
  generic: 'Something went wrong. Please try again.',
  network: 'We could not reach the chat service. Check your connection and try again.',
  busy: 'The chat service is busy. Please try again in a moment.',
  expired: 'Your chat session has expired. Please start a new chat.',
  unsupported: 'This chat is not available right now.',
};

/** Starts a chat through the form; it fails in whatever way the harness was set up to. */
async function submitted(options: Parameters<typeof harness>[0], breakIt: (h: Harness) => void = () => {}): Promise<Harness> {
  const h = track(harness(options));
  breakIt(h);
  h.controller.start();
  fillValidForm(h.controller);
  await h.controller.submitForm();
  return h;
}

const initFails = (failure: ScriptedResponse) => () => submitted({ responses: [failure, initOk] });
const connectFails = (error: TransportError) => () => submitted({ responses: [initOk, initOk] }, (h) => h.transport.failNextConnect(error));

interface ErrorCase {
  how: string;
  code: SessionErrorCode;
  recovery: RecoveryAction;
  message: string;
  reach: () => Promise<Harness>;
}

// Every code the session can fail with, reached the way it happens, with each recovery action.
const errorCases: ErrorCase[] = [
  { how: 'the network is down at /webchat/init', code: 'network', recovery: 'retry-init', message: messages.network, reach: initFails({ networkError: true }) },
  { how: 'the token service is rate limiting (429)', code: 'busy', recovery: 'retry-init', message: messages.busy, reach: initFails({ status: 429, body: { error: { code: 'rate_limited', message: 'Slow down' } } }) },
  { how: 'the token service fails (500)', code: 'server', recovery: 'retry-init', message: messages.generic, reach: initFails({ status: 500, body: { error: { code: 'internal', message: 'Twilio said no' } } }) },
  { how: 'the token service answers without an identity', code: 'bad-response', recovery: 'retry-init', message: messages.generic, reach: initFails({ body: { token: 'token-1' } }) },
  { how: 'the token service refuses the visitor (401)', code: 'auth', recovery: 'retry-init', message: messages.generic, reach: initFails({ status: 401, body: { error: { code: 'user_token_invalid', message: 'Bad signature' } } }) },
  { how: 'the chat service refuses the token', code: 'auth', recovery: 'retry-init', message: messages.generic, reach: connectFails(new TransportError('auth', 'Token rejected')) },
  { how: 'the conversation is not found', code: 'not-found', recovery: 'retry-init', message: messages.generic, reach: connectFails(new TransportError('not-found', 'No such conversation')) },
  { how: 'the chat service rejects joining', code: 'rejected', recovery: 'retry-init', message: messages.generic, reach: connectFails(new TransportError('rejected', 'Not allowed')) },
  { how: 'the connection fails', code: 'network', recovery: 'retry-connect', message: messages.network, reach: connectFails(new TransportError('network', 'Socket closed')) },
  { how: 'the chat client fails in an unknown way', code: 'unknown', recovery: 'retry-connect', message: messages.generic, reach: connectFails(new TransportError('unknown', 'Internal SDK error')) },
  {
    how: 'the token service rejects the request for good (400)',
    code: 'rejected',
    recovery: 'restart',
    message: messages.generic,
    reach: () => submitted({ responses: [{ status: 400, body: { error: { code: 'origin_not_allowed', message: 'Origin not allowed' } } }] }),
  },
  {
    how: 'the token service chose a chat mode this widget cannot speak',
    code: 'unsupported-mode',
    recovery: 'restart',
    message: messages.unsupported,
    reach: () => {
      let h: Harness | undefined;
      return submitted({
        responses: [{ body: { ...(initOk.body as object), mode: 'carrier-pigeon' } }],
        // Like the production loader: modes it does not know are refused.
        loadTransport: async (mode) => {
          if (mode === 'conversations' && h) return () => h!.transport;
          throw new TransportError('rejected', `Unsupported chat mode "${mode}"`);
        },
      }, (created) => (h = created));
    },
  },
  {
    how: 'the token expired and cannot be renewed',
    code: 'session-expired',
    recovery: 'restart',
    message: messages.expired,
    reach: async () => {
      const h = track(await activeHarness({ responses: [initOk, { status: 401, body: { error: { code: 'token_invalid', message: 'no' } } }] }));
      h.transport.emit({ type: 'tokenExpired' });
      await waitFor(() => expect(h.controller.state.phase).toBe('error'));
      return h;
    },
  },
];

const buttonFor = (recovery: RecoveryAction) => (recovery === 'restart' ? 'Start a new chat' : 'Retry');

describe('ConnectingView', () => {
  it('says "Connecting…" in a status region and takes the focus the previous view took with it', () => {
    renderView(track(harness()), <ConnectingView />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Connecting…');
    expect(document.activeElement).toBe(status);
  });

  it('leaves the focus where it is when something still has it', () => {
    const field = focusedOutside();
    renderView(track(harness()), <ConnectingView />);
    expect(screen.getByRole('status').textContent).toBe('Connecting…');
    expect(document.activeElement).toBe(field);
  });

  it("speaks the visitor's language", () => {
    renderView(track(harness({ config: { ...testConfig, locale: 'de' } })), <ConnectingView />);
    expect(screen.getByRole('status').textContent).toBe('Verbindung wird hergestellt…');
  });
});

describe('ErrorView while Twilio is busy (503 busy with Retry-After)', () => {
  const busy: ScriptedResponse = {
    status: 503,
    headers: { 'retry-after': '3' },
    body: { error: { code: 'busy', message: 'Lots of visitors are starting chats right now; try again in a moment' } },
  };

  it('says how long, counts down, retries by itself with the same answers, and the chat starts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const h = await submitted({ responses: [busy, initOk] });
      expect(h.controller.state.error).toMatchObject({ code: 'busy', recovery: 'retry-init' });
      renderView(h, <ErrorView />);
      const timer = screen.getByRole('timer');
      const first = Number(/in (\d+) s/.exec(timer.textContent ?? '')?.[1]);
      // Retry-After 3, or a second more for about half the visitors.
      expect([3, 4]).toContain(first);
      expect(timer.textContent).toBe(`Lots of people are reaching out — connecting you in ${first} s`);
      expect(screen.getByRole('alert').textContent).toBe(`Lots of people are reaching out — connecting you in ${first} s`);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1000);
      });
      expect(screen.getByRole('timer').textContent).toBe(`Lots of people are reaching out — connecting you in ${first - 1} s`);
      // The announcement is not repeated every second.
      expect(screen.getByRole('alert').textContent).toBe(`Lots of people are reaching out — connecting you in ${first} s`);
      expect(h.http.calls.filter((c) => c.url.endsWith('/webchat/init'))).toHaveLength(1);
      await act(async () => {
        await vi.advanceTimersByTimeAsync((first - 1) * 1000);
      });
      await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
      const inits = h.http.calls.filter((c) => c.url.endsWith('/webchat/init'));
      expect(inits).toHaveLength(2);
      expect(inits[1]).toEqual(inits[0]);
      expect(h.controller.state.error).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a 429 rate_limited (too many requests from this visitor) still waits for the visitor', async () => {
    const h = await submitted({ responses: [{ status: 429, headers: { 'retry-after': '30' }, body: { error: { code: 'rate_limited', message: 'Slow down' } } }] });
    expect(h.controller.state.error).toMatchObject({ code: 'busy', recovery: 'retry-init' });
    expect(h.controller.state.error?.retryInSeconds).toBeUndefined();
  });
});

describe('ErrorView', () => {
  it.each(errorCases)('$code ($how): announces "$message" and focuses its recovery button', async ({ code, recovery, message, reach }) => {
    const h = await reach();
    expect(h.controller.state.error).toMatchObject({ code, recovery });
    renderView(h, <ErrorView />);
    expect(screen.getByRole('alert').textContent).toBe(message);
    const button = screen.getByRole('button', { name: buttonFor(recovery) });
    expect(document.activeElement).toBe(button);
    expect(screen.getAllByRole('button')).toHaveLength(1);
  });

  it.each(errorCases.filter((c) => c.recovery === 'retry-init'))(
    '$code ($how): Retry asks the token service again with the same answers and the chat starts',
    async ({ reach }) => {
      const h = await reach();
      const initCalls = h.http.calls.filter((c) => c.url.endsWith('/webchat/init'));
      renderView(h, <ErrorView />);
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
      });
      await waitFor(() => expect(h.controller.state.phase).toBe('active'));
      const after = h.http.calls.filter((c) => c.url.endsWith('/webchat/init'));
      expect(after).toHaveLength(initCalls.length + 1);
      expect(after.at(-1)).toEqual(initCalls[0]);
      expect(h.controller.state.error).toBeNull();
    },
  );

  it.each(errorCases.filter((c) => c.recovery === 'retry-connect'))(
    '$code ($how): Retry reconnects with the session it has, without a new /webchat/init',
    async ({ reach }) => {
      const h = await reach();
      const calls = h.http.calls.length;
      const connects = h.transport.connectCalls;
      renderView(h, <ErrorView />);
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
      });
      await waitFor(() => expect(h.controller.state.phase).toBe('active'));
      expect(h.http.calls).toHaveLength(calls);
      expect(h.transport.connectCalls).toBe(connects + 1);
      expect(h.transport.credentials?.conversationSid).toBe('CH00000000000000000000000000000001');
    },
  );

  it.each(errorCases.filter((c) => c.recovery === 'restart'))(
    '$code ($how): Start a new chat goes back to the form with the answers kept, asking nobody',
    async ({ reach }) => {
      const h = await reach();
      const calls = h.http.calls.length;
      renderView(h, <ErrorView />);
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Start a new chat' }));
      });
      expect(h.controller.state.phase).toBe('pre-engagement');
      expect(h.controller.state.error).toBeNull();
      expect(h.controller.state.form.values).toMatchObject({ friendlyName: '  Zoë Ångström ', email: 'zoe@example.com', question: 'Where is my order?' });
      expect(h.http.calls).toHaveLength(calls);
    },
  );

  it('pressing Retry twice sends one request', async () => {
    const h = await initFails({ networkError: true })();
    renderView(h, <ErrorView />);
    const retry = screen.getByRole('button', { name: 'Retry' });
    await act(async () => {
      fireEvent.click(retry);
      fireEvent.click(retry);
    });
    await waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(h.http.calls).toHaveLength(2);
  });

  it('leaves the focus where it is when something still has it', async () => {
    const h = await initFails({ networkError: true })();
    const field = focusedOutside();
    renderView(h, <ErrorView />);
    expect(screen.getByRole('alert').textContent).toBe(messages.network);
    expect(document.activeElement).toBe(field);
  });
});

describe('OfflineView', () => {
  // 2025-01-01 12:30 UTC (the harness clock) is a Wednesday: closed, back Monday 09:00 UTC.
  const closedHours: BusinessHours = { timezone: 'UTC', weekly: { mon: [['09:00', '17:00']] } };

  function offline(offlineMode: WidgetOptions['offlineMode'], businessHours: BusinessHours = closedHours, locale = 'en'): Harness {
    const h = track(harness({ config: { ...testConfig, locale }, controller: { options: { businessHours, offlineMode } } }));
    h.controller.start();
    expect(h.controller.state.phase).toBe('offline');
    return h;
  }

  it("says the team is closed and when it is back, in the visitor's language, and takes the focus", () => {
    renderView(offline('closedMessage', closedHours, 'de'), <OfflineView />);
    const title = screen.getByRole('heading', { level: 2, name: 'Wir sind gerade nicht erreichbar' });
    const view = title.parentElement!;
    expect(within(view).getByText('Unser Team beantwortet Chats während der Geschäftszeiten.')).toBeTruthy();
    expect(within(view).getByText(/^Wir sind wieder da: Montag/)).toBeTruthy();
    expect(document.activeElement).toBe(view);
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('does not promise a time when no opening is scheduled', () => {
    renderView(offline('closedMessage', { timezone: 'UTC', weekly: {} }), <OfflineView />);
    expect(screen.getByRole('heading', { level: 2, name: 'We are closed right now' })).toBeTruthy();
    expect(screen.getByText('Our team answers chats during business hours.')).toBeTruthy();
    expect(screen.queryByText(/We will be back/)).toBeNull();
  });

  it('in leave-a-message mode, offers the form under the closed message', () => {
    renderView(offline('leaveMessage'), <OfflineView />);
    expect(screen.getByText(/^We will be back Monday/)).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Leave a message' });
    expect(within(form).getByRole('textbox', { name: 'Message' })).toBeTruthy();
  });
});
