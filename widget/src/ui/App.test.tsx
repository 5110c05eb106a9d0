import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, allFieldsConfig, harness, initOk, testConfig, type Harness } from '../testing/fixtures.ts';
import type { HostBridge, HostCommand, WidgetEvent } from '../bridge/host-bridge.ts';
import { createHostWiring } from '../host-wiring.ts';
import { TransportError } from '../transport/chat-transport.ts';
import { App } from './App.tsx';

afterEach(cleanup);

function renderApp(h: Harness, onRequestClose = vi.fn()) {
  render(<App controller={h.controller} onRequestClose={onRequestClose} />);
  return onRequestClose;
}

/** The real host wiring over a bridge the test plays the host page of. */
function hostWiring(h: Harness) {
  let listener: ((command: HostCommand) => void) | null = null;
  const sent: WidgetEvent[] = [];
  const bridge: HostBridge = {
    send: (event) => void sent.push(event),
    onCommand(l) {
      listener = l;
      return () => (listener = null);
    },
    close() {},
  };
  const wiring = createHostWiring(bridge);
  wiring.attach(h.controller);
  return { wiring, sent, command: (c: HostCommand) => listener?.(c) };
}

function fillForm() {
  fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Zoë' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Email' }), { target: { value: 'zoe@example.com' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'How can we help?' }), { target: { value: 'Order?' } });
}

async function startChat(h: Harness) {
  renderApp(h);
  fillForm();
  fireEvent.click(screen.getByRole('button', { name: 'Start chat' }));
  return screen.findByRole('log', { name: 'Messages' });
}

/** The messages of agents and the visitor (not the notices such as "Ana joined the chat"). */
function messageElements(log: HTMLElement) {
  return Array.from(log.querySelectorAll<HTMLElement>('[data-role="agent"], [data-role="visitor"]'));
}

describe('pre-engagement form', () => {
  it('renders every configured field type with its label', () => {
    renderApp(harness({ config: allFieldsConfig }));
    const form = screen.getByRole('form', { name: 'Pre-chat form' });
    const f = within(form);
    expect(f.getByRole('heading', { name: 'Before we start' })).toBeTruthy();
    expect(f.getByRole('textbox', { name: 'Name' })).toBeTruthy();
    expect(f.getByRole('textbox', { name: 'Email' }).getAttribute('type')).toBe('email');
    expect(f.getByRole('textbox', { name: 'How can we help?' }).tagName).toBe('TEXTAREA');
    expect(f.getByRole('textbox', { name: 'Phone' }).getAttribute('type')).toBe('tel');
    const topic = f.getByRole('combobox', { name: 'Topic' });
    expect(within(topic).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose…', 'Billing', 'Technical']);
    const contact = f.getByRole('radiogroup', { name: 'Preferred contact' });
    expect((within(contact).getByRole('radio', { name: 'Chat' }) as HTMLInputElement).checked).toBe(true);
    expect(f.getByRole('checkbox', { name: 'I accept the privacy policy' })).toBeTruthy();
    expect((form.querySelector('input[type="hidden"][name="source"]') as HTMLInputElement).value).toBe('pricing-page');
    expect(f.getByRole('button', { name: 'Start chat' })).toBeTruthy();
  });

  it('label text is exactly the configured label (the required mark sits outside it)', () => {
    renderApp(harness({ config: allFieldsConfig }));
    for (const label of ['Name', 'Email', 'How can we help?', 'Phone', 'Topic', 'I accept the privacy policy']) {
      expect(screen.getByLabelText(label, { exact: true }).getAttribute('data-field-control')).toBeTruthy();
    }
    expect(screen.getByRole('textbox', { name: 'Name' }).hasAttribute('required')).toBe(true);
    expect(screen.getByRole('textbox', { name: 'Phone' }).hasAttribute('required')).toBe(false);
  });

  it('links descriptions to their field', () => {
    renderApp(harness());
    const email = screen.getByRole('textbox', { name: 'Email' });
    const describedBy = email.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('We reply here if we get cut off.');
  });

  it('shows errors on submit, marks fields invalid and focuses the first invalid one', async () => {
    const h = harness();
    renderApp(h);
    fireEvent.change(screen.getByRole('textbox', { name: 'Email' }), { target: { value: 'nope' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start chat' }));
    });
    const name = screen.getByRole('textbox', { name: 'Name' });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe('Please tell us your name.');
    const email = screen.getByRole('textbox', { name: 'Email' });
    const emailErrors = (email.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(emailErrors).toContain('Enter a valid email address.');
    expect(document.activeElement).toBe(name);
    expect(h.http.calls).toHaveLength(0);
  });

  it('shows field errors from the token service and focuses that field', async () => {
    const h = harness({
      responses: [{ status: 400, body: { error: { code: 'bad', message: 'bad', fields: { email: 'Use your work address.' } } } }],
    });
    renderApp(h);
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Start chat' }));
    expect(await screen.findByText('Use your work address.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Please correct the highlighted fields.');
    const email = screen.getByRole('textbox', { name: 'Email' }) as HTMLInputElement;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.value).toBe('zoe@example.com');
    expect(document.activeElement).toBe(email);
  });
});

describe('errors', () => {
  it('a network failure shows an error with Retry that starts the chat', async () => {
    const h = harness({ responses: [{ networkError: true }, initOk] });
    renderApp(h);
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Start chat' }));
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByRole('alert').textContent).toContain('could not reach the chat service');
    expect(document.activeElement).toBe(retry);
    fireEvent.click(retry);
    expect(await screen.findByRole('log', { name: 'Messages' })).toBeTruthy();
  });
});

describe('conversation', () => {
  it('shows history, with agent names and roles', async () => {
    const h = harness({
      transport: {
        history: [
          { sid: 'IM1', index: 0, author: 'agent-1', role: 'agent', body: 'Welcome!', createdAt: Date.UTC(2025, 0, 1, 9) },
        ],
        participants: [{ identity: 'agent-1', role: 'agent', displayName: 'Ana' }],
      },
    });
    const log = await startChat(h);
    const [first] = messageElements(log);
    expect(first?.dataset.role).toBe('agent');
    expect(first?.textContent).toContain('Ana');
    expect(first?.textContent).toContain('Welcome!');
  });

  it('moves focus to the composer once connected', async () => {
    const h = harness();
    await startChat(h);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
  });

  it('Enter sends the message, Shift+Enter does not', async () => {
    const h = harness();
    const log = await startChat(h);
    const composer = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    expect(composer.placeholder).toBe('Type a message…');

    fireEvent.change(composer, { target: { value: 'line one' } });
    fireEvent.keyDown(composer, { key: 'Enter', shiftKey: true });
    expect(h.transport.sent).toHaveLength(0);

    await act(async () => {
      fireEvent.keyDown(composer, { key: 'Enter' });
    });
    expect(h.transport.sent.map((s) => s.body)).toEqual(['line one']);
    expect(composer.value).toBe('');
    const [mine] = messageElements(log);
    expect(mine?.dataset.role).toBe('visitor');
    expect(mine?.textContent).toContain('line one');
    expect(mine?.textContent).toContain('Sent');
    expect(h.transport.typingNotifications).toBeGreaterThan(0);
  });

  it('the Send button sends and the message shows "Sending…" until accepted', async () => {
    const h = harness();
    const log = await startChat(h);
    h.transport.holdSends();
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(messageElements(log)[0]?.textContent).toContain('Sending…');
    await act(async () => h.transport.releaseSends());
    expect(await within(log).findByText('Sent')).toBeTruthy();
  });

  it('a failed message offers Retry, which sends it', async () => {
    const h = await activeHarness();
    renderApp(h);
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await act(() => h.controller.send('important'));
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('Not sent')).toBeTruthy();
    expect(within(log).getByText('The chat service did not accept this message.')).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(log).getByRole('button', { name: 'Retry' }));
    });
    expect(within(log).queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(h.transport.sent.map((s) => s.body)).toEqual(['important']);
  });

  it('agent messages and typing appear live', async () => {
    const h = harness({ transport: { participants: [{ identity: 'agent-1', role: 'agent', displayName: 'Ana' }] } });
    const log = await startChat(h);
    act(() => h.transport.setTyping('agent-1', true));
    expect(screen.getByText('Ana is typing…')).toBeTruthy();
    act(() => {
      h.transport.pushAgentMessage('Hi, I am Ana.', 'agent-1');
    });
    expect(screen.queryByText('Ana is typing…')).toBeNull();
    const [agent] = messageElements(log);
    expect(agent?.dataset.role).toBe('agent');
    expect(within(agent!).getByText('Hi, I am Ana.')).toBeTruthy();
  });

  it('renders message text as text, and links only for allowed schemes', async () => {
    const h = harness();
    const log = await startChat(h);
    act(() => {
      h.transport.pushAgentMessage('<b>bold</b> <img src=x onerror=alert(1)> see https://example.com/help or javascript:alert(1) or data:text/html,x');
    });
    expect(log.querySelector('b')).toBeNull();
    expect(log.querySelector('img')).toBeNull();
    const anchors = within(log).getAllByRole('link');
    expect(anchors).toHaveLength(1);
    expect(anchors[0]!.getAttribute('href')).toBe('https://example.com/help');
    expect(anchors[0]!.getAttribute('target')).toBe('_blank');
    expect(anchors[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(log.textContent).toContain('<b>bold</b>');
    expect(log.textContent).toContain('javascript:alert(1)');
  });

  it('announces a lost connection', async () => {
    const h = harness();
    await startChat(h);
    act(() => h.transport.setConnectionState('connecting'));
    expect(screen.getByText('Connection lost. Reconnecting…')).toBeTruthy();
    act(() => h.transport.setConnectionState('connected'));
    expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull();
  });

  it('a message typed while the connection is down waits visibly and goes out after reconnecting', async () => {
    const h = harness();
    const log = await startChat(h);
    act(() => h.transport.setConnectionState('connecting'));
    expect(screen.getByRole('status', { name: '' }).textContent ?? '').toContain('Connection lost. Reconnecting…');
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'typed offline' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    });
    expect(messageElements(log)[0]?.textContent).toContain('Waiting for connection…');
    expect(h.transport.sent).toHaveLength(0);
    await act(async () => h.transport.setConnectionState('connected'));
    expect(await within(log).findByText('Sent')).toBeTruthy();
    expect(h.transport.sent.map((m) => m.body)).toEqual(['typed offline']);
  });

  it('when the chat ends, offers a new one', async () => {
    const h = harness();
    await startChat(h);
    act(() => h.transport.closeConversation());
    expect(screen.getByText('This chat has ended.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start a new chat' }));
    expect(screen.getByRole('form', { name: 'Pre-chat form' })).toBeTruthy();
  });
});

describe('language', () => {
  it('switches language at runtime (FlexChat setLocale): every view follows', async () => {
    const h = harness();
    const log = await startChat(h);
    act(() => h.controller.setLocale('de'));
    expect(screen.getByRole('button', { name: 'Senden' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Nachricht' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Datei anhängen' })).toBeTruthy();
    expect(log.getAttribute('aria-label')).toBe('Nachrichten');
    expect(document.querySelector('.fc-app')?.getAttribute('lang')).toBe('de');
    // Titles from config texts stay as configured.
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Chat with Acme support');
  });

  it('right-to-left locales set dir=rtl on the widget', () => {
    const h = harness({ config: { ...testConfig, locale: 'ar' } });
    render(<App controller={h.controller} />);
    const app = document.querySelector('.fc-app')!;
    expect(app.getAttribute('dir')).toBe('rtl');
    expect(app.getAttribute('lang')).toBe('ar');
    expect(screen.getByRole('button', { name: 'إغلاق المحادثة' })).toBeTruthy(); // the submit label comes from config
  });

  it('the browser language is used when the config sets none', () => {
    const { locale: _unset, ...config } = testConfig;
    const h = harness({ config, controller: { browserLocales: ['pt-BR', 'en'] } });
    render(<App controller={h.controller} />);
    expect(screen.getByRole('form', { name: 'Formulário antes do chat' })).toBeTruthy();
  });
});

describe('shell', () => {
  it('has the configured title and a close button that asks the host to close', () => {
    const onClose = renderApp(harness());
    expect(screen.getByRole('heading', { level: 1, name: 'Chat with Acme support' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("hides its own close button while the host's covers a top corner (one close control), and keeps that corner free", () => {
    const h = harness();
    const fake = hostWiring(h);
    const onClose = vi.fn();
    const { container } = render(<App controller={h.controller} onRequestClose={onClose} layout={fake.wiring.layout} />);
    const header = container.querySelector<HTMLElement>('.fc-header')!;
    expect(screen.getByRole('button', { name: 'Close chat' })).toBeTruthy();
    expect(header.dataset.hostClose).toBeUndefined();

    act(() => fake.command({ type: 'layout', hostClose: 'right' }));
    expect(screen.queryByRole('button', { name: 'Close chat' })).toBeNull();
    expect(container.querySelectorAll('button[aria-label="Close chat"]')).toHaveLength(0); // not merely hidden: gone from the tab order
    expect(header.dataset.hostClose).toBe('right');

    act(() => fake.command({ type: 'layout', hostClose: 'left' }));
    expect(header.dataset.hostClose).toBe('left');

    act(() => fake.command({ type: 'layout', hostClose: null })); // e.g. rotated above the breakpoint
    expect(header.dataset.hostClose).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  /** Presses Tab (or Shift+Tab) on `el`; true if the widget took over the key (the browser would not move focus). */
  const tab = (el: HTMLElement, shiftKey = false) => !fireEvent.keyDown(el, { key: 'Tab', shiftKey });

  it("full screen, a modal with the host's close button: Shift+Tab from the first tab stop goes to it, the host's Tab enters at that stop", () => {
    const h = harness();
    const fake = hostWiring(h);
    render(<App controller={h.controller} layout={fake.wiring.layout} />);
    const own = screen.getByRole('button', { name: 'Close chat' });
    own.focus();
    expect(tab(own, true)).toBe(false); // desktop panel: on to the host page, as ever

    act(() => fake.command({ type: 'layout', hostClose: 'right' }));
    const name = screen.getByRole('textbox', { name: 'Name' }); // the header holds no tab stop now
    const email = screen.getByRole('textbox', { name: 'Email' });
    email.focus();
    act(() => fake.command({ type: 'focusFirst' })); // Tab from the host's button
    expect(document.activeElement).toBe(name);
    expect(tab(name)).toBe(false);
    email.focus();
    expect(tab(email, true)).toBe(false);
    name.focus();
    expect(fake.sent).toEqual([]);
    expect(tab(name, true)).toBe(true);
    expect(fake.sent).toEqual([{ type: 'focusHostClose' }]);

    act(() => fake.command({ type: 'layout', hostClose: null }));
    const ownAgain = screen.getByRole('button', { name: 'Close chat' });
    ownAgain.focus();
    expect(tab(ownAgain, true)).toBe(false);
    expect(fake.sent).toHaveLength(1);
  });

  it('full screen in a chat: the first tab stop is End chat; the confirmation dialog keeps its own Tab loop', async () => {
    const h = await activeHarness();
    const fake = hostWiring(h);
    render(<App controller={h.controller} layout={fake.wiring.layout} />);
    act(() => fake.command({ type: 'layout', hostClose: 'left' }));
    act(() => fake.command({ type: 'focusFirst' }));
    const end = screen.getByRole('button', { name: 'End chat' });
    expect(document.activeElement).toBe(end);
    expect(tab(end, true)).toBe(true);
    expect(fake.sent.filter((e) => e.type === 'focusHostClose')).toHaveLength(1);

    fireEvent.click(end);
    const dialog = screen.getByRole('alertdialog');
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'End chat' })); // wrapped inside the dialog
    expect(fake.sent.filter((e) => e.type === 'focusHostClose')).toHaveLength(1);
  });

  it('applies the theme colour as CSS custom properties', () => {
    const { container } = render(<App controller={harness().controller} />);
    const root = container.querySelector<HTMLElement>('.fc-app')!;
    expect(root.style.getPropertyValue('--fc-primary')).toBe('#0b57d0');
    expect(root.dataset.theme).toBe('light');
  });
});

describe('preview (form builder)', () => {
  it('re-renders form fields, texts, theme colours and colour scheme live, and reverts', () => {
    const h = harness();
    const { container } = render(<App controller={h.controller} />);
    const root = container.querySelector<HTMLElement>('.fc-app')!;
    act(() =>
      h.controller.applyPreview({
        theme: { primaryColor: '#aa0000', mode: 'dark' },
        texts: { title: 'Talk to sales' },
        preEngagement: {
          title: 'Quick question',
          submitLabel: 'Ask',
          fields: [
            { name: 'company', type: 'text', label: 'Company', required: true },
            { name: 'size', type: 'select', label: 'Team size', options: [{ value: 's', label: '1-10' }] },
          ],
        },
      }),
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Talk to sales' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Quick question' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /Company/ })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Team size' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Email' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Ask' })).toBeTruthy();
    expect(root.dataset.theme).toBe('dark');
    expect(root.style.getPropertyValue('--fc-primary')).toBe('#aa0000');

    act(() => h.controller.applyPreview(null));
    expect(screen.getByRole('heading', { level: 1, name: 'Chat with Acme support' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Email' })).toBeTruthy();
    expect(root.dataset.theme).toBe('light');
    expect(root.style.getPropertyValue('--fc-primary')).toBe('#0b57d0');
  });

  it('shows the offline view when the previewed hours say closed', () => {
    const h = harness();
    renderApp(h);
    act(() => h.controller.applyPreview({ businessHours: { timezone: 'UTC', weekly: {} } }));
    expect(screen.queryByRole('form', { name: 'Pre-chat form' })).toBeNull();
    expect(screen.getByText(h.controller.strings.offlineTitle)).toBeTruthy();
    h.controller.dispose();
  });
});
