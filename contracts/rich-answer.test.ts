import { describe, expect, it } from 'vitest';
import { richAnswerAttributes, richAnswerOf } from './rich-answer.ts';

describe('rich answers in message attributes', () => {
  it("names a reply button's id ButtonPayload and a list item's ListId, as Twilio's WhatsApp webhook", () => {
    expect(richAnswerAttributes({ kind: 'reply', id: 'topic_billing' })).toEqual({ ButtonPayload: 'topic_billing' });
    expect(richAnswerAttributes({ kind: 'item', id: 'size_m' })).toEqual({ ListId: 'size_m' });
  });

  it('reads them back, with the attributes they travel with', () => {
    expect(richAnswerOf({ clientMessageId: 'c1', ButtonPayload: 'topic_billing' })).toEqual({ kind: 'reply', id: 'topic_billing' });
    expect(richAnswerOf({ clientMessageId: 'c1', ListId: 'size_m' })).toEqual({ kind: 'item', id: 'size_m' });
  });

  it.each([null, 'ButtonPayload', ['ButtonPayload'], {}, { ButtonPayload: '' }, { ButtonPayload: 7 }, { ListId: 'x'.repeat(201) }])(
    'finds no answer in %j',
    (attributes) => expect(richAnswerOf(attributes)).toBeNull(),
  );
});
