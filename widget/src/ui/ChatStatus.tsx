// What shows with the conversation besides messages: the banner while the connection
// is lost and, once the chat has ended, the ended panel. Part of the chat view's chunk
// (ChatView.tsx), so the form's first chunk carries none of it.
import { useRef } from 'react';
import { sessionTranscript, transcriptFileName } from '../session/transcript.ts';
import { downloadText } from './download.ts';
import { useTakeOverLostFocus } from './focus.ts';
import { lazyView } from './lazy-view.tsx';
import { useController, useSession, useStrings } from './session-context.ts';

// The survey and the e-mailed transcript form: a chunk of their own, only on the ended screen.
const PostChat = lazyView(() => import('./post-chat/PostChat.tsx').then((m) => m.PostChat));

/** Under the conversation once it has ended: the transcript, and a way to start again. */
export function EndedPanel() {
  const controller = useController();
  const strings = useStrings();
  const hasMessages = useSession((s) => s.messages.some((m) => m.role !== 'system'));
  const ref = useRef<HTMLButtonElement>(null);
  useTakeOverLostFocus(ref);
  const download = () => {
    downloadText(document, sessionTranscript(controller), transcriptFileName(strings.transcriptFileName, Date.now()));
  };
  return (
    <div className="fc-ended">
      <p role="status">{strings.ended}</p>
      <div className="fc-ended-actions">
        {hasMessages ? (
          <button type="button" className="fc-button fc-button--secondary" onClick={download}>
            {strings.downloadTranscript}
          </button>
        ) : null}
        <button ref={ref} type="button" className="fc-button fc-button--primary" data-autofocus="" onClick={() => controller.restart()}>
          {strings.startNew}
        </button>
      </div>
      {controller.canPostAfterEnd ? <PostChat hasMessages={hasMessages} /> : null}
    </div>
  );
}

/** Announces lost connections while a chat is open; the region always exists so changes are announced. */
export function ConnectionBanner() {
  const strings = useStrings();
  const offline = useSession(
    (s) => (s.phase === 'active' || s.phase === 'queued') && s.connection !== 'connected' && s.connection !== 'idle',
  );
  return (
    <div className={offline ? 'fc-banner' : 'fc-banner fc-banner--hidden'} role="status">
      {offline ? strings.reconnecting : null}
    </div>
  );
}
