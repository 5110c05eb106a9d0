// ChatTransport over twilio-chat (legacy Flex Programmable Chat), selected by the
// token service's `mode: 'legacy'`. LAZY: only load-transport.ts imports this
// module, through import(), so twilio-chat lands in its own chunk.
//
// Differences from Conversations, handled here: a channel instead of a
// conversation, members instead of participants, the consumption horizon as the
// read horizon, one file per message and no text with it (the session sends
// text and file as two messages), and the end of a chat marked by channel attributes
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
  type TransportListener,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import { assertTextOrFile, queuePositionOf, sendAttributes, toConnectionState, toTransportError } from './conversations-mapping.ts';
import { legacyChannelEnded, toLegacyMessage, toLegacyParticipant } from './legacy-mapping.ts';
import { TransportCore, withTimeout, type AdapterOptions } from './transport-core.ts';

export type LegacyTransportOptions = AdapterOptions;

export function createLegacyTransport(options: LegacyTransportOptions = {}): ChatTransport {
  return new LegacyTransport(options);
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
  private readonly core: TransportCore<Client, Message, Member>;
  private channel: Channel | null = null;
  private ended = false;

  constructor(options: LegacyTransportOptions) {
    this.core = new TransportCore<Client, Message, Member>(options, { message: toLegacyMessage, participant: toLegacyParticipant });
  }

  async connect(credentials: SessionCredentials): Promise<void> {
    this.core.begin(credentials);
    const options = credentials.twilsockUri ? { Twilsock: { uri: credentials.twilsockUri }, logLevel: 'silent' as const } : { logLevel: 'silent' as const };
    const initTimeoutMs = this.core.initTimeoutMs;
    let client: Client;
    try {
      client = await withTimeout(Client.create(credentials.token, options), initTimeoutMs, `Chat client did not initialise within ${initTimeoutMs} ms`);
    } catch (error) {
      const status = (error as { status?: unknown; httpStatusCode?: unknown })?.status ?? (error as { httpStatusCode?: unknown })?.httpStatusCode;
      const authish = typeof status === 'number' ? status === 401 || status === 403 : /token|auth|denied|expired/i.test(String((error as Error)?.message));
      throw error instanceof TransportError ? error : new TransportError(authish ? 'auth' : 'network', `Cannot create chat client: ${(error as Error)?.message ?? error}`, error);
    }
    this.core.attach(client);
    this.listenForChannelGone(client);
    try {
      const channel = await client
        .getChannelBySid(credentials.conversationSid)
        .catch((error: unknown) => Promise.reject(toTransportError(error, 'not-found', 'Cannot open the channel')));
      this.channel = channel;
      this.listenToChannel(channel);
      this.core.emit({ type: 'connectionState', state: toConnectionState(client.connectionState) });
      if (legacyChannelEnded(channel)) {
        this.ended = true;
        this.core.emit({ type: 'conversationState', state: 'closed' });
      }
      this.core.emit({ type: 'queue', position: queuePositionOf(channel.attributes) });
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
    return this.core.page(this.requireChannel(), pageSize, anchor);
  }

  async getParticipants(): Promise<TransportParticipant[]> {
    const channel = this.requireChannel();
    try {
      const members = await channel.getMembers();
      return members.map((m) => this.core.participant(m));
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load members');
    }
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    const channel = this.requireChannel();
    const file = options.attachment;
    assertTextOrFile(body, file !== undefined);
    const sendTimeoutMs = this.core.sendTimeoutMs;
    try {
      const echo = this.core.expectEcho(clientMessageId);
      const attributes = sendAttributes(clientMessageId, options.partOf);
      const sending = file ? mediaContent(file).then((media) => channel.sendMessage(media, attributes)) : channel.sendMessage(body, attributes);
      const index = await withTimeout(sending, sendTimeoutMs, `No answer within ${sendTimeoutMs} ms`);
      return await this.core.serverCopy(channel, echo, clientMessageId, index, body);
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot send the message');
    } finally {
      this.core.forgetEcho(clientMessageId);
    }
  }

  async getMediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    const message = this.core.sdkMessage(messageSid);
    if (!message || message.type !== 'media' || message.media?.sid !== mediaSid) return null;
    try {
      return await message.media.getContentTemporaryUrl();
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot get the file');
    }
  }

  markRead(index: number): void {
    const channel = this.channel;
    if (channel) this.core.markRead(index, (next) => channel.advanceLastConsumedMessageIndex(next));
  }

  notifyTyping(): void {
    const channel = this.channel;
    if (channel) this.core.notifyTyping(() => channel.typing());
  }

  updateToken(token: string): Promise<void> {
    return this.core.updateToken(token);
  }

  subscribe(listener: TransportListener): () => void {
    return this.core.subscribe(listener);
  }

  async disconnect(): Promise<void> {
    this.channel = null;
    await this.core.teardown();
  }

  // ---- internals ----------------------------------------------------------------

  private requireChannel(): Channel {
    if (!this.channel) throw new TransportError('network', 'Not connected');
    return this.channel;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.core.emit({ type: 'conversationState', state: 'closed' });
  }

  private listenForChannelGone(client: Client): void {
    const onChannelGone = (channel: Channel) => {
      if (channel.sid === this.channel?.sid) this.end();
    };
    client.on('channelLeft', onChannelGone);
    client.on('channelRemoved', onChannelGone);
    this.core.onTeardown(() => {
      client.off('channelLeft', onChannelGone);
      client.off('channelRemoved', onChannelGone);
    });
  }

  private listenToChannel(channel: Channel): void {
    const core = this.core;
    const onMessage = (message: Message) => core.messageAdded(message);
    const onJoined = (member: Member) => core.emit({ type: 'participantJoined', participant: core.participant(member) });
    const onLeft = (member: Member) => core.emit({ type: 'participantLeft', participant: core.participant(member) });
    const onMemberUpdated = ({ member, updateReasons }: { member: Member; updateReasons: MemberUpdateReason[] }) => {
      if (updateReasons.includes('lastConsumedMessageIndex') || updateReasons.includes('attributes')) {
        core.emit({ type: 'participantUpdated', participant: core.participant(member) });
      }
    };
    const onTypingStarted = (member: Member) => member.identity && core.emit({ type: 'typing', identity: member.identity, isTyping: true });
    const onTypingEnded = (member: Member) => member.identity && core.emit({ type: 'typing', identity: member.identity, isTyping: false });
    const onUpdated = ({ channel: updated, updateReasons }: { channel: Channel; updateReasons: ChannelUpdateReason[] }) => {
      if (updateReasons.includes('attributes')) core.emit({ type: 'queue', position: queuePositionOf(updated.attributes) });
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
    core.onTeardown(() => {
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
