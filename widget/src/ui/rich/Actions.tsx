// The buttons of rich replies: answers (sent as the visitor's message, then
// locked) and links (http/https in a new tab, phone numbers as tel:). Text only
// from the template, as React text: never HTML. URLs and numbers were checked by
// the parser (contracts/rich-content.ts): only http(s) URLs and E.164 numbers get here.
import type { RichAction, RichLink, RichPhone, RichReply } from '../../../../contracts/rich-content.ts';
import type { RichTexts } from './texts.ts';

export interface AnswerState {
  /** The visitor's answer (the first message after this one), or null. */
  answer: string | null;
  /** No more answers: one was given, or the chat is not open. */
  locked: boolean;
  onReply: (reply: RichReply) => void;
  texts: RichTexts;
}

/**
 * An answer button. Locked, it stays focusable (aria-disabled, not disabled) so the
 * keyboard focus stays where it was when the answer went out.
 */
export function ReplyButton({ reply, answer, locked, onReply, texts }: AnswerState & { reply: RichReply }) {
  const chosen = answer === reply.title;
  return (
    <button
      type="button"
      className={chosen ? 'fc-rich-reply fc-rich-reply--chosen' : 'fc-rich-reply'}
      aria-disabled={locked || undefined}
      onClick={() => {
        if (!locked) onReply(reply);
      }}
    >
      {reply.title}
      {chosen ? <span className="fc-sr-only"> {texts.chosen}</span> : null}
    </button>
  );
}

export function LinkAction({ action, texts }: { action: RichLink | RichPhone; texts: RichTexts }) {
  if (action.kind === 'phone') {
    return (
      <a className="fc-rich-link" href={`tel:${action.phone}`}>
        {action.title}
      </a>
    );
  }
  return (
    <a className="fc-rich-link" href={action.url} target="_blank" rel="noopener noreferrer">
      {action.title}
      <span className="fc-sr-only"> {texts.newTab}</span>
    </a>
  );
}

/** A row of actions: answers as buttons, links as links; a group named `label` when it holds answers. */
export function ActionList({ actions, label, ...state }: AnswerState & { actions: readonly RichAction[]; label?: string }) {
  const hasReplies = actions.some((a) => a.kind === 'reply');
  return (
    <div className="fc-rich-actions" role={hasReplies ? 'group' : undefined} aria-label={hasReplies ? label : undefined}>
      {actions.map((action, i) =>
        action.kind === 'reply' ? <ReplyButton key={i} reply={action} {...state} /> : <LinkAction key={i} action={action} texts={state.texts} />,
      )}
    </div>
  );
}
