// A message made from a Twilio Content template, drawn from its parsed content
// (contracts/rich-content.ts): quick replies, call-to-action links, a list
// picker or a card. A chunk of its own (MessageList.tsx), loaded when the first
// such message shows; until then, the plain body stands in. An answer goes out
// as the visitor's own message (the reply's title, its id in the attributes:
// contracts/rich-answer.ts), and the buttons lock once
// the visitor has written after this message, however it is shown again.
import { useRef, useState } from 'react';
import type { RichAnswer } from '../../../../contracts/rich-answer.ts';
import type { RichReply } from '../../../../contracts/rich-content.ts';
import type { ChatMessage } from '../../session/messages.ts';
import { isInChat } from '../../session/state-machine.ts';
import { MessageBody } from '../MessageBody.tsx';
import { useController, useSession } from '../session-context.ts';
import { ActionList, LinkAction, ReplyButton, type AnswerState } from './Actions.tsx';
import { answerAfter } from './answer.ts';
import { ListPicker } from './ListPicker.tsx';
import { richTexts } from './texts.ts';
import './rich.css';

export interface RichMessageProps {
  message: ChatMessage;
  markdown: boolean;
}

export function RichMessage({ message, markdown }: RichMessageProps) {
  const controller = useController();
  const texts = richTexts(useSession((s) => s.locale));
  const answer = useSession((s) => answerAfter(s.messages, message.key));
  const inChat = useSession((s) => isInChat(s.phase));
  // One answer per message, even for a second click before the list re-renders.
  const answered = useRef(false);
  const locked = answer !== null || !inChat;
  const send = (title: string, picked?: RichAnswer) => {
    if (locked || answered.current) return;
    answered.current = true;
    void controller.send(title, picked);
  };
  const onReply = (reply: RichReply) => send(reply.title, reply.id !== null ? { kind: 'reply', id: reply.id } : undefined);
  const state: AnswerState = { answer, locked, texts, onReply };
  const content = message.content;
  if (!content) return null;

  const bubble = (text: string) => (
    <div className="fc-bubble">
      <MessageBody text={text} markdown={markdown} />
    </div>
  );
  switch (content.type) {
    case 'twilio/quick-reply':
      return (
        <div className="fc-rich">
          {bubble(content.body)}
          <div className="fc-rich-actions" role="group" aria-label={texts.replies}>
            {content.replies.map((reply, i) => (
              <ReplyButton key={i} reply={reply} {...state} />
            ))}
          </div>
        </div>
      );
    case 'twilio/call-to-action':
      return (
        <div className="fc-rich">
          {bubble(content.body)}
          <div className="fc-rich-actions">
            {content.actions.map((action, i) => (
              <LinkAction key={i} action={action} texts={texts} />
            ))}
          </div>
        </div>
      );
    case 'twilio/list-picker':
      return (
        <div className="fc-rich">
          {bubble(content.body)}
          <ListPicker button={content.button} items={content.items} locked={locked} onPick={(item) => send(item.item, { kind: 'item', id: item.id })} />
        </div>
      );
    case 'twilio/card':
      return (
        <div className="fc-rich fc-rich-card">
          {content.media !== null ? <CardImage src={content.media} /> : null}
          <div className="fc-rich-card-text">
            <p className="fc-rich-card-title">{content.title}</p>
            {content.subtitle !== null ? <p className="fc-rich-card-subtitle">{content.subtitle}</p> : null}
          </div>
          {content.actions.length > 0 ? <ActionList actions={content.actions} label={texts.replies} {...state} /> : null}
        </div>
      );
  }
}

/**
 * The card's picture: decorative (the title says what the card is). One the
 * widget's Content-Security-Policy does not allow, or that does not load, is left out.
 */
function CardImage({ src }: { src: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return null;
  return (
    <img
      className="fc-rich-card-media"
      src={src}
      alt=""
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
    />
  );
}
