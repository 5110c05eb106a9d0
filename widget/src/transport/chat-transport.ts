// The only door between the widget and Twilio. Everything that crosses it is
// plain, serialisable data; SDK objects stay inside the adapter that made them.
import type { RichAnswer } from '../../../contracts/rich-answer.ts';
import type { RichContent } from '../../../contracts/rich-content.ts';

export type MessageAuthorRole = 'visitor' | 'agent' | 'system';

/** A file attached to a message, as the server describes it. */
export interface TransportAttachment {
  /** Media SID (ME…), used to ask for a download URL. */
  sid: string;
  filename: string | null;
  contentType: string;
  /** Bytes. */
  size: number;
}

/** A file the visitor sends. */
export interface OutgoingFile {
  blob: Blob;
  filename: string;
  /** Canonical MIME type for the file's extension (see session/attachments.ts). */
  contentType: string;
}

export interface SendOptions {
  /** The file of this message: then the body is empty (Flex takes text or a file per message, never both). */
  attachment?: OutgoingFile;
  /**
   * The clientMessageId of the first message of the same visitor action (the
   * text a file was sent with): views show them together.
   */
  partOf?: string;
  /** Upload progress 0..1, when the SDK can report it (the Twilio SDKs cannot: then it is never called). */
  onProgress?: (fraction: number) => void;
  /** The rich message's reply or list item this message answers: its id goes in the attributes (contracts/rich-answer.ts). */
  answer?: RichAnswer;
}

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
  /** Files attached to the message (Twilio allows one per message from the web). */
  attachments?: TransportAttachment[];
  /** Sent with the message before it (SendOptions.partOf). */
  partOf?: string;
  /**
   * A Twilio Content template message (`contentSid`) the widget can draw: quick
   * replies, links, a list or a card, parsed strictly (contracts/rich-content.ts).
   * Absent for plain messages, for content it cannot draw, and on SDKs without
   * content (twilio-chat): then `body` (the template's text) is all there is.
   */
  content?: RichContent;
}

export interface TransportParticipant {
  identity: string;
  role: MessageAuthorRole;
  displayName?: string;
  /** Read horizon: index of the newest message this participant has read (null: none yet). */
  lastReadIndex?: number | null;
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
  /** Queue position from the conversation attributes (`{ queue: { position } }`); null once routed. */
  | { type: 'queue'; position: number | null }
  | { type: 'tokenAboutToExpire' }
  | { type: 'tokenExpired' };

export type TransportListener = (event: TransportEvent) => void;

export interface ChatTransport {
  /** Connects with the credentials and joins the conversation. Rejects with TransportError. */
  connect(credentials: SessionCredentials): Promise<void>;
  /** Latest page of history (pageSize newest messages, oldest first). */
  loadHistory(pageSize: number): Promise<HistoryPage>;
  /** The page of up to pageSize messages just before message index `beforeIndex`, oldest first. */
  loadOlder(beforeIndex: number, pageSize: number): Promise<HistoryPage>;
  /**
   * How many messages the conversation holds, asked of the service itself. History
   * pages may come from the SDK's cache, which lags after a reconnect: a page whose
   * newest index is below this count minus one is not the whole story yet.
   */
  countMessages(): Promise<number>;
  /** Participants currently in the conversation (after connect). */
  getParticipants(): Promise<TransportParticipant[]>;
  /**
   * Sends a message: text, or one file with an empty body (Flex Conversations
   * refuses a message with both: the session sends them as two messages).
   * Resolves with the server's copy once it is accepted.
   */
  sendMessage(body: string, clientMessageId: string, options?: SendOptions): Promise<TransportMessage>;
  /** A short-lived URL for an attachment's content (null if the server has none). */
  getMediaUrl(messageSid: string, mediaSid: string): Promise<string | null>;
  /** Advances the visitor's read horizon to `index` (best effort, never moves back). */
  markRead(index: number): void;
  /** Tells the agent the visitor is typing (throttled by the adapter). */
  notifyTyping(): void;
  updateToken(token: string): Promise<void>;
  subscribe(listener: TransportListener): () => void;
  disconnect(): Promise<void>;
}

export type TransportErrorCode = 'auth' | 'network' | 'not-found' | 'rejected' | 'unknown';

/** What about a message the service refused (code 'rejected'), when it said. */
export type RefusalReason = 'too-long' | 'file-too-large' | 'file-type';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    override readonly cause?: unknown,
    readonly reason?: RefusalReason,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
