import { describe, expect, it } from 'vitest';
import { legacyChannelEnded, toLegacyAttachments, toLegacyMessage, toLegacyParticipant, type LegacyMessageLike } from './legacy-mapping.ts';

const message = (extra: Partial<LegacyMessageLike> = {}): LegacyMessageLike => ({
  sid: 'IM1',
  index: 4,
  author: 'agent.alex',
  body: 'Hello',
  dateCreated: new Date(Date.UTC(2025, 0, 1, 12)),
  attributes: {},
  type: 'text',
  ...extra,
});

describe('legacy (twilio-chat) mapping', () => {
  it('maps text messages like Conversations ones: role, name, clientMessageId', () => {
    expect(toLegacyMessage(message({ attributes: { clientMessageId: 'c1' } }), 'me', new Map([['agent.alex', 'Alex']]))).toEqual({
      sid: 'IM1',
      index: 4,
      author: 'agent.alex',
      role: 'agent',
      authorName: 'Alex',
      body: 'Hello',
      createdAt: Date.UTC(2025, 0, 1, 12),
      clientMessageId: 'c1',
    });
    expect(toLegacyMessage(message({ author: 'me' }), 'me', new Map()).role).toBe('visitor');
    expect(toLegacyMessage(message({ author: null, body: null, dateCreated: null }), 'me', new Map(), () => 7)).toMatchObject({ role: 'system', body: '', createdAt: 7 });
  });

  it('a media message carries its one file and no text', () => {
    const media = message({ type: 'media', body: null, media: { sid: 'ME1', filename: 'scan.pdf', contentType: 'application/pdf', size: 99 } });
    expect(toLegacyMessage(media, 'me', new Map())).toMatchObject({ body: '', attachments: [{ sid: 'ME1', filename: 'scan.pdf', contentType: 'application/pdf', size: 99 }] });
    expect(toLegacyAttachments(message({ media: { sid: 'ME2', filename: null, contentType: 'image/png', size: 1 } }))).toEqual([]); // text type: ignored
  });

  it('members: own identity is the visitor, guests too; the consumption horizon is the read horizon', () => {
    expect(toLegacyParticipant({ sid: 'MB1', identity: 'agent.alex', lastConsumedMessageIndex: 3 }, 'me', new Map([['agent.alex', 'Alex']]))).toEqual({
      identity: 'agent.alex',
      role: 'agent',
      displayName: 'Alex',
      lastReadIndex: 3,
    });
    expect(toLegacyParticipant({ sid: 'MB2', identity: 'me' }, 'me', new Map()).role).toBe('visitor');
    expect(toLegacyParticipant({ sid: 'MB3', identity: 'g', attributes: { member_type: 'guest' } }, 'me', new Map()).role).toBe('visitor');
    expect(toLegacyParticipant({ sid: 'MB4', identity: null }, 'me', new Map()).identity).toBe('MB4');
  });

  it('a chat is over when Flex marks the channel INACTIVE, or its state is inactive/closed', () => {
    expect(legacyChannelEnded({ attributes: { status: 'INACTIVE' } })).toBe(true);
    expect(legacyChannelEnded({ attributes: { status: 'inactive' } })).toBe(true);
    expect(legacyChannelEnded({ attributes: { status: 'ACTIVE' } })).toBe(false);
    expect(legacyChannelEnded({ attributes: {}, state: { current: 'closed' } })).toBe(true);
    expect(legacyChannelEnded({ attributes: {}, state: { current: 'inactive' } })).toBe(true);
    expect(legacyChannelEnded({ attributes: null, state: { current: 'active' } })).toBe(false);
    expect(legacyChannelEnded({ attributes: 'INACTIVE' })).toBe(false);
  });
});
