import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaveMessageForm } from '../session/leave-message.ts';
import type { FetchLike } from '../session/token-service.ts';
import { harness, testConfig } from '../testing/fixtures.ts';
import type { WidgetOptions } from '../widget-options.ts';
import { App } from './App.tsx';
import { attachLeaveMessageForm, leaveMessageFormFor } from '../session/leave-message-forms.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// 2025-01-01 (the harness clock) is a Wednesday: closed, back Monday 09:00 UTC.
const closedHours: WidgetOptions['businessHours'] = { timezone: 'UTC', weekly: { mon: [['09:00', '17:00']] } };

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network' | 'hang';

function offlineWidget(answers: Answer[] = [], offlineMode: WidgetOptions['offlineMode'] = 'leaveMessage') {
  const h = harness({ controller: { options: { businessHours: closedHours, offlineMode } } });
  const requests: Array<Record<string, unknown>> = [];
  const pending: Array<(response: Response) => void> = [];
  const fetch: FetchLike = async (_url, init) => {
    requests.push(JSON.parse(String(init.body)) as Record<string, unknown>);
    const answer = answers.shift() ?? 'network';
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (answer === 'hang') return new Promise<Response>((resolve) => pending.push(resolve));
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: answer.headers ?? {} });
  };
  let ids = 0;
  attachLeaveMessageForm(
    h.controller,
    new LeaveMessageForm({ tokenUrl: testConfig.tokenUrl ?? '', fetch, createId: () => `00000000-0000-4000-8000-00000000000${++ids}`, context: () => ({ locale: 'en' }) }),
  );
  render(<App controller={h.controller} />);
  return { h, requests, release: (response: Response) => pending.shift()?.(response) };
}

const failure = (status: number, code: string, field?: string): Answer => ({ status, body: { error: { code, message: code, ...(field ? { field } : {}) } } });

function form() {
  return screen.getByRole('form', { name: 'Leave a message' });
}

function fill(values: { name?: string; email?: string; message?: string } = {}) {
  const f = within(form());
  fireEvent.change(f.getByRole('textbox', { name: 'Your name' }), { target: { value: values.name ?? 'Zoë 李' } });
  fireEvent.change(f.getByRole('textbox', { name: 'Email' }), { target: { value: values.email ?? 'zoe@example.com' } });
  fireEvent.change(f.getByRole('textbox', { name: 'Message' }), { target: { value: values.message ?? 'Please call me back.' } });
}

const send = () => fireEvent.click(within(form()).getByRole('button', { name: 'Send message' }));

describe('offline screen, closedMessage', () => {
  it('says the team is closed and when it is back, with no form', () => {
    offlineWidget([], 'closedMessage');
    expect(screen.getByRole('heading', { level: 2, name: 'We are closed right now' })).toBeTruthy();
    expect(screen.getByText('Our team answers chats during business hours.')).toBeTruthy();
    expect(screen.getByText(/^We will be back Monday/)).toBeTruthy();
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});

describe('offline screen, leaveMessage', () => {
  it('offers a labelled form under the closed message, prefilled from identify', () => {
    const { h } = offlineWidget();
    act(() => h.controller.applyPrefill({ friendlyName: 'Zoë Ångström', email: 'zoe@example.com' }));
    expect(screen.getByRole('heading', { level: 2, name: 'We are closed right now' })).toBeTruthy();
    const f = within(form());
    expect(f.getByRole('heading', { level: 3, name: 'Leave a message' })).toBeTruthy();
    expect((f.getByRole('textbox', { name: 'Your name' }) as HTMLInputElement).value).toBe('Zoë Ångström');
    expect((f.getByRole('textbox', { name: 'Email' }) as HTMLInputElement).value).toBe('zoe@example.com');
    expect(f.getByRole('textbox', { name: 'Email' }).getAttribute('autocomplete')).toBe('email');
    const message = f.getByRole('textbox', { name: 'Message' });
    expect(message.tagName).toBe('TEXTAREA');
    expect(message.hasAttribute('maxlength')).toBe(false); // never cut what the visitor pastes
    for (const box of f.getAllByRole('textbox')) expect(box.hasAttribute('required')).toBe(true);
  });

  it('refuses empty and invalid fields with announced, linked errors and focuses the first one', () => {
    const { requests } = offlineWidget();
    send();
    const f = within(form());
    const name = f.getByRole('textbox', { name: 'Your name' });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby') ?? '')?.textContent).toBe('This field is required.');
    expect(document.activeElement).toBe(name);

    fill({ name: '42', email: 'zoe@', message: 'x' });
    send();
    expect(screen.getByText('Enter your name, with at least one letter, on one line.')).toBeTruthy();
    expect(screen.getByText('Enter a valid email address.')).toBeTruthy();
    expect(requests).toEqual([]);
  });

  it('shows the sending state, then a focused confirmation; another message keeps name and email', async () => {
    const { requests, release } = offlineWidget(['hang']);
    fill();
    send();
    expect(await screen.findByText('Sending your message…')).toBeTruthy();
    expect(screen.getByText('Sending your message…').getAttribute('role')).toBe('status');
    expect(within(form()).getByRole('button', { name: 'Send message' }).getAttribute('aria-disabled')).toBe('true');
    expect(within(form()).getByRole('textbox', { name: 'Message' }).hasAttribute('readonly')).toBe(true);

    await act(async () => release(new Response(JSON.stringify({ status: 'delivered' }), { status: 202 })));
    const confirmation = await screen.findByText("Thanks, we'll reply by email.");
    const region = confirmation.closest('[role="status"]') as HTMLElement;
    expect(document.activeElement).toBe(region);
    expect(requests).toEqual([{ name: 'Zoë 李', email: 'zoe@example.com', message: 'Please call me back.', messageId: '00000000-0000-4000-8000-000000000001', context: { locale: 'en' } }]);

    fireEvent.click(within(region).getByRole('button', { name: 'Write another message' }));
    const f = within(form());
    expect((f.getByRole('textbox', { name: 'Your name' }) as HTMLInputElement).value).toBe('Zoë 李');
    expect((f.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps the text when delivery fails and retries it with the same message id', async () => {
    const { requests } = offlineWidget([failure(502, 'delivery_failed'), { status: 202 }]);
    fill();
    send();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your message could not be delivered. It is still here: please try again.');
    expect((within(form()).getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Please call me back.');

    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText("Thanks, we'll reply by email.")).toBeTruthy();
    expect(requests.map((r) => r.messageId)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001']);
  });

  it.each([
    ['network', 'network' as const, 'We could not reach the message service.', true],
    ['rate limited', { status: 429, body: { error: { code: 'rate_limited' } }, headers: { 'retry-after': '5' } }, 'Too many messages are being sent right now.', true],
    ['not configured (501)', failure(501, 'not_configured'), 'Leaving a message is not available right now.', false],
  ])('%s: explains it, keeps the text, offers a retry only when it can help', async (_label, answer, text, retry) => {
    offlineWidget([answer]);
    fill();
    send();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(text);
    expect(within(alert).queryByRole('button', { name: 'Retry' }) !== null).toBe(retry);
    expect((within(form()).getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Please call me back.');
  });

  it('puts a field the service refused on that field and focuses it', async () => {
    offlineWidget([failure(400, 'invalid_body', 'email')]);
    fill({ email: 'zoe@example.invalid' });
    send();
    await screen.findByRole('alert');
    const email = within(form()).getByRole('textbox', { name: 'Email' });
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Please correct the highlighted fields.');
  });

  it('follows the language (Arabic, right to left)', () => {
    const { h } = offlineWidget();
    act(() => h.controller.setLocale('ar'));
    expect(screen.getByRole('form', { name: 'اترك رسالة' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'إرسال الرسالة' })).toBeTruthy();
    expect(document.querySelector('.fc-app')?.getAttribute('dir')).toBe('rtl');
  });

  it('keeps what was typed when the view is re-mounted', () => {
    const { h } = offlineWidget();
    fill({ message: 'Half written' });
    cleanup();
    render(<App controller={h.controller} />);
    expect((within(form()).getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Half written');
  });
});

describe('leaveMessageFormFor', () => {
  it('posts to the deployment token service with the host page and the locale', async () => {
    const calls: Array<{ url: string; body: unknown }> = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      return new Response(null, { status: 202 });
    });
    const h = harness({ controller: { options: { businessHours: closedHours } } });
    h.controller.setContext({ pageUrl: 'https://shop.example.com/cart' });
    const f = leaveMessageFormFor(h.controller);
    expect(leaveMessageFormFor(h.controller)).toBe(f);
    f.setValue('name', 'Zoë');
    f.setValue('email', 'zoe@example.com');
    f.setValue('message', 'Hello');
    await f.submit();
    expect(calls).toEqual([
      {
        url: `${testConfig.tokenUrl}/webchat/message`,
        body: { name: 'Zoë', email: 'zoe@example.com', message: 'Hello', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/), context: { locale: 'en', pageUrl: 'https://shop.example.com/cart' } },
      },
    ]);
  });
});
