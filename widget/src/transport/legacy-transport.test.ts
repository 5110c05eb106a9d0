// The twilio-chat adapter's wiring, against a scripted stand-in for the SDK
// (the real SDK against the emulator is the lead's integration suite).
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransportEvent } from './chat-transport.ts';

interface FakeMessage {
  sid: string;
  index: number;
  author: string;
  body: string | null;
  dateCreated: Date;
  attributes: Record<string, unknown>;
  type: 'text' | 'media';
  media?: { sid: string; filename: string; contentType: string; size: number; getContentTemporaryUrl(): Promise<string> };
}

class FakeMember {
  constructor(
    readonly sid: string,
    readonly identity: string,
    public lastConsumedMessageIndex: number | null = null,
    readonly attributes: Record<string, unknown> = {},
  ) {}
  async getUser() {
    return { friendlyName: this.identity === 'agent.alex' ? 'Alex' : '' };
  }
}

class FakeChannel extends EventEmitter {
  sid = 'CH1';
  attributes: Record<string, unknown> = { status: 'ACTIVE', queue: { position: 2 } };
  state = { current: 'active' as const };
  messages: FakeMessage[] = [];
  members = [new FakeMember('MB1', 'visitor-1'), new FakeMember('MB2', 'agent.alex', 0, { member_type: 'agent' })];
  consumed: number[] = [];
  typed = 0;
  sent: Array<{ payload: unknown; attributes: unknown }> = [];
  override off(event: string, listener: (...args: unknown[]) => void) {
    return this.removeListener(event, listener);
  }
  async getMessages(pageSize = 30, anchor?: number) {
    const upTo = anchor ?? Infinity;
    const eligible = this.messages.filter((m) => m.index <= upTo);
    return { items: eligible.slice(-pageSize), hasPrevPage: eligible.length > pageSize };
  }
  async getMembers() {
    return this.members;
  }
  /** The next media message fails (after its upload) with this error. */
  failNextMedia: unknown = null;
  async sendMessage(payload: unknown, attributes: Record<string, unknown>) {
    this.sent.push({ payload, attributes });
    const index = this.messages.length;
    const isMedia = typeof payload === 'object' && payload !== null;
    if (isMedia && this.failNextMedia) {
      const error = this.failNextMedia;
      this.failNextMedia = null;
      throw error;
    }
    const file = payload instanceof FormData ? payload.get('file') : null;
    if (file instanceof File) payload = { filename: file.name, contentType: file.type };
    const message: FakeMessage = {
      sid: `IM${index}`,
      index,
      author: 'visitor-1',
      body: isMedia ? null : (payload as string),
      dateCreated: new Date(0),
      attributes,
      type: isMedia ? 'media' : 'text',
      ...(isMedia ? { media: fakeMedia(`ME${index}`, (payload as { filename: string }).filename, (payload as { contentType: string }).contentType) } : {}),
    };
    this.messages.push(message);
    queueMicrotask(() => this.emit('messageAdded', message));
    return index;
  }
  async typing() {
    this.typed++;
  }
  async advanceLastConsumedMessageIndex(index: number) {
    this.consumed.push(index);
    return index;
  }
}

function fakeMedia(sid: string, filename: string, contentType: string) {
  return { sid, filename, contentType, size: 3, getContentTemporaryUrl: async () => `https://mcs.example.test/${sid}` };
}

class FakeClient extends EventEmitter {
  static created: Array<{ token: string; options: unknown }> = [];
  static failWith: unknown = null;
  static channel = new FakeChannel();
  connectionState = 'connected';
  tokens: string[] = [];
  shutdowns = 0;
  static async create(token: string, options: unknown) {
    if (FakeClient.failWith) throw FakeClient.failWith;
    FakeClient.created.push({ token, options });
    return (FakeClient.last = new FakeClient());
  }
  static last: FakeClient | null = null;
  override off(event: string, listener: (...args: unknown[]) => void) {
    return this.removeListener(event, listener);
  }
  async getChannelBySid(sid: string) {
    if (sid !== 'CH1') throw Object.assign(new Error('Channel not found'), { status: 404 });
    return FakeClient.channel;
  }
  async getUser(identity: string) {
    return { friendlyName: identity === 'agent.alex' ? 'Alex' : '' };
  }
  async updateToken(token: string) {
    this.tokens.push(token);
  }
  async shutdown() {
    this.shutdowns++;
  }
}

vi.mock('twilio-chat', () => ({ Client: FakeClient }));

const { createLegacyTransport } = await import('./legacy-transport.ts');

const credentials = { token: 'tok', identity: 'visitor-1', conversationSid: 'CH1', twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect' };

async function connected() {
  const transport = createLegacyTransport({ echoTimeoutMs: 50 });
  const events: TransportEvent[] = [];
  transport.subscribe((e) => events.push(e));
  await transport.connect(credentials);
  return { transport, events, channel: FakeClient.channel, client: FakeClient.last! };
}

beforeEach(() => {
  FakeClient.created = [];
  FakeClient.failWith = null;
  FakeClient.channel = new FakeChannel();
});

describe('LegacyTransport (twilio-chat)', () => {
  it('connects with the emulator Twilsock URI, opens the channel, reports connection and queue', async () => {
    const { events } = await connected();
    expect(FakeClient.created).toEqual([{ token: 'tok', options: { Twilsock: { uri: credentials.twilsockUri }, logLevel: 'silent' } }]);
    expect(events).toEqual([
      { type: 'connectionState', state: 'connected' },
      { type: 'queue', position: 2 },
    ]);
  });

  it('connect failures map to transport errors and clean up', async () => {
    FakeClient.failWith = Object.assign(new Error('Access token expired'), { status: 401 });
    await expect(createLegacyTransport().connect(credentials)).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
    FakeClient.failWith = null;
    const transport = createLegacyTransport();
    await expect(transport.connect({ ...credentials, conversationSid: 'CH-nope' })).rejects.toMatchObject({ code: 'not-found' });
    expect(FakeClient.last?.shutdowns).toBe(1);
  });

  it('history pages backwards by index; members with read horizons and names', async () => {
    const { transport, channel, events } = await connected();
    for (let i = 0; i < 7; i++) {
      channel.messages.push({ sid: `IM${i}`, index: i, author: 'agent.alex', body: `m${i}`, dateCreated: new Date(i), attributes: {}, type: 'text' });
    }
    const latest = await transport.loadHistory(3);
    expect(latest.messages.map((m) => m.body)).toEqual(['m4', 'm5', 'm6']);
    expect(latest.hasOlder).toBe(true);
    const older = await transport.loadOlder(4, 3);
    expect(older.messages.map((m) => m.index)).toEqual([1, 2, 3]);
    expect((await transport.loadOlder(0, 3)).messages).toEqual([]);
    const participants = await transport.getParticipants();
    expect(participants).toMatchObject([
      { identity: 'visitor-1', role: 'visitor', lastReadIndex: null },
      { identity: 'agent.alex', role: 'agent', lastReadIndex: 0 },
    ]);
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'participantUpdated', participant: expect.objectContaining({ identity: 'agent.alex', displayName: 'Alex' }) }));
  });

  it('sends text with the clientMessageId and resolves with the echoed copy', async () => {
    const { transport, channel } = await connected();
    const sent = await transport.sendMessage('Hi', 'c1');
    expect(channel.sent).toEqual([{ payload: 'Hi', attributes: { clientMessageId: 'c1' } }]);
    expect(sent).toMatchObject({ sid: 'IM0', body: 'Hi', role: 'visitor', clientMessageId: 'c1' });
  });

  it('a file goes as its own media message, marked as part of the text sent before it', async () => {
    const { transport, channel } = await connected();
    const sent = await transport.sendMessage('', 'c2', {
      attachment: { blob: new Blob(['abc'], { type: 'application/pdf' }), filename: 'a.pdf', contentType: 'application/pdf' },
      partOf: 'c1',
    });
    expect(channel.sent.map((s) => s.attributes)).toEqual([{ clientMessageId: 'c2', partOf: 'c1' }]);
    // A FormData: twilio-chat's media options carry no file name, the file part does.
    const form = channel.sent[0]?.payload;
    expect(form).toBeInstanceOf(FormData);
    const part = (form as FormData).get('file');
    expect(part).toBeInstanceOf(File);
    expect({ name: (part as File).name, type: (part as File).type, size: (part as File).size }).toEqual({ name: 'a.pdf', type: 'application/pdf', size: 3 });
    expect(sent).toMatchObject({ clientMessageId: 'c2', partOf: 'c1', body: '', attachments: [{ sid: 'ME0', filename: 'a.pdf', contentType: 'application/pdf' }] });
    expect(await transport.getMediaUrl('IM0', 'ME0')).toBe('https://mcs.example.test/ME0');
  });

  it('text and a file in one message are refused before anything is sent (the session splits them)', async () => {
    const { transport, channel } = await connected();
    const attachment = { blob: new Blob(['abc'], { type: 'application/pdf' }), filename: 'a.pdf', contentType: 'application/pdf' };
    await expect(transport.sendMessage('See attached', 'c4', { attachment })).rejects.toMatchObject({ name: 'TransportError', code: 'rejected' });
    expect(channel.sent).toHaveLength(0);
  });

  it("uploads the file under its canonical type, whatever the browser called it", async () => {
    const { transport, channel } = await connected();
    await transport.sendMessage('', 'c3', { attachment: { blob: new Blob(['ID3'], { type: 'audio/mpga' }), filename: 'note.mp3', contentType: 'audio/mpeg' } });
    expect(channel.sent).toHaveLength(1);
    expect(((channel.sent[0]?.payload as FormData).get('file') as File).type).toBe('audio/mpeg');
  });

  it('live events: messages, members, typing, read horizon, queue, token lifecycle, connection', async () => {
    const { events, channel, client } = await connected();
    events.length = 0;
    const bo = new FakeMember('MB3', 'agent.bo', null, { member_type: 'agent' });
    channel.emit('memberJoined', bo);
    channel.emit('typingStarted', bo);
    channel.emit('typingEnded', bo);
    bo.lastConsumedMessageIndex = 5;
    channel.emit('memberUpdated', { member: bo, updateReasons: ['lastConsumedMessageIndex'] });
    channel.emit('memberUpdated', { member: bo, updateReasons: ['dateUpdated'] }); // nothing we show
    channel.emit('memberLeft', bo);
    channel.attributes = { status: 'ACTIVE', queue: { position: null } };
    channel.emit('updated', { channel, updateReasons: ['attributes'] });
    client.emit('tokenAboutToExpire', 60);
    client.emit('tokenExpired');
    client.emit('connectionStateChanged', 'connecting');
    expect(events).toEqual([
      { type: 'participantJoined', participant: { identity: 'agent.bo', role: 'agent', lastReadIndex: null } },
      { type: 'typing', identity: 'agent.bo', isTyping: true },
      { type: 'typing', identity: 'agent.bo', isTyping: false },
      { type: 'participantUpdated', participant: { identity: 'agent.bo', role: 'agent', lastReadIndex: 5 } },
      { type: 'participantLeft', participant: { identity: 'agent.bo', role: 'agent', lastReadIndex: 5 } },
      { type: 'queue', position: null },
      { type: 'tokenAboutToExpire' },
      { type: 'tokenExpired' },
      { type: 'connectionState', state: 'connecting' },
    ]);
  });

  it('the chat ends once when Flex marks the channel INACTIVE (or the visitor is removed)', async () => {
    const { events, channel, client } = await connected();
    channel.attributes = { status: 'INACTIVE' };
    channel.emit('updated', { channel, updateReasons: ['attributes'] });
    client.emit('channelLeft', channel);
    channel.emit('removed', channel);
    expect(events.filter((e) => e.type === 'conversationState')).toEqual([{ type: 'conversationState', state: 'closed' }]);
  });

  it('a channel that is already inactive reports closed on connect', async () => {
    FakeClient.channel.attributes = { status: 'INACTIVE' };
    const { events } = await connected();
    expect(events).toContainEqual({ type: 'conversationState', state: 'closed' });
  });

  it('read horizon only moves forward; typing is throttled; tokens update; disconnect detaches', async () => {
    const { transport, channel, client, events } = await connected();
    transport.markRead(3);
    transport.markRead(2);
    transport.markRead(5);
    // 5 waits for the end of the read-receipt gap; disconnecting sends it rather than drop it.
    expect(channel.consumed).toEqual([3]);
    transport.notifyTyping();
    transport.notifyTyping();
    expect(channel.typed).toBe(1);
    await transport.updateToken('tok-2');
    expect(client.tokens).toEqual(['tok-2']);
    await transport.disconnect();
    expect(channel.consumed).toEqual([3, 5]);
    expect(client.shutdowns).toBe(1);
    events.length = 0;
    channel.emit('messageAdded', { sid: 'IMx', index: 9, author: 'agent.alex', body: 'late', dateCreated: new Date(0), attributes: {}, type: 'text' });
    expect(events).toEqual([]);
    await expect(transport.loadHistory(5)).rejects.toMatchObject({ code: 'network' });
  });
});
