// The part of a ChatTransport that is the same whatever the SDK: listeners,
// the client's connection and token events, teardown, display names, history
// pages, matching a send to its echo, the read horizon and the typing throttle.
// Each SDK adapter composes one and keeps only its SDK's specifics. It is
// written against structural shapes and imports no SDK, because both adapters'
// lazy chunks share it: it must not pull either SDK into the other's chunk.
import {
  TransportError,
  type HistoryPage,
  type SessionCredentials,
  type TransportEvent,
  type TransportListener,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import type { RichContent } from '../../../contracts/rich-content.ts';
import { toConnectionState, toTransportError } from './conversations-mapping.ts';
import { readReceipts } from './read-receipts.ts';
import { renewClientToken } from './token-renewal.ts';

export interface AdapterOptions {
  /** Give up on client initialisation after this long (the SDK itself retries forever). */
  initTimeoutMs?: number;
  /** How long sendMessage waits for the server copy before fetching it. */
  echoTimeoutMs?: number;
  /** Twilio region of the account (Conversations SDK `region`); only without a twilsockUri. */
  region?: string;
  /** Minimum gap between typing notifications. */
  typingIntervalMs?: number;
  /** A send that gets no answer for this long fails (the widget re-queues it and checks history before resending). */
  sendTimeoutMs?: number;
  /** A content message whose template data has not come after this long is shown as its plain body. */
  contentTimeoutMs?: number;
}

export interface UserLike {
  readonly friendlyName: string | null;
}

/** The client events the shared plumbing forwards. */
interface ClientEvents {
  connectionStateChanged: (state: string) => void;
  tokenAboutToExpire: () => void;
  tokenExpired: () => void;
}

/** What both SDK clients (Twilsock underneath) offer the shared plumbing. */
export interface SdkClientLike {
  readonly connectionState: string;
  on(event: 'connectionStateChanged', listener: (state: string) => void): unknown;
  on(event: 'tokenAboutToExpire' | 'tokenExpired', listener: () => void): unknown;
  off(event: 'connectionStateChanged', listener: (state: string) => void): unknown;
  off(event: 'tokenAboutToExpire' | 'tokenExpired', listener: () => void): unknown;
  updateToken(token: string): Promise<unknown>;
  getUser(identity: string): Promise<UserLike>;
  shutdown(): Promise<void>;
}

/** A participant (Conversations) or member (twilio-chat). */
export interface SdkMemberLike {
  getUser(): Promise<UserLike>;
}

/** A conversation or channel, as far as reading its messages goes. */
export interface MessageSource<M> {
  getMessages(pageSize?: number, anchor?: number, direction?: 'backwards'): Promise<{ items: M[]; hasPrevPage: boolean }>;
}

/** The SDK-specific mapping an adapter plugs in. */
export interface SdkMapping<M, P> {
  message(message: M, ownIdentity: string, names: ReadonlyMap<string, string>): TransportMessage;
  participant(member: P, ownIdentity: string, names: ReadonlyMap<string, string>): TransportParticipant;
  /**
   * The rich content of a Content template message, fetched (null at once when the
   * message has none; resolves null when it is nothing the widget draws). SDKs
   * without content (twilio-chat) leave this out.
   */
  content?(message: M): Promise<RichContent | null> | null;
}

/** Anything with typed on/off per event: the SDKs' clients, conversations and channels. */
export interface Emitter<E> {
  on<K extends Extract<keyof E, string>>(event: K, listener: E[K]): unknown;
  off<K extends Extract<keyof E, string>>(event: K, listener: E[K]): unknown;
}

/** The event names an SDK emitter's on() takes. */
export type EventName<S extends { on(event: never, listener: never): unknown }> = S['on'] extends (event: infer K, ...rest: never[]) => unknown
  ? Extract<K, string>
  : never;

/** Adds each listener to `source`; returns the function that removes them all again. */
export function listenAll<E>(source: Emitter<E>, listeners: { [K in Extract<keyof E, string>]?: E[K] }): () => void {
  const entries = Object.entries(listeners) as Array<[Extract<keyof E, string>, E[Extract<keyof E, string>]]>;
  for (const [event, listener] of entries) source.on(event, listener);
  return () => {
    for (const [event, listener] of entries) source.off(event, listener);
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError('network', message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class TransportCore<C extends SdkClientLike, M extends { readonly sid: string; readonly index: number }, P extends SdkMemberLike> {
  readonly initTimeoutMs: number;
  readonly echoTimeoutMs: number;
  readonly typingIntervalMs: number;
  readonly sendTimeoutMs: number;
  readonly contentTimeoutMs: number;

  client: C | null = null;
  identity = '';
  /** The access token the client holds. */
  private token = '';
  private readonly listeners = new Set<TransportListener>();
  /** identity → display name (User.friendlyName), filled lazily. */
  private readonly names = new Map<string, string>();
  private readonly nameLookups = new Set<string>();
  /** SDK messages by SID, to reach their media for downloads. */
  private readonly sdkMessages = new Map<string, M>();
  private readonly echoes = new Map<string, (message: TransportMessage) => void>();
  private readonly detachers: Array<() => void> = [];
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  /** The visitor's read receipts: never backwards, at most one per 2 s (read-receipts.ts). */
  readonly readReceipts = readReceipts();
  /** Live messages still waiting for their content (or for one before them): later ones queue behind. */
  private arrivals: Promise<void> | null = null;
  /** Bumped by teardown(): content that comes after it is for a chat no longer shown. */
  private generation = 0;

  constructor(
    options: AdapterOptions,
    private readonly mapping: SdkMapping<M, P>,
  ) {
    this.initTimeoutMs = options.initTimeoutMs ?? 20_000;
    this.echoTimeoutMs = options.echoTimeoutMs ?? 3_000;
    this.typingIntervalMs = options.typingIntervalMs ?? 2_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
    this.contentTimeoutMs = options.contentTimeoutMs ?? 10_000;
  }

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The start of connect(): one connection per transport. */
  begin(credentials: SessionCredentials): void {
    if (this.client) throw new TransportError('rejected', 'Transport is already connected');
    this.identity = credentials.identity;
    this.token = credentials.token;
  }

  /** Adopts the new client and forwards its connection and token events. */
  attach(client: C): void {
    this.client = client;
    this.listen<ClientEvents>(client, {
      connectionStateChanged: (state: string) => this.emit({ type: 'connectionState', state: toConnectionState(state) }),
      tokenAboutToExpire: () => this.emit({ type: 'tokenAboutToExpire' }),
      tokenExpired: () => this.emit({ type: 'tokenExpired' }),
    });
  }

  /** Adds SDK listeners that disconnect() removes. */
  listen<E>(source: Emitter<E>, listeners: { [K in Extract<keyof E, string>]?: E[K] }): void {
    this.onTeardown(listenAll(source, listeners));
  }

  /** Registers what disconnect() must undo (SDK listeners). */
  onTeardown(detach: () => void): void {
    this.detachers.push(detach);
  }

  /** Detaches every listener, forgets pending sends and messages, and shuts the client down. */
  async teardown(): Promise<void> {
    for (const detach of this.detachers.splice(0)) detach();
    this.generation++;
    this.readReceipts.flush();
    this.arrivals = null;
    this.echoes.clear();
    this.sdkMessages.clear();
    const client = this.client;
    this.client = null;
    if (client) await client.shutdown().catch(() => {});
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

  message(message: M): TransportMessage {
    this.sdkMessages.set(message.sid, message);
    return this.mapping.message(message, this.identity, this.names);
  }

  sdkMessage(sid: string): M | undefined {
    return this.sdkMessages.get(sid);
  }

  participant(member: P): TransportParticipant {
    const mapped = this.mapping.participant(member, this.identity, this.names);
    this.lookUpName(mapped.identity, member);
    return mapped;
  }

  /**
   * The message with its rich content, when it has some: fetched once, never
   * longer than contentTimeoutMs, and any failure leaves the plain body (null: no fetch needed).
   */
  private withContent(message: M, mapped: TransportMessage): Promise<TransportMessage> | null {
    const fetching = this.mapping.content?.(message);
    if (!fetching) return null;
    return withTimeout(fetching, this.contentTimeoutMs, 'No content data').then(
      (content) => (content ? { ...mapped, content } : mapped),
      () => mapped,
    );
  }

  /**
   * A message arrived live: announce it, and settle the send waiting for it. A
   * content message waits for its content; messages after it wait their turn, so
   * they are announced in the order they came.
   */
  messageAdded(message: M): void {
    const mapped = this.message(message);
    this.lookUpName(mapped.author);
    const complete = this.withContent(message, mapped);
    if (!complete && !this.arrivals) return this.announce(mapped);
    const generation = this.generation;
    const step: Promise<void> = (this.arrivals ?? Promise.resolve())
      .then(() => complete ?? mapped)
      .then((full) => {
        if (generation === this.generation) this.announce(full);
      })
      // A listener that throws must not stop the messages behind it: report it as the SDK's own event would.
      .catch((error: unknown) => queueMicrotask(() => {
        throw error;
      }))
      .finally(() => {
        if (this.arrivals === step) this.arrivals = null;
      });
    this.arrivals = step;
  }

  private announce(message: TransportMessage): void {
    if (message.clientMessageId) this.echoes.get(message.clientMessageId)?.(message);
    this.emit({ type: 'messageAdded', message });
  }

  /** Up to pageSize messages up to `anchor` (inclusive; newest when undefined), oldest first. */
  async page(source: MessageSource<M>, pageSize: number, anchor: number | undefined): Promise<HistoryPage> {
    try {
      const page = await source.getMessages(pageSize, anchor, 'backwards');
      const mapped = await Promise.all(
        page.items.map((message) => {
          const plain = this.message(message);
          return this.withContent(message, plain) ?? plain;
        }),
      );
      const messages = mapped.sort((a, b) => a.index - b.index);
      for (const message of messages) this.lookUpName(message.author);
      return { messages, hasOlder: page.hasPrevPage };
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot load messages');
    }
  }

  /**
   * How many messages the service holds, asked of the service: the SDKs answer
   * `getMessages` from their Sync list cache, which misses what arrived while the
   * socket was down until the subscription has caught up again.
   */
  async count(source: { getMessagesCount(): Promise<number> }): Promise<number> {
    try {
      return await source.getMessagesCount();
    } catch (error) {
      throw toTransportError(error, 'network', 'Cannot count messages');
    }
  }

  /** Resolves a display name once per identity, without blocking anything; announces it when found. */
  private lookUpName(identity: string, member?: P): void {
    if (identity === '' || identity === this.identity || this.nameLookups.has(identity)) return;
    const client = this.client;
    if (!client) return;
    this.nameLookups.add(identity);
    const user = member ? member.getUser() : client.getUser(identity);
    user
      .then((found) => {
        const name = found.friendlyName;
        if (!name || this.names.get(identity) === name) return;
        this.names.set(identity, name);
        this.emit({
          type: 'participantUpdated',
          participant: member
            ? { ...this.mapping.participant(member, this.identity, this.names), displayName: name }
            : { identity, role: 'agent', displayName: name },
        });
      })
      .catch(() => {
        // No user record (or no permission): the widget falls back to a generic name.
      });
  }

  /** Starts waiting for the live echo of a send; settled by messageAdded(). */
  expectEcho(clientMessageId: string): Promise<TransportMessage> {
    return new Promise<TransportMessage>((resolve) => this.echoes.set(clientMessageId, resolve));
  }

  forgetEcho(clientMessageId: string): void {
    this.echoes.delete(clientMessageId);
  }

  /** The accepted message as the server has it: its live echo, or else fetched by index. */
  async serverCopy(
    source: MessageSource<M>,
    echo: Promise<TransportMessage>,
    clientMessageId: string,
    index: number,
    body: string,
  ): Promise<TransportMessage> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.echoTimeoutMs)));
    const echoed = await Promise.race([echo, timeout]);
    clearTimeout(timer);
    if (echoed) return echoed;
    try {
      const page = await source.getMessages(1, index);
      const found = page.items.find((message) => message.index === index);
      if (found) return this.message(found);
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

  /** Sends a typing notification through `typing`, at most once per typingIntervalMs. */
  notifyTyping(typing: () => Promise<unknown>): void {
    const now = Date.now();
    if (now - this.lastTypingAt < this.typingIntervalMs) return;
    this.lastTypingAt = now;
    typing().catch(() => {
      // Typing indicators are best effort.
    });
  }
}
