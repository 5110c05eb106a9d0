// ChatTransport over the real @twilio/conversations SDK (Flex Conversations).
// LAZY: only load-transport.ts imports this module, through import(), so the
// SDK lands in its own chunk that downloads while the visitor fills in the form.
import { Client } from '@twilio/conversations';
import type {
  ConnectionState as SdkConnectionState,
  Conversation,
  ConversationUpdateReason,
  Message,
  Participant,
  ParticipantUpdateReason,
  State,
} from '@twilio/conversations';
import {
  TransportError,
  type ChatTransport,
  type SendOptions,
  type SessionCredentials,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import { fetchRichContent } from './content-data.ts';
import { assertTextOrFile, queuePositionOf, sendAttributes, toTransportError, toTransportMessage, toTransportParticipant } from './conversations-mapping.ts';
import { SdkTransport } from './sdk-transport.ts';
import { listenAll, withTimeout, type AdapterOptions, type EventName } from './transport-core.ts';

/** A conversation's events and their listeners, as the SDK types them (it does not export the map). */
type ConversationEvents = { [K in EventName<Conversation>]: Parameters<typeof Conversation.prototype.on<K>>[1] };
type ClientEvents = { [K in EventName<Client>]: Parameters<typeof Client.prototype.on<K>>[1] };

export type ConversationsTransportOptions = AdapterOptions;

/** Browsers upload the Blob; the SDK's Node build (tests, server-side use) needs a Buffer. */
async function mediaPayload(blob: Blob): Promise<Blob | Buffer> {
  if (typeof window === 'undefined' && typeof Buffer === 'function') return Buffer.from(await blob.arrayBuffer());
  return blob;
}

export function createConversationsTransport(options: ConversationsTransportOptions = {}): ChatTransport {
  return new ConversationsTransport(options);
}

function waitForInitialized(client: Client, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: TransportError) => {
      clearTimeout(timer);
      stopListening();
      if (error) reject(error);
      else resolve();
    };
    const onState = (state: State) => {
      if (state === 'initialized') settle();
    };
    const onFailed = ({ error }: { error?: { terminal: boolean; message: string } }) =>
      settle(new TransportError('network', `Chat client failed to initialise: ${error?.message ?? 'unknown reason'}`, error));
    const onConnection = (state: SdkConnectionState) => {
      if (state === 'denied') settle(new TransportError('auth', 'The access token was denied'));
    };
    const onExpired = () => settle(new TransportError('auth', 'The access token expired'));
    const timer = setTimeout(
      () => settle(new TransportError('network', `Chat client did not initialise within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const stopListening = listenAll<ClientEvents>(client, {
      stateChanged: onState,
      initFailed: onFailed,
      connectionStateChanged: onConnection,
      tokenExpired: onExpired,
    });
  });
}

class ConversationsTransport extends SdkTransport<Client, Message, Participant, Conversation> implements ChatTransport {
  private readonly region: string | undefined;

  constructor(options: ConversationsTransportOptions) {
    super(options, { message: toTransportMessage, participant: toTransportParticipant, content: fetchRichContent });
    this.region = options.region;
  }

  // ---- ChatTransport ----------------------------------------------------------------

  async connect(credentials: SessionCredentials): Promise<void> {
    this.core.begin(credentials);
    let client: Client;
    try {
      client = new Client(
        credentials.token,
        credentials.twilsockUri ? { Twilsock: { uri: credentials.twilsockUri } } : this.region && this.region !== 'us1' ? { region: this.region } : {},
      );
    } catch (error) {
      throw toTransportError(error, 'auth', 'Cannot create chat client');
    }
    this.core.attach(client);

    try {
      await waitForInitialized(client, this.core.initTimeoutMs);
      const conversation = await client
        .getConversationBySid(credentials.conversationSid)
        .catch((error: unknown) => Promise.reject(toTransportError(error, 'not-found', 'Cannot open the conversation')));
      this.source = conversation;
      this.listenToConversation(conversation);
      const state = conversation.state?.current;
      if (state && state !== 'active') this.core.emit({ type: 'conversationState', state });
      this.core.emit({ type: 'queue', position: queuePositionOf(conversation.attributes) });
    } catch (error) {
      await this.disconnect();
      throw toTransportError(error, 'unknown', 'Cannot connect');
    }
  }

  async getMediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    const media = this.core.sdkMessage(messageSid)?.attachedMedia?.find((m) => m.sid === mediaSid);
    if (!media) return null;
    try {
      return await media.getContentTemporaryUrl();
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot get the file');
    }
  }

  markRead(index: number): void {
    const conversation = this.source;
    if (conversation) this.core.readReceipts.mark(index, (next) => conversation.advanceLastReadMessageIndex(next));
  }

  async getParticipants(): Promise<TransportParticipant[]> {
    const conversation = this.requireSource();
    try {
      const participants = await conversation.getParticipants();
      return participants.map((participant) => this.core.participant(participant));
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load participants');
    }
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    const conversation = this.requireSource();
    const file = options.attachment;
    assertTextOrFile(body, file !== undefined);
    const echo = this.core.expectEcho(clientMessageId);
    let index: number;
    const attributes = sendAttributes(clientMessageId, options.partOf, options.answer);
    try {
      // The SDK reports no upload progress, so options.onProgress is never called.
      const sending: Promise<number | null> = file
        ? mediaPayload(file.blob).then((media) =>
            conversation.prepareMessage().setAttributes(attributes).addMedia({ contentType: file.contentType, filename: file.filename, media }).build().send(),
          )
        : conversation.sendMessage(body, attributes);
      const result = await withTimeout(sending, this.core.sendTimeoutMs, `No answer within ${this.core.sendTimeoutMs} ms`);
      if (result === null || result === undefined) throw new TransportError('network', 'The message was not accepted');
      index = result;
    } catch (error) {
      this.core.forgetEcho(clientMessageId);
      throw toTransportError(error, 'network', 'Cannot send the message');
    }
    try {
      return await this.core.serverCopy(conversation, echo, clientMessageId, index, body);
    } finally {
      this.core.forgetEcho(clientMessageId);
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private listenToConversation(conversation: Conversation): void {
    const core = this.core;
    const onMessage = (message: Message) => core.messageAdded(message);
    const onJoined = (participant: Participant) => core.emit({ type: 'participantJoined', participant: core.participant(participant) });
    const onLeft = (participant: Participant) => core.emit({ type: 'participantLeft', participant: core.participant(participant) });
    const onTypingStarted = (participant: Participant) => {
      if (participant.identity) core.emit({ type: 'typing', identity: participant.identity, isTyping: true });
    };
    const onTypingEnded = (participant: Participant) => {
      if (participant.identity) core.emit({ type: 'typing', identity: participant.identity, isTyping: false });
    };
    const onUpdated = ({ conversation: updated, updateReasons }: { conversation: Conversation; updateReasons: ConversationUpdateReason[] }) => {
      const state = updated.state?.current;
      if (updateReasons.includes('attributes')) core.emit({ type: 'queue', position: queuePositionOf(updated.attributes) });
      if (updateReasons.includes('state') && state) core.emit({ type: 'conversationState', state });
    };
    // Read horizons (read receipts) and attribute changes of participants.
    const onParticipantUpdated = ({ participant, updateReasons }: { participant: Participant; updateReasons: ParticipantUpdateReason[] }) => {
      if (updateReasons.includes('lastReadMessageIndex') || updateReasons.includes('attributes')) {
        core.emit({ type: 'participantUpdated', participant: core.participant(participant) });
      }
    };
    // The visitor was removed from the conversation: for the widget the chat is over.
    const onRemoved = () => core.emit({ type: 'conversationState', state: 'closed' });

    core.listen<ConversationEvents>(conversation, {
      messageAdded: onMessage,
      participantJoined: onJoined,
      participantLeft: onLeft,
      typingStarted: onTypingStarted,
      typingEnded: onTypingEnded,
      updated: onUpdated,
      participantUpdated: onParticipantUpdated,
      removed: onRemoved,
    });
  }
}
