// The conversation: messages, typing, the composer (or, once ended, the ended panel),
// and files dropped anywhere on it. A chunk of its own (App.tsx), loaded while the
// visitor fills in the form.
import { Composer, useFileDrop } from './Composer.tsx';
import { MessageList, TypingIndicator } from './MessageList.tsx';
import { useController, useSession, useStrings } from './session-context.ts';
import { ConnectionBanner, EndedPanel } from './ChatStatus.tsx';

export function ChatView() {
  const controller = useController();
  const strings = useStrings();
  const ended = useSession((s) => s.phase === 'ended');
  const attachments = useSession((s) => s.options.attachments.enabled);
  const drop = useFileDrop((files) => controller.addFiles(files), !ended && attachments);
  return (
    <div className="fc-chat" {...drop.handlers}>
      {drop.over ? (
        <div className="fc-drop" aria-hidden="true">
          {strings.dropFiles}
        </div>
      ) : null}
      <ConnectionBanner />
      <MessageList />
      <TypingIndicator />
      {ended ? <EndedPanel /> : <Composer />}
    </div>
  );
}
