// Rich replies in the chat: drawn from the message's parsed content, answered
// with the mouse or the keyboard, locked once answered (also after a reload).
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RichContent } from '../../../../contracts/rich-content.ts';
import { activeHarness, type Harness } from '../../testing/fixtures.ts';
import { historyMessage } from '../../testing/history-message.ts';
import { App } from '../App.tsx';

afterEach(cleanup);

// As @twilio/conversations' getContentData() resolves them (the emulator's seeded templates).
const quickReply = {
  type: 'quickReply',
  body: 'What can we help you with?',
  replies: [{ title: 'Billing', id: 'topic_billing' }, { title: 'Technical issue', id: 'topic_tech' }],
  rawData: '{}',
};
const callToAction = {
  type: 'callToAction',
  body: 'Find answers or call us.',
  actions: [
    { type: 'url', title: 'Help centre', url: 'https://example.com/help', rawData: '{}' },
    { type: 'phone', title: 'Call us', phone: '+15551234567', rawData: '{}' },
  ],
  rawData: '{}',
};
const listPicker = {
  type: 'listPicker',
  body: 'Which plan are you on?',
  button: 'Choose a plan',
  items: [
    { id: 'plan_starter', item: 'Starter', description: 'Up to 3 seats' },
    { id: 'plan_team', item: 'Team', description: 'Up to 25 seats' },
    { id: 'plan_enterprise', item: 'Enterprise' },
  ],
  rawData: '{}',
};
const card = {
  type: 'card',
  title: 'Your order has shipped',
  subtitle: 'Arrives on Friday',
  media: ['https://example.com/parcel.png'],
  actions: [
    { type: 'url', title: 'Track', url: 'https://example.com/track', rawData: '{}' },
    { type: 'reply', title: 'Thanks!', id: 'order_thanks', index: 1, rawData: '{}' },
  ],
  rawData: '{}',
};

function renderChat(h: Harness) {
  render(<App controller={h.controller} />);
  return screen.getByRole('log', { name: 'Messages' });
}

const sentBodies = (h: Harness) => h.transport.sent.map((m) => m.body);

describe('quick replies', () => {
  it('are buttons; the chosen title is sent as the visitor’s message and every button locks', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('What can we help you with?', quickReply));
    const group = await within(log).findByRole('group', { name: 'Suggested replies' });
    expect(within(log).getByText('What can we help you with?')).toBeTruthy();
    const billing = within(group).getByRole('button', { name: 'Billing' });
    expect(billing.getAttribute('aria-disabled')).toBeNull();

    await act(async () => fireEvent.click(billing));
    expect(sentBodies(h)).toEqual(['Billing']);
    // The reply's id goes with it, for a bot to match on (contracts/rich-answer.ts).
    expect(h.transport.sent[0]?.answer).toEqual({ kind: 'reply', id: 'topic_billing' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-disabled'))).toEqual(['true', 'true']);
    expect(within(group).getByRole('button', { name: 'Billing (your answer)' })).toBe(billing);
    // Locked buttons send nothing more.
    await act(async () => fireEvent.click(within(group).getByRole('button', { name: 'Technical issue' })));
    expect(sentBodies(h)).toEqual(['Billing']);
  });

  it('are locked after a reload when the visitor wrote after them', async () => {
    const content = { type: 'twilio/quick-reply', body: 'Pick one', replies: [{ kind: 'reply', title: 'Yes', id: 'y' }] } satisfies RichContent;
    const h = await activeHarness({
      transport: { history: [historyMessage(0, 'agent', 'Pick one', { content }), historyMessage(1, 'visitor', 'Yes', { author: 'someone' })] },
    });
    const log = renderChat(h);
    const yes = await within(log).findByRole('button', { name: 'Yes (your answer)' });
    expect(yes.getAttribute('aria-disabled')).toBe('true');
  });

  it('lock when the chat is over', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('What can we help you with?', quickReply));
    await within(log).findByRole('group', { name: 'Suggested replies' });
    act(() => h.transport.closeConversation());
    expect(within(log).getByRole('button', { name: 'Billing' }).getAttribute('aria-disabled')).toBe('true');
  });

  it('speak the visitor’s language', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => h.controller.setLocale('es'));
    act(() => void h.transport.pushAgentContent('What can we help you with?', quickReply));
    expect(await within(log).findByRole('group', { name: 'Respuestas sugeridas' })).toBeTruthy();
  });
});

describe('call to action', () => {
  it('web links open in a new tab without opener or referrer; phone actions are tel: links', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('Find answers or call us.', callToAction));
    const help = await within(log).findByRole('link', { name: 'Help centre (opens in a new tab)' });
    expect([help.getAttribute('href'), help.getAttribute('target'), help.getAttribute('rel')]).toEqual(['https://example.com/help', '_blank', 'noopener noreferrer']);
    const call = within(log).getByRole('link', { name: 'Call us' });
    expect([call.getAttribute('href'), call.getAttribute('target')]).toEqual(['tel:+15551234567', null]);
  });

  it('a template with a link that is not http(s) shows only its plain body', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    const bad = { ...callToAction, actions: [{ type: 'url', title: 'Click', url: 'javascript:alert(1)', rawData: '{}' }] };
    act(() => void h.transport.pushAgentContent('Find answers or call us.', bad));
    expect(await within(log).findByText('Find answers or call us.')).toBeTruthy();
    expect(within(log).queryByRole('link')).toBeNull();
    expect(within(log).queryByText('Click')).toBeNull();
  });
});

describe('list picker', () => {
  it('opens from the keyboard, moves with the arrows, picks with Enter and sends the item', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('Which plan are you on?', listPicker));
    const button = await within(log).findByRole('button', { name: 'Choose a plan' });
    expect(button.getAttribute('aria-haspopup')).toBe('listbox');
    expect(button.getAttribute('aria-expanded')).toBe('false');

    act(() => button.focus());
    act(() => void fireEvent.keyDown(button, { key: 'ArrowDown' }));
    const listbox = within(log).getByRole('listbox', { name: 'Choose a plan' });
    expect(document.activeElement).toBe(listbox);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const options = within(listbox).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['StarterUp to 3 seats', 'TeamUp to 25 seats', 'Enterprise']);
    expect(listbox.getAttribute('aria-activedescendant')).toBe(options[0]!.id);

    act(() => void fireEvent.keyDown(listbox, { key: 'End' }));
    act(() => void fireEvent.keyDown(listbox, { key: 'ArrowUp' }));
    expect(listbox.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    expect(options[1]!.getAttribute('aria-selected')).toBe('true');
    await act(async () => void fireEvent.keyDown(listbox, { key: 'Enter' }));

    expect(sentBodies(h)).toEqual(['Team']);
    expect(h.transport.sent[0]?.answer).toEqual({ kind: 'item', id: 'plan_team' });
    expect(within(log).queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    // Locked: it opens no more.
    act(() => void fireEvent.click(button));
    expect(within(log).queryByRole('listbox')).toBeNull();
  });

  it('Escape closes the list without sending, and focus returns to the button', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('Which plan are you on?', listPicker));
    const button = await within(log).findByRole('button', { name: 'Choose a plan' });
    act(() => void fireEvent.click(button));
    const listbox = within(log).getByRole('listbox');
    act(() => void fireEvent.keyDown(listbox, { key: 'Escape' }));
    expect(within(log).queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(sentBodies(h)).toEqual([]);
  });

  it('a click on an item picks it', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('Which plan are you on?', listPicker));
    act(() => void fireEvent.click(screen.getByRole('button', { name: 'Choose a plan' })));
    await act(async () => void fireEvent.click(within(log).getByRole('option', { name: /Enterprise/ })));
    expect(sentBodies(h)).toEqual(['Enterprise']);
  });
});

describe('card', () => {
  it('shows its picture, title, subtitle, a link and an answer button', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => void h.transport.pushAgentContent('Your order has shipped', card));
    const title = await within(log).findByText('Your order has shipped');
    const box = title.closest('.fc-rich-card') as HTMLElement;
    expect(within(box).getByText('Arrives on Friday')).toBeTruthy();
    const image = box.querySelector('img');
    expect([image?.getAttribute('src'), image?.getAttribute('alt'), image?.getAttribute('referrerpolicy')]).toEqual(['https://example.com/parcel.png', '', 'no-referrer']);
    expect(within(box).getByRole('link', { name: 'Track (opens in a new tab)' }).getAttribute('href')).toBe('https://example.com/track');
    await act(async () => fireEvent.click(within(box).getByRole('button', { name: 'Thanks!' })));
    expect(sentBodies(h)).toEqual(['Thanks!']);
    // A picture that cannot load (or that the CSP refuses) is left out.
    act(() => void fireEvent.error(image!));
    expect(box.querySelector('img')).toBeNull();
  });
});
