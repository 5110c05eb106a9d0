// The only door between the widget and Twilio. Everything that crosses it is
// plain, serialisable data; SDK objects stay inside the adapter that made them.

export type MessageAuthorRole = 'visitor' | 'agent' | 'system';

export interface TransportMessage {
  /** Stable id: the SDK message SID (IM…) once the server has it. */
  sid: string;
  /** Position in the conversation, increasing. */
  index: number;
  /** Identity of the author as the SDK reports it. */
  author: string;
  role: MessageAuthorRole;
  /** Display name if the adapter knows one (participant/user friendly name). */
  authorName?: string;
  body: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Attributes the client set when sending, used to match optimistic sends. */
  clientMessageId?: string;
}

export interface TransportParticipant {
  identity: string;
  role: MessageAuthorRole;
  displayName?: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnecting' | 'disconnected' | 'denied';

export interface SessionCredentials {
  token: string;
  identity: string;
  conversationSid: string;
  /** Present only in local mode: where the emulator's Twilsock listens. */
  twilsockUri?: string;
}

export interface HistoryPage {
  /** Oldest first. */
  messages: TransportMessage[];
  hasOlder: boolean;
}

export type TransportEvent =
  | { type: 'messageAdded'; message: TransportMessage }
  | { type: 'connectionState'; state: ConnectionState }
  | { type: 'participantJoined'; participant: TransportParticipant }
  | { type: 'participantLeft'; participant: TransportParticipant }
  /** A known participant changed, e.g. its display name was resolved late. */
  | { type: 'participantUpdated'; participant: TransportParticipant }
  | { type: 'typing'; identity: string; isTyping: boolean }
  | { type: 'conversationState'; state: 'active' | 'inactive' | 'closed' }
  | { type: 'tokenAboutToExpire' }
  | { type: 'tokenExpired' };

export type TransportListener = (event: TransportEvent) => void;

export interface ChatTransport {
  /** Connects with the credentials and joins the conversation. Rejects with TransportError. */
  connect(credentials: SessionCredentials): Promise<void>;
  /** Latest page of history (pageSize newest messages, oldest first). */
  loadHistory(pageSize: number): Promise<HistoryPage>;
  /** Participants currently in the conversation (after connect). */
  getParticipants(): Promise<TransportParticipant[]>;
  /** Sends a message; resolves with the server's copy once it is accepted. */
  sendMessage(body: string, clientMessageId: string): Promise<TransportMessage>;
  /** Tells the agent the visitor is typing (throttled by the adapter). */
  notifyTyping(): void;
  updateToken(token: string): Promise<void>;
  subscribe(listener: TransportListener): () => void;
  disconnect(): Promise<void>;
}

export type TransportErrorCode = 'auth' | 'network' | 'not-found' | 'rejected' | 'unknown';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
