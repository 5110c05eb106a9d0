// Views for the phases before the conversation: connecting, error (the offline screen:
// OfflineView.tsx; what shows with the conversation, ended or reconnecting: ChatStatus.tsx).
import { useRef } from 'react';
import { format } from '../strings.ts';
import { useTakeOverLostFocus } from './focus.ts';
import { useController, useSession, useStrings } from './session-context.ts';

export function ConnectingView() {
  const strings = useStrings();
  const ref = useRef<HTMLDivElement>(null);
  useTakeOverLostFocus(ref);
  return (
    <div ref={ref} className="fc-status" role="status" tabIndex={-1}>
      <span className="fc-spinner" aria-hidden="true" />
      <p>{strings.connecting}</p>
    </div>
  );
}

export function ErrorView() {
  const controller = useController();
  const strings = useStrings();
  const error = useSession((s) => s.error);
  const ref = useRef<HTMLButtonElement>(null);
  useTakeOverLostFocus(ref);
  const message = error?.message ?? strings.errorGeneric;
  const label = error?.recovery === 'restart' ? strings.startNew : strings.retryLabel;
  const secondsLeft = error?.retryInSeconds ?? null;
  return (
    <div className="fc-status fc-status--error">
      {secondsLeft === null ? (
        <p role="alert">{message}</p>
      ) : (
        <>
          {/* Announced once; the countdown itself ticks silently (role timer is not live). */}
          <p role="alert" className="fc-sr-only">
            {message}
          </p>
          <p role="timer">
            {format(strings.busyRetryIn, { seconds: secondsLeft })}
          </p>
        </>
      )}
      <button ref={ref} type="button" className="fc-button fc-button--primary" onClick={() => void controller.retry()}>
        {label}
      </button>
    </div>
  );
}
