// The conversation: a polite live log of messages, newest at the bottom,
// virtualised with @tanstack/react-virtual so long histories stay smooth.
//
// Short conversations (up to fullRenderLimit rows) are rendered completely
// (overscan = everything; use-complete-draw.ts), so screen-reader users can browse them with the
// virtual cursor; longer ones render a window around the viewport. Scrolling
// up near the top loads older history; the scroll position stays put.
import { measureElement as defaultMeasure, observeElementRect } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage, SendFailure } from '../session/messages.ts';
import { teaserMessage, withTeaser } from '../session/teaser-greeting.ts';
import { format, type Strings } from '../strings.ts';
import { AttachmentList } from './Attachments.tsx';
import { lazyView } from './lazy-view.tsx';
import { formatTime, warmTimeFormatSoon } from './time-format.ts';
import { MessageBody } from './MessageBody.tsx';
import { createRowBuilder, dayLabeller, type Row } from './rows.ts';
import { useController, useSession, useStrings } from './session-context.ts';
import { useCompleteDraw } from './use-complete-draw.ts';
import { useLogVirtualizer } from './use-log-virtualizer.ts';

/** Up to this many rows everything is in the DOM. */
export const fullRenderLimit = 200;
/** Space above the first row and below the last. */
const logPaddingPx = 12;
/** Rows rendered beyond the viewport for longer lists. */
const overscan = 8;
/** "At the bottom" tolerance, and how close to the top an older page is fetched. */
const bottomSlackPx = 48;
const loadOlderWithinPx = 240;
/** Viewport height assumed while the log has no layout (hidden iframe, jsdom). */
const fallbackViewportPx = 600;

/** Content template messages (rich/): a chunk of their own; the plain body stands in until it is here. */
const RichMessage = lazyView(
  () => import('./rich/RichMessage.tsx').then((m) => m.RichMessage),
  ({ message, markdown }: { message: ChatMessage; markdown: boolean }) => (
    <div className="fc-bubble">
      <MessageBody text={message.body} markdown={markdown} />
    </div>
  ),
);

// The chat's first rows should not pay for the page's first date formatter (time-format.ts).
// (Also imported where there is no document: tests of the transports in Node.)
warmTimeFormatSoon(() => (typeof document !== 'undefined' && document.documentElement.lang) || 'en');

function estimateSize(row: Row | undefined): number {
  switch (row?.kind) {
    case 'message':
      return (row.groupStart ? 24 : 0) + (row.groupEnd ? 20 : 0) + 44 + (row.message.attachments.length > 0 ? 64 : 0);
    case 'date':
      return 40;
    case 'new':
      return 32;
    default:
      return 48;
  }
}

interface MessageViewProps {
  message: ChatMessage;
  author: string;
  groupStart: boolean;
  groupEnd: boolean;
  showDelivery: boolean;
  read: boolean;
  canRetry: boolean;
  locale: string;
  strings: Strings;
  markdown: boolean;
  onRetry: (clientMessageId: string) => void;
}

function deliveryText(message: ChatMessage, showDelivery: boolean, read: boolean, strings: Strings): string | null {
  switch (message.delivery) {
    case 'sending':
      return strings.sending;
    case 'queued':
      return strings.queuedDelivery;
    case 'failed':
      return strings.failed;
    case 'sent':
      return showDelivery ? (read ? strings.read : strings.sent) : null;
    default:
      return null;
  }
}

/** Why a message was not sent, in the visitor's language. */
function failureText(failure: SendFailure, strings: Strings): string {
  switch (failure) {
    case 'too-long':
      return strings.failedTooLong;
    case 'file-too-large':
      return strings.failedFileTooLarge;
    case 'file-type':
      return strings.failedFileType;
    case 'ended':
      return strings.failedEnded;
    case 'refused':
      return strings.failedRefused;
  }
}

const MessageView = memo(function MessageView(props: MessageViewProps) {
  const { message, author, groupStart, groupEnd, showDelivery, read, canRetry, locale, strings, markdown, onRetry } = props;
  if (message.role === 'system') {
    return (
      <div className="fc-msg fc-msg--system" data-role="system">
        <p className="fc-notice">{message.body}</p>
      </div>
    );
  }
  const bodyId = `fc-msg-${message.key}`;
  const delivery = deliveryText(message, showDelivery, read, strings);
  const time = <time dateTime={new Date(message.createdAt).toISOString()}>{formatTime(message.createdAt, locale)}</time>;
  return (
    <div
      className={`fc-msg fc-msg--${message.role}${groupStart ? ' fc-msg--start' : ''}${groupEnd ? ' fc-msg--end' : ''}`}
      data-role={message.role}
      data-delivery={message.delivery ?? undefined}
    >
      {groupStart ? (
        <div className="fc-msg-head">
          {message.role === 'agent' ? (
            <span className="fc-avatar" aria-hidden="true">
              {Array.from(author)[0]?.toUpperCase() ?? '?'}
            </span>
          ) : null}
          <span className="fc-msg-author">{author}</span>
        </div>
      ) : (
        <span className="fc-sr-only">{author}</span>
      )}
      {message.content ? (
        <RichMessage message={message} markdown={markdown} />
      ) : message.body !== '' ? (
        <div className="fc-bubble">
          <MessageBody text={message.body} id={bodyId} markdown={markdown} />
        </div>
      ) : null}
      {message.attachments.length > 0 ? <AttachmentList message={message} /> : null}
      <div className={groupEnd || delivery ? 'fc-msg-meta' : 'fc-sr-only'}>
        {groupEnd ? time : <span className="fc-sr-only">{time}</span>}
        {delivery ? (
          <span className={message.delivery === 'failed' ? 'fc-delivery fc-delivery--failed' : 'fc-delivery'}>{delivery}</span>
        ) : null}
        {message.delivery === 'failed' && message.error ? (
          <span className="fc-delivery fc-delivery--failed fc-delivery-reason">{failureText(message.error, strings)}</span>
        ) : null}
        {message.delivery === 'failed' && canRetry && message.clientMessageId ? (
          <button
            type="button"
            className="fc-link-button"
            aria-describedby={message.body !== '' ? bodyId : undefined}
            onClick={() => onRetry(message.clientMessageId!)}
          >
            {strings.retryLabel}
          </button>
        ) : null}
      </div>
    </div>
  );
});

export function MessageList() {
  const controller = useController();
  const strings = useStrings();
  const markdown = useSession((s) => s.options.markdown);
  const teaser = useSession((s) => s.teaser);
  const greeting = useMemo(() => (teaser ? teaserMessage(teaser) : null), [teaser]);
  const conversation = useSession((s) => s.messages);
  const messages = useMemo(() => withTeaser(conversation, greeting), [conversation, greeting]);
  // Names can change after a message arrived (late display names): re-render on participant changes.
  useSession((s) => s.participants);
  const hasOlder = useSession((s) => s.hasOlderMessages);
  const loadingOlder = useSession((s) => s.loadingOlder);
  const firstUnreadKey = useSession((s) => s.firstUnreadKey);
  const unread = useSession((s) => s.unread);
  const locale = useSession((s) => s.locale);
  const inChat = useSession((s) => s.phase === 'active' || s.phase === 'queued');

  const dayLabel = useMemo(() => dayLabeller(locale, strings), [locale, strings]);
  // Rows are rebuilt from the first changed message on: a new message costs the same at any history size.
  const [rowBuilder] = useState(createRowBuilder);
  const rows = useMemo(
    () => rowBuilder(messages, { hasOlder, firstUnreadKey, dayLabel }),
    [rowBuilder, messages, hasOlder, firstUnreadKey, dayLabel],
  );

  // "Read" shows on the visitor's newest delivered message only: the agents' read horizon
  // moves with each of their messages, and the list renders again only when that flips it.
  const deliveredIndex = useMemo(() => rowBuilder.lastDelivered()?.index ?? null, [rowBuilder, rows]);
  const deliveredRead = useSession((s) => deliveredIndex !== null && deliveredIndex <= s.readHorizon);
  const drawAll = useCompleteDraw(rows.length, fullRenderLimit);
  const logRef = useRef<HTMLDivElement>(null);
  // The virtualizer recomputes every row's offset whenever getItemKey changes: tie it
  // to the rows, not to each render (a render for a read receipt or a name would
  // otherwise walk the whole history).
  const getItemKey = useCallback((index: number) => rows[index]?.key ?? index, [rows]);
  const estimateRow = useCallback((index: number) => estimateSize(rows[index]), [rows]);
  const atBottomRef = useRef(true);
  // Rows added at the end while the visitor is at the bottom: the layout effect below follows them.
  const lastKey = rows.at(-1)?.key;
  const followedKey = useRef<string | undefined>(undefined);
  const followEnd = atBottomRef.current && lastKey !== followedKey.current;
  followedKey.current = lastKey;
  const virtualizer = useLogVirtualizer({
    count: rows.length,
    getScrollElement: () => logRef.current,
    estimateSize: estimateRow,
    getItemKey,
    overscan: drawAll ? rows.length : overscan,
    paddingStart: logPaddingPx,
    paddingEnd: logPaddingPx,
    // Following the end (scrollToIndex, align "end") shows the padding below the last row too.
    scrollPaddingEnd: logPaddingPx,
    // A log without layout yet (prefetched hidden iframe) still gets a window of rows.
    observeElementRect: (instance, callback) =>
      observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : { width: rect.width, height: fallbackViewportPx })),
    // An element that measures 0 is not laid out (yet): keep the estimate rather than collapse it.
    measureElement: (element, entry, instance) => {
      const size = defaultMeasure(element, entry, instance);
      return size > 0 ? size : estimateSize(rows[instance.indexFromElement(element)]);
    },
  }, followEnd);

  const [atBottom, setAtBottom] = useState(true);
  const olderAnchor = useRef<{ total: number; scrollTop: number } | null>(null);

  const updateAtBottom = useCallback(
    (value: boolean) => {
      if (atBottomRef.current === value) return;
      atBottomRef.current = value;
      setAtBottom(value);
      controller.setAtBottom(value);
    },
    [controller],
  );

  const loadOlder = useCallback(() => {
    const el = logRef.current;
    if (!el || controller.state.loadingOlder || !controller.state.hasOlderMessages) return;
    olderAnchor.current = { total: virtualizer.getTotalSize(), scrollTop: el.scrollTop };
    void controller.loadOlder();
  }, [controller, virtualizer]);

  const onScroll = () => {
    const el = logRef.current;
    if (!el) return;
    updateAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < bottomSlackPx);
    if (el.scrollTop < loadOlderWithinPx && hasOlder && !loadingOlder) loadOlder();
  };

  // Older messages were put on top: keep what the visitor was reading where it was.
  useLayoutEffect(() => {
    const anchor = olderAnchor.current;
    const el = logRef.current;
    if (!anchor || !el || loadingOlder) return;
    olderAnchor.current = null;
    el.scrollTop = anchor.scrollTop + (virtualizer.getTotalSize() - anchor.total);
  }, [rows, loadingOlder, virtualizer]);

  // New rows at the bottom: follow them while the visitor is at the bottom.
  useLayoutEffect(() => {
    if (atBottomRef.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [lastKey, rows.length, virtualizer]);

  const jumpToLatest = () => {
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    updateAtBottom(true);
    logRef.current?.focus();
  };

  const onRetry = useCallback((clientMessageId: string) => void controller.retryMessage(clientMessageId), [controller]);

  const renderRow = (row: Row) => {
    switch (row.kind) {
      case 'older':
        return (
          <div className="fc-older">
            {loadingOlder ? (
              <span className="fc-older-status">{strings.loadingOlder}</span>
            ) : (
              <button type="button" className="fc-link-button" onClick={loadOlder}>
                {strings.loadOlder}
              </button>
            )}
          </div>
        );
      case 'date':
        return (
          <div className="fc-date">
            <time dateTime={row.dateTime}>{row.label}</time>
          </div>
        );
      case 'new':
        return (
          <div className="fc-new-separator">
            <span>{strings.newMessages}</span>
          </div>
        );
      case 'message': {
        const m = row.message;
        return (
          <MessageView
            message={m}
            author={controller.authorLabel(m)}
            groupStart={row.groupStart}
            groupEnd={row.groupEnd}
            showDelivery={row.showDelivery}
            read={row.showDelivery && deliveredRead}
            canRetry={inChat}
            locale={locale}
            strings={strings}
            markdown={markdown}
            onRetry={onRetry}
          />
        );
      }
    }
  };

  return (
    <div className="fc-log-wrap">
      <div
        ref={logRef}
        className="fc-log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={strings.messagesLabel}
        aria-busy={loadingOlder || undefined}
        tabIndex={0}
        onScroll={onScroll}
      >
        {/* Its height and the rows' positions are the virtualiser's (written directly). */}
        <div className="fc-log-inner" ref={virtualizer.containerRef}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="fc-row"
              >
                {renderRow(row)}
              </div>
            );
          })}
        </div>
      </div>
      {!atBottom ? (
        <button type="button" className="fc-jump" onClick={jumpToLatest}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <path d="M12 5v14M6 13l6 6 6-6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
          </svg>
          <span>{strings.jumpToLatest}</span>
          {unread > 0 ? <span className="fc-jump-count">{format(strings.jumpToLatestCount, { count: unread })}</span> : null}
        </button>
      ) : null}
    </div>
  );
}

export function TypingIndicator() {
  const strings = useStrings();
  // Who types, not the lists: each message and name change makes new ones, which drew this again.
  const name = useSession((s) => {
    const first = s.typing[0];
    return first === undefined ? null : (s.participants[first]?.displayName ?? strings.agentFallbackName);
  });
  const text = name === null ? '' : format(strings.typing, { name });
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
