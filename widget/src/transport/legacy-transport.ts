// ChatTransport over twilio-chat (legacy Flex Programmable Chat), selected by the
// token service's `mode: 'legacy'`. LAZY: only load-transport.ts imports this
// module, through import(), so twilio-chat lands in its own chunk.
//
// Differences from Conversations, handled here: a channel instead of a
// conversation, members instead of participants, the consumption horizon as the
// read horizon, one file per message and no text with it (text and file are
// sent as two messages), and the end of a chat marked by channel attributes
// `status: 'INACTIVE'`.
import { Client } from 'twilio-chat';
import type { Channel, ChannelUpdateReason, Member, MemberUpdateReason, Message, SendMediaOptions } from 'twilio-chat';
import {
  TransportError,
  type ChatTransport,
  type HistoryPage,
  type OutgoingFile,
  type SendOptions,
  type SessionCredentials,
  type TransportEvent,
  type TransportListener,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import { clientMessageIdAttribute, queuePositionOf, toConnectionState, toTransportError } from './conversations-mapping.ts';
import { legacyChannelEnded, toLegacyMessage, toLegacyParticipant } from './legacy-mapping.ts';
import { renewClientToken } from './token-renewal.ts';

export interface LegacyTransportOptions {
  initTimeoutMs?: number;
  echoTimeoutMs?: number;
  typingIntervalMs?: number;
  sendTimeoutMs?: number;
}

export function createLegacyTransport(options: LegacyTransportOptions = {}): ChatTransport {
  return new LegacyTransport(options);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError('network', message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What channel.sendMessage gets for a file. twilio-chat's SendMediaOptions has
 * no file name (the SDK uploads contentType + bytes only), so browsers send a
 * FormData, the way Programmable Chat documents it: MCS takes the name and type
 * from the file part. The SDK's Node build (tests) cannot post a FormData and
 * needs a Buffer; there the name is lost.
 */
async function mediaContent(file: OutgoingFile): Promise<FormData | SendMediaOptions> {
  if (typeof window === 'undefined' && typeof Buffer === 'function') {
    return { contentType: file.contentType, media: Buffer.from(await file.blob.arrayBuffer()) };
  }
  const form = new FormData();
  // The canonical type, not whatever the OS called it (e.g. audio/mpga for an mp3).
  form.append('file', new Blob([file.blob], { type: file.contentType }), file.filename);
  return form;
}

class LegacyTransport implements ChatTransport {
  private readonly initTimeoutMs: number;
  private readonly echoTimeoutMs: number;
  private readonly typingIntervalMs: number;
  private readonly sendTimeoutMs: number;
  private client: Client | null = null;
  private channel: Channel | null = null;
  private identity = '';
  /** The access token the client holds. */
  private token = '';
  private readonly listeners = new Set<TransportListener>();
  private readonly names = new Map<string, string>();
  private readonly nameLookups = new Set<string>();
  private readonly sdkMessages = new Map<string, Message>();
  private readonly echoes = new Map<string, (message: TransportMessage) => void>();
  /** Messages with a file whose text already went out (the file has not yet). */
  private readonly textsSent = new Set<string>();
  private readonly detachers: Array<() => void> = [];
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  private lastReadSent = -1;
  private ended = false;

  constructor(options: LegacyTransportOptions) {
    this.initTimeoutMs = options.initTimeoutMs ?? 20_000;
    this.echoTimeoutMs = options.echoTimeoutMs ?? 3_000;
    this.typingIntervalMs = options.typingIntervalMs ?? 2_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  }

  async connect(credentials: SessionCredentials): Promise<void> {
    if (this.client) throw new TransportError('rejected', 'Transport is already connected');
    this.identity = credentials.identity;
    this.token = credentials.token;
    const options = credentials.twilsockUri ? { Twilsock: { uri: credentials.twilsockUri }, logLevel: 'silent' as const } : { logLevel: 'silent' as const };
    let client: Client;
    try {
      client = await withTimeout(Client.create(credentials.token, options), this.initTimeoutMs, `Chat client did not initialise within ${this.initTimeoutMs} ms`);
    } catch (error) {
      const status = (error as { status?: unknown; httpStatusCode?: unknown })?.status ?? (error as { httpStatusCode?: unknown })?.httpStatusCode;
      const authish = typeof status === 'number' ? status === 401 || status === 403 : /token|auth|denied|expired/i.test(String((error as Error)?.message));
      throw error instanceof TransportError ? error : new TransportError(authish ? 'auth' : 'network', `Cannot create chat client: ${(error as Error)?.message ?? error}`, error);
    }
    this.client = client;
    this.listenToClient(client);
    try {
      const channel = await client
        .getChannelBySid(credentials.conversationSid)
        .catch((error: unknown) => Promise.reject(toTransportError(error, 'not-found', 'Cannot open the channel')));
      this.channel = channel;
      this.listenToChannel(channel);
      this.emit({ type: 'connectionState', state: toConnectionState(client.connectionState) });
      if (legacyChannelEnded(channel)) {
        this.ended = true;
        this.emit({ type: 'conversationState', state: 'closed' });
      }
      this.emit({ type: 'queue', position: queuePositionOf(channel.attributes) });
    } catch (error) {
      await this.disconnect();
      throw toTransportError(error, 'unknown', 'Cannot connect');
    }
  }

  loadHistory(pageSize: number): Promise<HistoryPage> {
    return this.page(pageSize, undefined);
  }

  loadOlder(beforeIndex: number, pageSize: number): Promise<HistoryPage> {
    if (beforeIndex <= 0) return Promise.resolve({ messages: [], hasOlder: false });
    return this.page(pageSize, beforeIndex - 1);
  }

  private async page(pageSize: number, anchor: number | undefined): Promise<HistoryPage> {
    const channel = this.requireChannel();
    try {
      const page = await channel.getMessages(pageSize, anchor, 'backwards');
      const messages = page.items.map((m) => this.map(m)).sort((a, b) => a.index - b.index);
      for (const m of messages) this.lookUpName(m.author);
      return { messages, hasOlder: page.hasPrevPage };
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load messages');
    }
  }

  async getParticipants(): Promise<TransportParticipant[]> {
    const channel = this.requireChannel();
    try {
      const members = await channel.getMembers();
      return members.map((m) => this.member(m));
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load members');
    }
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    const channel = this.requireChannel();
    const file = options.attachment;
    try {
      // Legacy messages are text or one file: the text goes first, on its own,
      // and only once even if the file then fails and the visitor retries.
      if (file && body !== '' && !this.textsSent.has(clientMessageId)) {
        await withTimeout(channel.sendMessage(body, { [clientMessageIdAttribute]: `${clientMessageId}:text` }), this.sendTimeoutMs, 'No answer');
        this.textsSent.add(clientMessageId);
      }
      const echo = new Promise<TransportMessage>((resolve) => this.echoes.set(clientMessageId, resolve));
      const attributes = { [clientMessageIdAttribute]: clientMessageId };
      const sending = file ? mediaContent(file).then((media) => channel.sendMessage(media, attributes)) : channel.sendMessage(body, attributes);
      const index = await withTimeout(sending, this.sendTimeoutMs, `No answer within ${this.sendTimeoutMs} ms`);
      this.textsSent.delete(clientMessageId);
      const copy = await Promise.race([echo, new Promise<null>((r) => setTimeout(() => r(null), this.echoTimeoutMs))]);
      if (copy) return copy;
      const page = await channel.getMessages(1, index).catch(() => null);
      const found = page?.items.find((m) => m.index === index);
      if (found) return this.map(found);
      return { sid: `pending:${clientMessageId}`, index, author: this.identity, role: 'visitor', body: file ? '' : body, createdAt: Date.now(), clientMessageId };
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot send the message');
    } finally {
      this.echoes.delete(clientMessageId);
    }
  }

  async getMediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    const message = this.sdkMessages.get(messageSid);
    if (!message || message.type !== 'media' || message.media?.sid !== mediaSid) return null;
    try {
      return await message.media.getContentTemporaryUrl();
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot get the file');
    }
  }

  markRead(index: number): void {
    const channel = this.channel;
    if (!channel || index <= this.lastReadSent) return;
    this.lastReadSent = index;
    channel.advanceLastConsumedMessageIndex(index).catch(() => {
      this.lastReadSent = -1;
    });
  }

  notifyTyping(): void {
    const channel = this.channel;
    if (!channel) return;
    const now = Date.now();
    if (now - this.lastTypingAt < this.typingIntervalMs) return;
    this.lastTypingAt = now;
    channel.typing().catch(() => {});
  }

  async updateToken(token: string): Promise<void> {
    const client = this.client;
    if (!client) throw new TransportError('rejected', 'Transport is not connected');
    await renewClientToken(
      {
        connectionState: () => client.connectionState,
        onConnectionState: (listener) => {
          client.on('connectionStateChanged', listener);
          return () => client.off('connectionStateChanged', listener);
        },
        updateToken: (next) =>
          client.updateToken(next).catch((error: unknown) => Promise.reject(toTransportError(error, 'auth', 'Cannot update the access token'))),
      },
      this.token,
      token,
    );
    if (client === this.client) this.token = token;
  }

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async disconnect(): Promise<void> {
    for (const detach of this.detachers.splice(0)) detach();
    this.echoes.clear();
    this.sdkMessages.clear();
    const client = this.client;
    this.client = null;
    this.channel = null;
    if (client) await client.shutdown().catch(() => {});
  }

  // ---- internals ----------------------------------------------------------------

  private emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private requireChannel(): Channel {
    if (!this.channel) throw new TransportError('network', 'Not connected');
    return this.channel;
  }

  private map(message: Message): TransportMessage {
    this.sdkMessages.set(message.sid, message);
    return toLegacyMessage(message as never, this.identity, this.names);
  }

  private member(member: Member): TransportParticipant {
    const mapped = toLegacyParticipant(member as never, this.identity, this.names);
    this.lookUpName(mapped.identity, member);
    return mapped;
  }

  private lookUpName(identity: string, member?: Member): void {
    if (identity === '' || identity === this.identity || this.nameLookups.has(identity) || !this.client) return;
    this.nameLookups.add(identity);
    const user = member ? member.getUser() : this.client.getUser(identity);
    user
      .then((found) => {
        const name = found.friendlyName;
        if (!name || this.names.get(identity) === name) return;
        this.names.set(identity, name);
        this.emit({
          type: 'participantUpdated',
          participant: member ? { ...toLegacyParticipant(member as never, this.identity, this.names), displayName: name } : { identity, role: 'agent', displayName: name },
        });
      })
      .catch(() => {});
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit({ type: 'conversationState', state: 'closed' });
  }

  private listenToClient(client: Client): void {
    const onConnection = (state: string) => this.emit({ type: 'connectionState', state: toConnectionState(state) });
    const onAboutToExpire = () => this.emit({ type: 'tokenAboutToExpire' });
    const onExpired = () => this.emit({ type: 'tokenExpired' });
    const onChannelGone = (channel: Channel) => {
      if (channel.sid === this.channel?.sid) this.end();
    };
    client.on('connectionStateChanged', onConnection);
    client.on('tokenAboutToExpire', onAboutToExpire);
    client.on('tokenExpired', onExpired);
    client.on('channelLeft', onChannelGone);
    client.on('channelRemoved', onChannelGone);
    this.detachers.push(() => {
      client.off('connectionStateChanged', onConnection);
      client.off('tokenAboutToExpire', onAboutToExpire);
      client.off('tokenExpired', onExpired);
      client.off('channelLeft', onChannelGone);
      client.off('channelRemoved', onChannelGone);
    });
  }

  private listenToChannel(channel: Channel): void {
    const onMessage = (message: Message) => {
      const mapped = this.map(message);
      this.lookUpName(mapped.author);
      if (mapped.clientMessageId) this.echoes.get(mapped.clientMessageId)?.(mapped);
      this.emit({ type: 'messageAdded', message: mapped });
    };
    const onJoined = (member: Member) => this.emit({ type: 'participantJoined', participant: this.member(member) });
    const onLeft = (member: Member) => this.emit({ type: 'participantLeft', participant: this.member(member) });
    const onMemberUpdated = ({ member, updateReasons }: { member: Member; updateReasons: MemberUpdateReason[] }) => {
      if (updateReasons.includes('lastConsumedMessageIndex') || updateReasons.includes('attributes')) {
        this.emit({ type: 'participantUpdated', participant: this.member(member) });
      }
    };
    const onTypingStarted = (member: Member) => member.identity && this.emit({ type: 'typing', identity: member.identity, isTyping: true });
    const onTypingEnded = (member: Member) => member.identity && this.emit({ type: 'typing', identity: member.identity, isTyping: false });
    const onUpdated = ({ channel: updated, updateReasons }: { channel: Channel; updateReasons: ChannelUpdateReason[] }) => {
      if (updateReasons.includes('attributes')) this.emit({ type: 'queue', position: queuePositionOf(updated.attributes) });
      if (legacyChannelEnded(updated)) this.end();
    };
    const onRemoved = () => this.end();
    channel.on('messageAdded', onMessage);
    channel.on('memberJoined', onJoined);
    channel.on('memberLeft', onLeft);
    channel.on('memberUpdated', onMemberUpdated);
    channel.on('typingStarted', onTypingStarted);
    channel.on('typingEnded', onTypingEnded);
    channel.on('updated', onUpdated);
    channel.on('removed', onRemoved);
    this.detachers.push(() => {
      channel.off('messageAdded', onMessage);
      channel.off('memberJoined', onJoined);
      channel.off('memberLeft', onLeft);
      channel.off('memberUpdated', onMemberUpdated);
      channel.off('typingStarted', onTypingStarted);
      channel.off('typingEnded', onTypingEnded);
      channel.off('updated', onUpdated);
      channel.off('removed', onRemoved);
    });
  }
}
