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
  type HistoryPage,
  type SendOptions,
  type SessionCredentials,
  type TransportEvent,
  type TransportListener,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import {
  clientMessageIdAttribute,
  queuePositionOf,
  toConnectionState,
  toTransportError,
  toTransportMessage,
  toTransportParticipant,
} from './conversations-mapping.ts';
import { renewClientToken } from './token-renewal.ts';

export interface ConversationsTransportOptions {
  /** Give up on client initialisation after this long (the SDK itself retries forever). */
  initTimeoutMs?: number;
  /** How long sendMessage waits for the server copy before fetching it. */
  echoTimeoutMs?: number;
  /** Minimum gap between typing notifications. */
  typingIntervalMs?: number;
  /** A send that gets no answer for this long fails (the widget re-queues it and checks history before resending). */
  sendTimeoutMs?: number;
}

interface PendingEcho {
  promise: Promise<TransportMessage>;
  resolve: (message: TransportMessage) => void;
}

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
      client.off('stateChanged', onState);
      client.off('initFailed', onFailed);
      client.off('connectionStateChanged', onConnection);
      client.off('tokenExpired', onExpired);
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
    client.on('stateChanged', onState);
    client.on('initFailed', onFailed);
    client.on('connectionStateChanged', onConnection);
    client.on('tokenExpired', onExpired);
  });
}

class ConversationsTransport implements ChatTransport {
  private readonly initTimeoutMs: number;
  private readonly echoTimeoutMs: number;
  private readonly typingIntervalMs: number;
  private readonly sendTimeoutMs: number;

  private client: Client | null = null;
  private conversation: Conversation | null = null;
  private identity = '';
  /** The access token the client holds. */
  private token = '';
  private readonly listeners = new Set<TransportListener>();
  /** identity → display name (User.friendlyName), filled lazily. */
  private readonly names = new Map<string, string>();
  private readonly nameLookups = new Set<string>();
  private readonly pendingEchoes = new Map<string, PendingEcho>();
  private readonly detachers: Array<() => void> = [];
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  /** SDK messages by SID, to reach their media for downloads. */
  private readonly sdkMessages = new Map<string, Message>();
  private lastReadSent = -1;

  constructor(options: ConversationsTransportOptions) {
    this.initTimeoutMs = options.initTimeoutMs ?? 20_000;
    this.echoTimeoutMs = options.echoTimeoutMs ?? 3_000;
    this.typingIntervalMs = options.typingIntervalMs ?? 2_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  }

  // ---- ChatTransport ----------------------------------------------------------------

  async connect(credentials: SessionCredentials): Promise<void> {
    if (this.client) throw new TransportError('rejected', 'Transport is already connected');
    this.identity = credentials.identity;
    this.token = credentials.token;
    let client: Client;
    try {
      client = new Client(credentials.token, credentials.twilsockUri ? { Twilsock: { uri: credentials.twilsockUri } } : {});
    } catch (error) {
      throw toTransportError(error, 'auth', 'Cannot create chat client');
    }
    this.client = client;
    this.listenToClient(client);

    try {
      await waitForInitialized(client, this.initTimeoutMs);
      const conversation = await client
        .getConversationBySid(credentials.conversationSid)
        .catch((error: unknown) => Promise.reject(toTransportError(error, 'not-found', 'Cannot open the conversation')));
      this.conversation = conversation;
      this.listenToConversation(conversation);
      const state = conversation.state?.current;
      if (state && state !== 'active') this.emit({ type: 'conversationState', state });
      this.emit({ type: 'queue', position: queuePositionOf(conversation.attributes) });
    } catch (error) {
      await this.disconnect();
      throw toTransportError(error, 'unknown', 'Cannot connect');
    }
  }

  async loadHistory(pageSize: number): Promise<HistoryPage> {
    return this.page(pageSize, undefined);
  }

  async loadOlder(beforeIndex: number, pageSize: number): Promise<HistoryPage> {
    if (beforeIndex <= 0) return { messages: [], hasOlder: false };
    // The anchor is inclusive and the page runs backwards from it.
    return this.page(pageSize, beforeIndex - 1);
  }

  private async page(pageSize: number, anchor: number | undefined): Promise<HistoryPage> {
    const conversation = this.requireConversation();
    try {
      const page = await conversation.getMessages(pageSize, anchor, 'backwards');
      const messages = page.items.map((message) => this.map(message)).sort((a, b) => a.index - b.index);
      for (const message of messages) this.lookUpName(message.author);
      return { messages, hasOlder: page.hasPrevPage };
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load messages');
    }
  }

  async getMediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    const media = this.sdkMessages.get(messageSid)?.attachedMedia?.find((m) => m.sid === mediaSid);
    if (!media) return null;
    try {
      return await media.getContentTemporaryUrl();
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot get the file');
    }
  }

  markRead(index: number): void {
    const conversation = this.conversation;
    if (!conversation || index <= this.lastReadSent) return;
    this.lastReadSent = index;
    conversation.advanceLastReadMessageIndex(index).catch(() => {
      this.lastReadSent = -1; // Best effort; try again with the next message.
    });
  }

  async getParticipants(): Promise<TransportParticipant[]> {
    const conversation = this.requireConversation();
    try {
      const participants = await conversation.getParticipants();
      return participants.map((participant) => this.participant(participant));
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load participants');
    }
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    const conversation = this.requireConversation();
    const echo = this.expectEcho(clientMessageId);
    let index: number;
    const attributes = { [clientMessageIdAttribute]: clientMessageId };
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // The SDK reports no upload progress, so options.onProgress is never called.
      const file = options.attachment;
      const sending: Promise<number | null> = file
        ? mediaPayload(file.blob).then((media) => {
            const builder = conversation.prepareMessage().setAttributes(attributes);
            if (body !== '') builder.setBody(body);
            return builder.addMedia({ contentType: file.contentType, filename: file.filename, media }).build().send();
          })
        : conversation.sendMessage(body, attributes);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TransportError('network', `No answer within ${this.sendTimeoutMs} ms`)), this.sendTimeoutMs);
      });
      const result = await Promise.race([sending, timeout]);
      if (result === null || result === undefined) throw new TransportError('network', 'The message was not accepted');
      index = result;
    } catch (error) {
      this.pendingEchoes.delete(clientMessageId);
      throw toTransportError(error, 'network', 'Cannot send the message');
    } finally {
      clearTimeout(timer);
    }
    try {
      return await this.serverCopy(conversation, echo, clientMessageId, index, body);
    } finally {
      this.pendingEchoes.delete(clientMessageId);
    }
  }

  notifyTyping(): void {
    const conversation = this.conversation;
    if (!conversation) return;
    const now = Date.now();
    if (now - this.lastTypingAt < this.typingIntervalMs) return;
    this.lastTypingAt = now;
    conversation.typing().catch(() => {
      // Typing indicators are best effort.
    });
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
    this.pendingEchoes.clear();
    this.sdkMessages.clear();
    const client = this.client;
    this.client = null;
    this.conversation = null;
    if (client) {
      try {
        await client.shutdown();
      } catch {
        // Already gone.
      }
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private requireConversation(): Conversation {
    if (!this.conversation) throw new TransportError('network', 'Not connected');
    return this.conversation;
  }

  private map(message: Message): TransportMessage {
    this.sdkMessages.set(message.sid, message);
    return toTransportMessage(message, this.identity, this.names);
  }

  private participant(participant: Participant): TransportParticipant {
    const mapped = toTransportParticipant(participant, this.identity, this.names);
    this.lookUpName(mapped.identity, participant);
    return mapped;
  }

  /** Resolves a display name once per identity, without blocking anything; announces it when found. */
  private lookUpName(identity: string, participant?: Participant): void {
    if (identity === '' || identity === this.identity || this.nameLookups.has(identity)) return;
    const client = this.client;
    if (!client) return;
    this.nameLookups.add(identity);
    const user = participant ? participant.getUser() : client.getUser(identity);
    user
      .then((found) => {
        const name = found.friendlyName;
        if (!name || this.names.get(identity) === name) return;
        this.names.set(identity, name);
        this.emit({
          type: 'participantUpdated',
          participant: participant
            ? { ...toTransportParticipant(participant, this.identity, this.names), displayName: name }
            : { identity, role: identity === this.identity ? 'visitor' : 'agent', displayName: name },
        });
      })
      .catch(() => {
        // No user record (or no permission): the widget falls back to a generic name.
      });
  }

  private expectEcho(clientMessageId: string): PendingEcho {
    let resolve!: (message: TransportMessage) => void;
    const promise = new Promise<TransportMessage>((r) => (resolve = r));
    const pending = { promise, resolve };
    this.pendingEchoes.set(clientMessageId, pending);
    return pending;
  }

  /** The accepted message as the server has it: its live echo, or else fetched by index. */
  private async serverCopy(
    conversation: Conversation,
    echo: PendingEcho,
    clientMessageId: string,
    index: number,
    body: string,
  ): Promise<TransportMessage> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.echoTimeoutMs)));
    const echoed = await Promise.race([echo.promise, timeout]);
    clearTimeout(timer);
    if (echoed) return echoed;
    try {
      const page = await conversation.getMessages(1, index);
      const found = page.items.find((message) => message.index === index);
      if (found) return this.map(found);
    } catch {
      // Fall through: the send itself succeeded.
    }
    // Accepted but not yet visible: a provisional copy; the live echo (matched by
    // clientMessageId) replaces it in the store.
    return {
      sid: `pending:${clientMessageId}`,
      index,
      author: this.identity,
      role: 'visitor',
      body,
      createdAt: Date.now(),
      clientMessageId,
    };
  }

  private listenToClient(client: Client): void {
    const onConnection = (state: SdkConnectionState) =>
      this.emit({ type: 'connectionState', state: toConnectionState(state) });
    const onAboutToExpire = () => this.emit({ type: 'tokenAboutToExpire' });
    const onExpired = () => this.emit({ type: 'tokenExpired' });
    client.on('connectionStateChanged', onConnection);
    client.on('tokenAboutToExpire', onAboutToExpire);
    client.on('tokenExpired', onExpired);
    this.detachers.push(() => {
      client.off('connectionStateChanged', onConnection);
      client.off('tokenAboutToExpire', onAboutToExpire);
      client.off('tokenExpired', onExpired);
    });
  }

  private listenToConversation(conversation: Conversation): void {
    const onMessage = (message: Message) => {
      const mapped = this.map(message);
      this.lookUpName(mapped.author);
      if (mapped.clientMessageId) this.pendingEchoes.get(mapped.clientMessageId)?.resolve(mapped);
      this.emit({ type: 'messageAdded', message: mapped });
    };
    const onJoined = (participant: Participant) =>
      this.emit({ type: 'participantJoined', participant: this.participant(participant) });
    const onLeft = (participant: Participant) =>
      this.emit({ type: 'participantLeft', participant: this.participant(participant) });
    const onTypingStarted = (participant: Participant) => {
      if (participant.identity) this.emit({ type: 'typing', identity: participant.identity, isTyping: true });
    };
    const onTypingEnded = (participant: Participant) => {
      if (participant.identity) this.emit({ type: 'typing', identity: participant.identity, isTyping: false });
    };
    const onUpdated = ({ conversation: updated, updateReasons }: { conversation: Conversation; updateReasons: ConversationUpdateReason[] }) => {
      const state = updated.state?.current;
      if (updateReasons.includes('attributes')) this.emit({ type: 'queue', position: queuePositionOf(updated.attributes) });
      if (updateReasons.includes('state') && state) this.emit({ type: 'conversationState', state });
    };
    // Read horizons (read receipts) and attribute changes of participants.
    const onParticipantUpdated = ({ participant, updateReasons }: { participant: Participant; updateReasons: ParticipantUpdateReason[] }) => {
      if (updateReasons.includes('lastReadMessageIndex') || updateReasons.includes('attributes')) {
        this.emit({ type: 'participantUpdated', participant: this.participant(participant) });
      }
    };
    // The visitor was removed from the conversation: for the widget the chat is over.
    const onRemoved = () => this.emit({ type: 'conversationState', state: 'closed' });

    conversation.on('messageAdded', onMessage);
    conversation.on('participantJoined', onJoined);
    conversation.on('participantLeft', onLeft);
    conversation.on('typingStarted', onTypingStarted);
    conversation.on('typingEnded', onTypingEnded);
    conversation.on('updated', onUpdated);
    conversation.on('participantUpdated', onParticipantUpdated);
    conversation.on('removed', onRemoved);
    this.detachers.push(() => {
      conversation.off('messageAdded', onMessage);
      conversation.off('participantJoined', onJoined);
      conversation.off('participantLeft', onLeft);
      conversation.off('typingStarted', onTypingStarted);
      conversation.off('typingEnded', onTypingEnded);
      conversation.off('updated', onUpdated);
      conversation.off('participantUpdated', onParticipantUpdated);
      conversation.off('removed', onRemoved);
    });
  }
}
