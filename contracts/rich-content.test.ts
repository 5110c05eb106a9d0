import { describe, expect, it } from 'vitest';
import { httpUrl, parseRichContent } from './rich-content.ts';

// Shapes as @twilio/conversations' getContentData() resolves them (rawData and index included).
const quickReply = {
  type: 'quickReply',
  body: 'What can we help you with?',
  replies: [{ title: 'Billing', id: 'topic_billing' }, { title: 'Other' }],
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
  body: 'Which plan?',
  button: 'Choose a plan',
  items: [{ id: 'plan_starter', item: 'Starter', description: 'Up to 3 seats' }, { id: 'plan_team', item: 'Team' }],
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

describe('parseRichContent', () => {
  it('narrows the four types to the widget’s shapes', () => {
    expect(parseRichContent(quickReply)).toEqual({
      type: 'twilio/quick-reply',
      body: 'What can we help you with?',
      replies: [
        { kind: 'reply', title: 'Billing', id: 'topic_billing' },
        { kind: 'reply', title: 'Other', id: null },
      ],
    });
    expect(parseRichContent(callToAction)).toEqual({
      type: 'twilio/call-to-action',
      body: 'Find answers or call us.',
      actions: [
        { kind: 'url', title: 'Help centre', url: 'https://example.com/help' },
        { kind: 'phone', title: 'Call us', phone: '+15551234567' },
      ],
    });
    expect(parseRichContent(listPicker)).toEqual({
      type: 'twilio/list-picker',
      body: 'Which plan?',
      button: 'Choose a plan',
      items: [
        { id: 'plan_starter', item: 'Starter', description: 'Up to 3 seats' },
        { id: 'plan_team', item: 'Team', description: null },
      ],
    });
    expect(parseRichContent(card)).toEqual({
      type: 'twilio/card',
      title: 'Your order has shipped',
      subtitle: 'Arrives on Friday',
      media: 'https://example.com/parcel.png',
      actions: [
        { kind: 'url', title: 'Track', url: 'https://example.com/track' },
        { kind: 'reply', title: 'Thanks!', id: 'order_thanks' },
      ],
    });
  });

  it('keeps a card without media, and shows no media that is not http(s)', () => {
    expect(parseRichContent({ type: 'card', title: 'T', subtitle: 'S', media: [], actions: [] })).toMatchObject({ media: null, actions: [] });
    expect(parseRichContent({ ...card, media: ['javascript:alert(1)'] })).toMatchObject({ media: null });
    expect(parseRichContent({ ...card, media: ['data:image/png;base64,AAAA'] })).toMatchObject({ media: null });
  });

  it.each([
    ['null', null],
    ['a string', 'quickReply'],
    ['an array', [quickReply]],
    ['plain text content', { type: 'text', body: 'Hi', rawData: '{}' }],
    ['a location', { type: 'location', latitude: 1, longitude: 2 }],
    ['an unknown type', { type: 'carousel', body: 'x' }],
    ['no replies', { ...quickReply, replies: [] }],
    ['eleven replies', { ...quickReply, replies: Array.from({ length: 11 }, (_, i) => ({ title: `t${i}` })) }],
    ['a reply title over 20 characters', { ...quickReply, replies: [{ title: 'x'.repeat(21) }] }],
    ['a blank reply title', { ...quickReply, replies: [{ title: '   ' }] }],
    ['a numeric body', { ...quickReply, body: 42 }],
    ['a body over 1,024 characters', { ...quickReply, body: 'x'.repeat(1025) }],
    ['a javascript: link', { ...callToAction, actions: [{ type: 'url', title: 'x', url: 'javascript:alert(1)' }] }],
    ['a relative link', { ...callToAction, actions: [{ type: 'url', title: 'x', url: '/help' }] }],
    ['a data: link', { ...callToAction, actions: [{ type: 'url', title: 'x', url: 'data:text/html,<b>x</b>' }] }],
    ['a phone that is not E.164', { ...callToAction, actions: [{ type: 'phone', title: 'x', phone: '555-1234' }] }],
    ['a reply among call-to-action buttons', { ...callToAction, actions: [{ type: 'reply', title: 'x', id: 'y' }] }],
    ['an "other" action', { ...callToAction, actions: [{ type: 'other', rawData: '{}' }] }],
    ['three call-to-action buttons', { ...callToAction, actions: [callToAction.actions[0], callToAction.actions[0], callToAction.actions[0]] }],
    ['a list item over 24 characters', { ...listPicker, items: [{ id: 'a', item: 'x'.repeat(25) }] }],
    ['a list item without id', { ...listPicker, items: [{ item: 'Starter' }] }],
    ['a list without its button', { ...listPicker, button: undefined }],
    ['a card without a title', { ...card, title: undefined }],
    ['a card with four actions', { ...card, actions: [card.actions[0], card.actions[0], card.actions[0], card.actions[0]] }],
    ['card media that are not strings', { ...card, media: [{ url: 'https://example.com/a.png' }] }],
  ])('refuses %s (the plain body is shown instead)', (_, value) => {
    expect(parseRichContent(value)).toBeNull();
  });
});

describe('links', () => {
  it('takes only absolute http(s) URLs', () => {
    expect(httpUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(httpUrl('HTTP://example.com')).toBe('http://example.com/');
    expect([httpUrl('mailto:a@b.c'), httpUrl('javascript:1'), httpUrl('https://'), httpUrl(5)]).toEqual([null, null, null, null]);
  });
});
