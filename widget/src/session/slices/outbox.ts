// The outbox: what the visitor sends appears at once and is sent once, in the
// order typed, one request at a time, as soon as the connection allows. Only a
// refusal by the service (or the chat ending) fails a message; a send that may
// have made it waits for the catch-up (catch-up.ts). The host hears of each
// message once the service has it.
import type { RichAnswer } from '../../../../contracts/rich-answer.ts';
import { TransportError, type OutgoingFile } from '../../transport/chat-transport.ts';
import {
  addOutgoingMessage,
  findByClientMessageId,
  markDequeued,
  markFailed,
  markQueued,
  markRetrying,
  mergeServerMessages,
  pendingIds,
  queueUnsent,
  setProgress,
  type AttachmentInfo,
  type ChatMessage,
  type SendFailure,
} from '../messages.ts';
import type { DraftAttachment } from '../session-store.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

/**
 * Whether a failed send was refused by the service (it will never take this
 * message: the visitor must change it), and why. Anything else (a lost
 * socket, a timeout, an expired token) may not even have reached the service.
 */
function refusal(error: unknown): SendFailure | null {
  if (!(error instanceof TransportError) || error.code !== 'rejected') return null;
  return error.reason ?? 'refused';
}

export interface OutboxSlice {
  /** Files of messages not sent yet (by clientMessageId). */
  readonly outgoingFiles: Map<string, OutgoingFile>;
  /** The outbox is being sent, one message at a time. */
  pumping: Promise<void> | null;
  /** The message whose send request is out (its own answer decides its state). */
  inFlight: string | null;
  /**
   * Sends `text`, or the composer draft (and its files) when no text is given,
   * clearing it. The message appears at once and joins the outbox; it is never
   * dropped: it is sent once, in order, as soon as the connection allows
   * ("queued" while it waits for it), and only ends "failed" when the service
   * refuses it or the chat ends. Flex takes text or one file per message: the
   * text goes first, then each file in a message of its own, marked as part of
   * the text (`partOf`) so views keep them together. Each is its own entry in the
   * outbox, so a failure (a refused file, a drop in between) is handled once per
   * message: what made it is never sent again, what is missing is.
   */
  send(text?: string, answer?: RichAnswer): Promise<void>;
  /** Sends a failed message again (the visitor's Retry), in the outbox's order; ignored unless it is failed. */
  retryMessage(clientMessageId: string): Promise<void>;
  /**
   * Sends the outbox one message at a time, in the order they were typed, while
   * connected: one request out at a time means at most one message is in doubt
   * when a connection goes, and nothing overtakes it.
   */
  pump(): Promise<void>;
  stopReportingAccepted(): void;
}

export function createOutboxSlice(s: Session): OutboxSlice {
  /** clientMessageIds of messages typed here that the service has not accepted yet (reported to the host once it has). */
  const unconfirmed = new Set<string>();

  /**
   * The host hears of each message the visitor typed once it is in the chat, whichever way it
   * got there: the send's answer, its live echo, or the history after a reconnect.
   */
  const reportAccepted = (messages: readonly ChatMessage[]): void => {
    for (const id of [...unconfirmed]) {
      const message = findByClientMessageId(messages, id);
      if (message === undefined) unconfirmed.delete(id); // the conversation was left
      else if (message.delivery === 'sent') {
        unconfirmed.delete(id);
        s.notifyHost({ type: 'message', fromAgent: false, direction: 'outgoing' });
      }
    }
  };
  const stopReportingAccepted = s.store.subscribe((state, previous) => {
    if (unconfirmed.size > 0 && state.messages !== previous.messages) reportAccepted(state.messages);
  });

  /**
   * Sends one message of the outbox. True when it is settled (sent, or refused:
   * failed with the reason); false when it may or may not have reached the
   * service: it waits, queued, for a catch-up to tell (the outbox stops until then).
   */
  const deliver = async (clientMessageId: string, signal: AbortSignal): Promise<boolean> => {
    const message = findByClientMessageId(s.get().messages, clientMessageId);
    const transport = s.transport;
    if (!message || !transport) return true;
    const file = s.outgoingFiles.get(clientMessageId);
    s.inFlight = clientMessageId;
    try {
      const sent = await transport.sendMessage(message.body, clientMessageId, {
        ...(file ? { attachment: file } : {}),
        ...(message.partOf !== null ? { partOf: message.partOf } : {}),
        ...(message.answer ? { answer: message.answer } : {}),
        onProgress: (fraction) => {
          if (!signal.aborted) s.set((state) => ({ messages: setProgress(state.messages, clientMessageId, fraction) }));
        },
      });
      if (signal.aborted) return false;
      s.outgoingFiles.delete(clientMessageId);
      s.set((state) => ({ messages: mergeServerMessages(state.messages, [sent]) }));
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      const refused = refusal(error);
      if (refused !== null) {
        s.set((state) => ({ messages: markFailed(state.messages, clientMessageId, refused) }));
        return true;
      }
      // Lost on the way (or the answer was): it waits, and the outbox waits for a catch-up before it sends
      // anything again. Down: the reconnect catches up. Still "connected" (the drop not noticed yet, a
      // timeout): a catch-up on a backoff.
      s.set((state) => ({ messages: queueUnsent(markQueued(state.messages, clientMessageId)) }));
      s.doubt(clientMessageId);
      return false;
    } finally {
      if (!signal.aborted) s.inFlight = null;
    }
  };

  return {
    outgoingFiles: new Map(),
    pumping: null,
    inFlight: null,
    stopReportingAccepted,

    async send(text, answer) {
      const state = s.get();
      const body = (text ?? state.draft).trim();
      const drafts = text === undefined ? state.draftAttachments : [];
      if ((body === '' && drafts.length === 0) || !isInChat(state.phase) || !state.session) return;
      // Too long for the service: the draft stays for the visitor to shorten (the composer says so).
      if (text === undefined && body.length > s.options.maxMessageLength) return;
      const online = state.connection === 'connected' && s.transport !== null;
      const parts: Array<{ body: string; draft: DraftAttachment | null }> = [
        ...(body !== '' ? [{ body, draft: null }] : []),
        ...drafts.map((draft) => ({ body: '', draft })),
      ];
      let first: string | undefined;
      for (const part of parts) {
        const clientMessageId = s.createId();
        unconfirmed.add(clientMessageId);
        const partOf = first;
        first ??= clientMessageId;
        const attachments: AttachmentInfo[] = [];
        if (part.draft) {
          const blob = s.draftFiles.get(part.draft.id);
          s.draftFiles.delete(part.draft.id);
          if (blob) s.outgoingFiles.set(clientMessageId, { blob, filename: part.draft.filename, contentType: part.draft.contentType });
          attachments.push({
            sid: null,
            filename: part.draft.filename,
            contentType: part.draft.contentType,
            size: part.draft.size,
            previewUrl: part.draft.previewUrl,
          });
        }
        s.set((current) => ({
          messages: addOutgoingMessage(current.messages, {
            clientMessageId,
            author: state.session!.identity,
            authorName: current.visitorName,
            body: part.body,
            createdAt: s.now(),
            delivery: online ? 'sending' : 'queued',
            attachments,
            ...(partOf !== undefined ? { partOf } : {}),
            // Only `text` is sent with an answer: never the draft, and no files.
            ...(answer && text !== undefined ? { answer } : {}),
          }),
        }));
      }
      s.set((current) => ({
        draft: text === undefined ? '' : current.draft,
        draftAttachments: text === undefined ? [] : current.draftAttachments,
        attachmentErrors: [],
        firstUnreadKey: null, // the visitor answered: the "new messages" mark has done its job
      }));
      await s.pump();
    },

    async retryMessage(clientMessageId) {
      const message = findByClientMessageId(s.get().messages, clientMessageId);
      if (!message || message.delivery !== 'failed' || !isInChat(s.get().phase)) return;
      const online = s.get().connection === 'connected' && s.transport !== null;
      s.set((state) => ({ messages: online ? markRetrying(state.messages, clientMessageId) : markQueued(state.messages, clientMessageId) }));
      await s.pump();
    },

    pump() {
      if (s.pumping) return s.pumping;
      const { signal } = s.scope;
      let running: Promise<void> | null = null;
      let finished = false;
      const run = async () => {
        try {
          for (;;) {
            const state = s.get();
            if (signal.aborted || s.catchUpNeeded || s.transport === null) return;
            if (s.inDoubt !== null && findByClientMessageId(state.messages, s.inDoubt)?.delivery === 'queued') return;
            if (state.connection !== 'connected' || !isInChat(state.phase)) return;
            const next = pendingIds(state.messages)[0];
            if (next === undefined) return;
            s.set((current) => ({ messages: markDequeued(current.messages, next) }));
            if (!(await deliver(next, signal))) return;
          }
        } finally {
          finished = true; // when nothing was to send, before `running` is even assigned
          if (s.pumping === running) s.pumping = null;
        }
      };
      running = run();
      // Still going (waiting for a send): later calls join it, and it picks up what they add.
      if (!finished) s.pumping = running;
      return running;
    },
  };
}
