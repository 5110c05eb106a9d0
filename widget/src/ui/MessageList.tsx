// The conversation: a polite live log of messages, newest at the bottom.
import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { ChatMessage } from '../session/messages.ts';
import type { ParticipantInfo } from '../session/session-store.ts';
import { format, type Strings } from '../strings.ts';
import { MessageBody } from './MessageBody.tsx';
import { useController, useSession } from './session-context.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatTime(epochMs: number, locale: string): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
    } catch {
      formatter = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' });
    }
    formatters.set(locale, formatter);
  }
  return formatter.format(new Date(epochMs));
}

export function authorLabel(
  message: ChatMessage,
  participants: Readonly<Record<string, ParticipantInfo>>,
  strings: Strings,
): string {
  if (message.role === 'visitor') return strings.you;
  return message.authorName ?? participants[message.author]?.displayName ?? strings.agentFallbackName;
}

interface ItemProps {
  message: ChatMessage;
  showAuthor: boolean;
  showDelivery: boolean;
  canRetry: boolean;
  author: string;
  locale: string;
  strings: Strings;
  onRetry: (clientMessageId: string) => void;
}

function MessageItem({ message, showAuthor, showDelivery, canRetry, author, locale, strings, onRetry }: ItemProps) {
  if (message.role === 'system') {
    return (
      <div className="fc-msg fc-msg--system" data-role="system">
        <p className="fc-notice">{message.body}</p>
      </div>
    );
  }
  const bodyId = `fc-msg-${message.key}`;
  const delivery =
    message.delivery === 'sending'
      ? strings.sending
      : message.delivery === 'queued'
        ? strings.queuedDelivery
        : message.delivery === 'failed'
        ? strings.failed
        : message.delivery === 'sent' && showDelivery
          ? strings.sent
          : null;
  return (
    <div
      className={`fc-msg fc-msg--${message.role}`}
      data-role={message.role}
      data-delivery={message.delivery ?? undefined}
    >
      <span className={showAuthor ? 'fc-msg-author' : 'fc-sr-only'}>{author}</span>
      <div className="fc-bubble">
        <MessageBody text={message.body} id={bodyId} />
      </div>
      <div className="fc-msg-meta">
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatTime(message.createdAt, locale)}</time>
        {delivery ? (
          <span className={message.delivery === 'failed' ? 'fc-delivery fc-delivery--failed' : 'fc-delivery'}>
            {delivery}
          </span>
        ) : null}
        {message.delivery === 'failed' && canRetry && message.clientMessageId ? (
          <button
            type="button"
            className="fc-link-button"
            aria-describedby={bodyId}
            onClick={() => onRetry(message.clientMessageId!)}
          >
            {strings.retryLabel}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** Keeps the log scrolled to the newest message unless the visitor scrolled up to read. */
function useStickToBottom(element: RefObject<HTMLDivElement | null>, trigger: unknown): () => void {
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = element.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [element, trigger]);
  return () => {
    const el = element.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };
}

export function MessageList() {
  const controller = useController();
  const { strings } = controller;
  const locale = controller.config.locale ?? 'en';
  const messages = useSession((s) => s.messages);
  const participants = useSession((s) => s.participants);
  const active = useSession((s) => s.phase === 'active' || s.phase === 'queued');
  const logRef = useRef<HTMLDivElement>(null);
  const onScroll = useStickToBottom(logRef, messages);

  let lastSentVisitorKey: string | null = null;
  for (const m of messages) if (m.role === 'visitor' && m.delivery === 'sent') lastSentVisitorKey = m.key;

  return (
    <div
      ref={logRef}
      className="fc-log"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={strings.messagesLabel}
      tabIndex={0}
      onScroll={onScroll}
    >
      {messages.map((message, i) => {
        const previous = messages[i - 1];
        const author = authorLabel(message, participants, strings);
        const sameAuthorAsPrevious =
          previous !== undefined && previous.role === message.role && previous.author === message.author;
        return (
          <MessageItem
            key={message.key}
            message={message}
            author={author}
            showAuthor={!sameAuthorAsPrevious}
            showDelivery={message.key === lastSentVisitorKey}
            canRetry={active}
            locale={locale}
            strings={strings}
            onRetry={(clientMessageId) => void controller.retryMessage(clientMessageId)}
          />
        );
      })}
    </div>
  );
}

export function TypingIndicator() {
  const controller = useController();
  const typing = useSession((s) => s.typing);
  const participants = useSession((s) => s.participants);
  const first = typing[0];
  const text =
    first === undefined
      ? ''
      : format(controller.strings.typing, {
          name: participants[first]?.displayName ?? controller.strings.agentFallbackName,
        });
  return (
    <div className="fc-typing" aria-live="polite">
      {text ? (
        <>
          <span className="fc-typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      ) : null}
    </div>
  );
}
