// The ended screen's requests to the token service, in one lazy chunk (ChatStatus.tsx
// loads it only when a token service can be asked): the post-chat survey when the
// deployment turned it on, and the transcript by e-mail when the chat had messages.
// One chunk, not two: a lazy chunk that loads another made the bundler split shared
// modules (React's JSX runtime, the session context) out of the main chunk.
import { useController } from '../session-context.ts';
import { Survey } from './Survey.tsx';
import { TranscriptEmail } from './TranscriptEmail.tsx';

export function PostChat({ hasMessages }: { hasMessages: boolean }) {
  const controller = useController();
  return (
    <>
      {controller.config.survey?.enabled ? <Survey /> : null}
      {hasMessages ? <TranscriptEmail /> : null}
    </>
  );
}
