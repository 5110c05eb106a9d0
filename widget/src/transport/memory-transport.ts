// An in-memory ChatTransport for unit tests and component demos. Tests drive
// the "other side": push agent messages, typing, participants, connection drops,
// conversation close; and inspect what the widget sent.
import {
  TransportError,
  type ChatTransport,
  type ConnectionState,
  type HistoryPage,
  type SendOptions,
  type SessionCredentials,
  type TransportAttachment,
  type TransportEvent,
  type TransportListener,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';
import type { RichAnswer } from '../../../contracts/rich-answer.ts';
import { parseRichContent } from '../../../contracts/rich-content.ts';

export interface SentMessage {
  body: string;
  clientMessageId: string;
  /** Name and type of the attached file, if any. */
  attachment?: { filename: string; contentType: string; size: number };
  /** SendOptions.partOf and .answer, if given. */
  partOf?: string;
  answer?: RichAnswer;
}

export interface MemoryTransportOptions {
  /** Messages already in the conversation, oldest first. */
  history?: TransportMessage[];
  participants?: TransportParticipant[];
  /**
   * When the server copy of a sent message is pushed as `messageAdded`:
   * before the send resolves (default), after it, or never.
   */
  echo?: 'before-resolve' | 'after-resolve' | 'none';
  /** Epoch ms used for message timestamps (default: a fixed instant). */
  now?: () => number;
  /** Files larger than this many bytes are refused (reason 'file-too-large'), as the service does. */
  maxFileSize?: number;
}

/** What goes wrong with one send (see the test controls). */
type SendFault =
  | { kind: 'fail'; error: TransportError }
  | { kind: 'lose-answer'; error: TransportError }
  | { kind: 'drop'; accepted: boolean; reportFirst: boolean };

export class MemoryTransport implements ChatTransport {
  readonly sent: SentMessage[] = [];
  credentials: SessionCredentials | null = null;
  connected = false;
  typingNotifications = 0;
  tokenUpdates: string[] = [];
  connectCalls = 0;
  disconnectCalls = 0;
  /** Every markRead() index, in order. */
  readMarks: number[] = [];
  /** loadHistory / loadOlder calls, for paging assertions. */
  historyLoads: Array<{ beforeIndex: number | null; pageSize: number }> = [];
  /** Progress fractions reported to the next sends (simulates an SDK that can report them). */
  uploadProgress: number[] = [];

  private readonly listeners = new Set<TransportListener>();
  private readonly messages: TransportMessage[];
  private readonly participants = new Map<string, TransportParticipant>();
  private readonly echo: NonNullable<MemoryTransportOptions['echo']>;
  private readonly now: () => number;
  private readonly maxFileSize: number;
  private nextIndex: number;
  private nextSid = 1;
  private connectFailures: TransportError[] = [];
  private tokenFailures: TransportError[] = [];
  private media = new Map<string, string>();
  private nextMedia = 1;
  private sendFaults: SendFault[] = [];
  private historyFailures: TransportError[] = [];
  private heldSends: Array<{ release: () => void }> | null = null;
  /** What history reads see while they lag behind the service (see lagHistory). */
  private staleHistory: readonly TransportMessage[] | null = null;

  constructor(options: MemoryTransportOptions = {}) {
    this.messages = [...(options.history ?? [])];
    for (const p of options.participants ?? []) this.participants.set(p.identity, p);
    this.echo = options.echo ?? 'before-resolve';
    this.now = options.now ?? (() => Date.UTC(2025, 0, 1, 12, 0, 0));
    this.maxFileSize = options.maxFileSize ?? Number.POSITIVE_INFINITY;
    this.nextIndex = this.messages.reduce((max, m) => Math.max(max, m.index + 1), 0);
  }

  // ---- test controls ---------------------------------------------------------------

  /** The next connect() rejects with this error. */
  failNextConnect(error = new TransportError('network', 'Connection failed')): void {
    this.connectFailures.push(error);
  }

  /** The next updateToken() rejects with this error. */
  failNextTokenUpdate(error = new TransportError('auth', 'Token rejected')): void {
    this.tokenFailures.push(error);
  }

  /** The next sendMessage() rejects with this error before the request leaves (the message is not stored). */
  failNextSend(error = new TransportError('network', 'Send failed')): void {
    this.sendFaults.push({ kind: 'fail', error });
  }

  /**
   * The next sendMessage() reaches the service (the message is stored, others
   * see it) but its answer is lost: it rejects, and no echo comes. The
   * connection state says nothing (e.g. a request timeout).
   */
  loseNextSendAnswer(error = new TransportError('network', 'No answer')): void {
    this.sendFaults.push({ kind: 'lose-answer', error });
  }

  /**
   * The connection drops while the next send is out: before the service got it
   * (`accepted` false) or after it stored it, and the send rejects. As when a
   * socket closes under a request, the send fails first and the connection state
   * follows (`reportFirst`: the other way round). The connection stays down until
   * restore().
   */
  dropDuringNextSend(options: { accepted: boolean; reportFirst?: boolean }): void {
    this.sendFaults.push({ kind: 'drop', accepted: options.accepted, reportFirst: options.reportFirst ?? false });
  }

  /** The connection goes down: requests fail, and events (agent messages too) no longer reach this client. */
  drop(): void {
    this.connected = false;
    this.emit({ type: 'connectionState', state: 'connecting' });
  }

  /** The connection is back (same client, as the SDKs reconnect by themselves). */
  restore(): void {
    this.connected = true;
    this.emit({ type: 'connectionState', state: 'connected' });
  }

  /** The next loadHistory() rejects with this error (e.g. a request lost with a dropped socket). */
  failNextHistoryLoad(error = new TransportError('network', 'History request lost')): void {
    this.historyFailures.push(error);
  }

  /**
   * While `lagging`, history reads answer with the messages held when it began, as the
   * SDKs' Sync cache does after a reconnect until its subscription has caught up;
   * countMessages() asks the service.
   */
  lagHistory(lagging: boolean): void {
    this.staleHistory = lagging ? this.allMessages : null; // a copy: allMessages builds a new array
  }

  /** Sends stay pending until releaseSends() (to observe the "sending" state). */
  holdSends(): void {
    this.heldSends ??= [];
  }

  releaseSends(): void {
    const held = this.heldSends ?? [];
    this.heldSends = null;
    for (const send of held) send.release();
  }

  /** Sends waiting in holdSends(). */
  get heldSendCount(): number {
    return this.heldSends?.length ?? 0;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** A message from someone other than the visitor arrives. */
  pushAgentMessage(
    body: string,
    author = 'agent-1',
    authorName?: string,
    attachments?: Array<Omit<TransportAttachment, 'sid'>>,
  ): TransportMessage {
    const message = this.store({
      author,
      role: 'agent',
      body,
      ...(authorName !== undefined ? { authorName } : {}),
      ...(attachments ? { attachments: attachments.map((a) => this.addMedia(a)) } : {}),
    });
    this.emit({ type: 'messageAdded', message });
    return message;
  }

  /**
   * The agent sends a Content template: `data` is what the SDK's getContentData()
   * would resolve to, parsed as the Conversations adapter parses it (content the
   * widget cannot draw leaves the plain body), `body` the template's text.
   */
  pushAgentContent(body: string, data: unknown, author = 'agent-1'): TransportMessage {
    const content = parseRichContent(data);
    const message = this.store({ author, role: 'agent', body, ...(content ? { content } : {}) });
    this.emit({ type: 'messageAdded', message });
    return message;
  }

  /** A message is in the conversation but no event announced it (e.g. sent while this client was offline). */
  addSilently(message: Omit<TransportMessage, 'sid' | 'index' | 'createdAt'>): TransportMessage {
    return this.store(message);
  }

  setQueuePosition(position: number | null): void {
    this.emit({ type: 'queue', position });
  }

  /** An agent read up to `index` (its read horizon moved). */
  setReadHorizon(identity: string, index: number): void {
    const participant = this.participants.get(identity) ?? { identity, role: 'agent' as const };
    const updated = { ...participant, lastReadIndex: index };
    this.participants.set(identity, updated);
    this.emit({ type: 'participantUpdated', participant: updated });
  }

  /** All stored messages, oldest first. */
  get allMessages(): readonly TransportMessage[] {
    return [...this.messages].sort((a, b) => a.index - b.index);
  }

  setTyping(identity: string, isTyping: boolean): void {
    this.emit({ type: 'typing', identity, isTyping });
  }

  addParticipant(participant: TransportParticipant): void {
    this.participants.set(participant.identity, participant);
    this.emit({ type: 'participantJoined', participant });
  }

  removeParticipant(identity: string): void {
    const participant = this.participants.get(identity);
    if (!participant) return;
    this.participants.delete(identity);
    this.emit({ type: 'participantLeft', participant });
  }

  setConnectionState(state: ConnectionState): void {
    this.emit({ type: 'connectionState', state });
  }

  closeConversation(): void {
    this.emit({ type: 'conversationState', state: 'closed' });
  }

  emit(event: TransportEvent): void {
    // A client that is down hears nothing from the conversation (its own connection and token events still come).
    const local = event.type === 'connectionState' || event.type === 'tokenAboutToExpire' || event.type === 'tokenExpired';
    if (!this.connected && this.credentials !== null && !local) return;
    for (const listener of [...this.listeners]) listener(event);
  }

  // ---- ChatTransport ------------------------------------------------------------------

  async connect(credentials: SessionCredentials): Promise<void> {
    this.connectCalls++;
    const failure = this.connectFailures.shift();
    if (failure) throw failure;
    this.credentials = credentials;
    this.connected = true;
    if (!this.participants.has(credentials.identity)) {
      this.participants.set(credentials.identity, { identity: credentials.identity, role: 'visitor' });
    }
    this.emit({ type: 'connectionState', state: 'connected' });
  }

  async loadHistory(pageSize: number): Promise<HistoryPage> {
    this.requireConnected();
    this.historyLoads.push({ beforeIndex: null, pageSize });
    const failure = this.historyFailures.shift();
    if (failure) throw failure;
    const ordered = this.staleHistory ?? this.allMessages;
    return { messages: ordered.slice(-pageSize), hasOlder: ordered.length > pageSize };
  }

  async loadOlder(beforeIndex: number, pageSize: number): Promise<HistoryPage> {
    this.requireConnected();
    this.historyLoads.push({ beforeIndex, pageSize });
    const older = (this.staleHistory ?? this.allMessages).filter((m) => m.index < beforeIndex);
    return { messages: older.slice(-pageSize), hasOlder: older.length > pageSize };
  }

  async countMessages(): Promise<number> {
    this.requireConnected();
    return this.allMessages.length;
  }

  async getMediaUrl(_messageSid: string, mediaSid: string): Promise<string | null> {
    this.requireConnected();
    return this.media.get(mediaSid) ?? null;
  }

  markRead(index: number): void {
    this.readMarks.push(index);
  }

  async getParticipants(): Promise<TransportParticipant[]> {
    this.requireConnected();
    return [...this.participants.values()];
  }

  async sendMessage(body: string, clientMessageId: string, options: SendOptions = {}): Promise<TransportMessage> {
    this.requireConnected();
    for (const fraction of this.uploadProgress) options.onProgress?.(fraction);
    if (this.heldSends) {
      const held = this.heldSends;
      await new Promise<void>((release) => held.push({ release }));
    }
    const fault = this.sendFaults.shift();
    if (fault?.kind === 'fail') throw fault.error;
    if (fault?.kind === 'drop' && !fault.accepted) return this.dropUnder(fault.reportFirst);
    const file = options.attachment;
    // Flex takes text or a file per message (issue #13); the real adapters refuse both the same way.
    if (file && body !== '') throw new TransportError('rejected', 'A message carries text or a file, not both');
    if (file && file.blob.size > this.maxFileSize) throw new TransportError('rejected', 'Media too large', undefined, 'file-too-large');
    const attachment = file ? { filename: file.filename, contentType: file.contentType, size: file.blob.size } : undefined;
    const partOf = options.partOf !== undefined ? { partOf: options.partOf } : {};
    this.sent.push({ body, clientMessageId, ...(attachment ? { attachment } : {}), ...partOf, ...(options.answer ? { answer: options.answer } : {}) });
    const message = this.store({
      author: this.credentials!.identity,
      role: 'visitor',
      body,
      clientMessageId,
      ...(attachment ? { attachments: [this.addMedia(attachment)] } : {}),
      ...partOf,
    });
    if (fault?.kind === 'lose-answer') throw fault.error;
    if (fault?.kind === 'drop') return this.dropUnder(fault.reportFirst);
    if (this.echo === 'before-resolve') this.emit({ type: 'messageAdded', message });
    if (this.echo === 'after-resolve') queueMicrotask(() => this.emit({ type: 'messageAdded', message }));
    return message;
  }

  notifyTyping(): void {
    this.typingNotifications++;
  }

  async updateToken(token: string): Promise<void> {
    const failure = this.tokenFailures.shift();
    if (failure) throw failure;
    this.tokenUpdates.push(token);
  }

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async disconnect(): Promise<void> {
    this.disconnectCalls++;
    this.connected = false;
  }

  // ---- internals ----------------------------------------------------------------------

  private async dropUnder(reportFirst: boolean): Promise<never> {
    const error = new TransportError('network', 'disconnected');
    if (reportFirst) {
      this.drop();
      throw error;
    }
    this.connected = false;
    queueMicrotask(() => this.emit({ type: 'connectionState', state: 'connecting' }));
    throw error;
  }

  private requireConnected(): void {
    if (!this.connected) throw new TransportError('network', 'Not connected');
  }

  private addMedia(file: Omit<TransportAttachment, 'sid'>): TransportAttachment {
    const sid = `ME${String(this.nextMedia++).padStart(32, '0')}`;
    this.media.set(sid, `https://media.example.test/${sid}/${encodeURIComponent(file.filename ?? 'file')}`);
    return { sid, ...file };
  }

  private store(
    fields: Pick<TransportMessage, 'author' | 'role' | 'body'> &
      Partial<Pick<TransportMessage, 'authorName' | 'clientMessageId' | 'attachments' | 'partOf' | 'content'>>,
  ): TransportMessage {
    const message: TransportMessage = {
      sid: `IM${String(this.nextSid++).padStart(32, '0')}`,
      index: this.nextIndex++,
      createdAt: this.now(),
      ...fields,
    };
    this.messages.push(message);
    return message;
  }
}
