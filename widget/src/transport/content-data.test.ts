import { describe, expect, it } from 'vitest';
import { fetchRichContent } from './content-data.ts';

describe('fetchRichContent', () => {
  it('fetches nothing for a message without a contentSid', () => {
    let fetched = 0;
    const getContentData = () => {
      fetched++;
      return Promise.resolve(null);
    };
    expect(fetchRichContent({ contentSid: null, getContentData })).toBeNull();
    expect(fetchRichContent({ contentSid: '', getContentData })).toBeNull();
    expect(fetchRichContent({ contentSid: 'HX1' })).toBeNull();
    expect(fetched).toBe(0);
  });

  it('parses what getContentData() resolves to', async () => {
    const data = { type: 'quickReply', body: 'Yes or no?', replies: [{ title: 'Yes', id: 'y' }], rawData: '{}' };
    await expect(fetchRichContent({ contentSid: 'HX1', getContentData: () => Promise.resolve(data) })).resolves.toEqual({
      type: 'twilio/quick-reply',
      body: 'Yes or no?',
      replies: [{ kind: 'reply', title: 'Yes', id: 'y' }],
    });
  });

  it('resolves null for content the widget does not draw', async () => {
    await expect(fetchRichContent({ contentSid: 'HX1', getContentData: () => Promise.resolve({ type: 'text', body: 'Hi' }) })).resolves.toBeNull();
  });
});
