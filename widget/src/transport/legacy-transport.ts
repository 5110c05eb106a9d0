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
  type OutgoingFile,
  type SendOptions,
  type SessionCredentials,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import { assertTextOrFile, queuePositionOf, sendAttributes, toConnectionState, toTransportError } from './conversations-mapping.ts';
import { legacyChannelEnded, toLegacyMessage, toLegacyParticipant } from './legacy-mapping.ts';
import { SdkTransport } from './sdk-transport.ts';
import { withTimeout, type AdapterOptions, type EventName } from './transport-core.ts';

/** The events and listeners of a channel and of the client, as twilio-chat types them (it does not export the maps). */
type ChannelEvents = { [K in EventName<Channel>]: Parameters<typeof Channel.prototype.on<K>>[1] };
type ClientEvents = { [K in EventName<Client>]: Parameters<typeof Client.prototype.on<K>>[1] };

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

class LegacyTransport extends SdkTransport<Client, Message, Member, Channel> implements ChatTransport {
  private ended = false;

  constructor(options: LegacyTransportOptions) {
    super(options, { message: toLegacyMessage, participant: toLegacyParticipant });
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
      this.source = channel;
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

  async getParticipants(): Promise<TransportParticipant[]> {
    const channel = this.requireSource();
    try {
      const members = await channel.getMembers();
      return members.map((m) => this.core.participant(m));
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load members');
    }
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    const channel = this.requireSource();
    const file = options.attachment;
    assertTextOrFile(body, file !== undefined);
    const sendTimeoutMs = this.core.sendTimeoutMs;
    try {
      const echo = this.core.expectEcho(clientMessageId);
      const attributes = sendAttributes(clientMessageId, options.partOf, options.answer);
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
    const channel = this.source;
    if (channel) this.core.readReceipts.mark(index, (next) => channel.advanceLastConsumedMessageIndex(next));
  }

  // ---- internals ----------------------------------------------------------------

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.core.emit({ type: 'conversationState', state: 'closed' });
  }

  private listenForChannelGone(client: Client): void {
    const onChannelGone = (channel: Channel) => {
      if (channel.sid === this.source?.sid) this.end();
    };
    this.core.listen<ClientEvents>(client, { channelLeft: onChannelGone, channelRemoved: onChannelGone });
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
    core.listen<ChannelEvents>(channel, {
      messageAdded: onMessage,
      memberJoined: onJoined,
      memberLeft: onLeft,
      memberUpdated: onMemberUpdated,
      typingStarted: onTypingStarted,
      typingEnded: onTypingEnded,
      updated: onUpdated,
      removed: onRemoved,
    });
  }
}
