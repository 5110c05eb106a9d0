// On the ended screen: the visitor may have the transcript e-mailed. The token
// service builds it from the conversation and hands it to the site's webhook
// (server/README.md, POST /webchat/transcript). A chunk of its own (ChatStatus.tsx).
import { useId, useRef, useState, type FormEvent } from 'react';
import { isTranscriptEmail } from '../../../../contracts/transcript-email.ts';
import { TokenServiceError } from '../../session/token-service.ts';
import { format } from '../../strings.ts';
import { useController, useSession } from '../session-context.ts';
import { transcriptEmailTexts } from './texts.ts';

type Status = { state: 'idle' | 'sending' } | { state: 'sent'; email: string } | { state: 'error'; message: string; field: boolean };

export function TranscriptEmail() {
  const controller = useController();
  const texts = transcriptEmailTexts(useSession((s) => s.locale));
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  if (status.state === 'sent') {
    return (
      <p className="fc-transcript-email" role="status">
        {format(texts.sent, { email: status.email })}
      </p>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (status.state === 'sending') return; // one request at a time
    const address = email.trim();
    if (!isTranscriptEmail(address)) {
      setStatus({ state: 'error', message: texts.invalidEmail, field: true });
      input.current?.focus();
      return;
    }
    setStatus({ state: 'sending' });
    try {
      await controller.postAfterEnd('transcript', { email: address });
      setStatus({ state: 'sent', email: address });
    } catch (error) {
      const unavailable = error instanceof TokenServiceError && error.status === 501;
      const field = error instanceof TokenServiceError && error.status === 400;
      setStatus({ state: 'error', message: unavailable ? texts.notAvailable : field ? texts.invalidEmail : texts.failed, field });
    }
  };

  const error = status.state === 'error' ? status : null;
  return (
    <form className="fc-transcript-email" aria-labelledby={`${id}-h`} noValidate onSubmit={(event) => void submit(event)}>
      <h2 className="fc-transcript-email-title" id={`${id}-h`}>
        {texts.heading}
      </h2>
      <label htmlFor={`${id}-email`}>{texts.emailLabel}</label>
      <div className="fc-transcript-email-row">
        <input
          ref={input}
          id={`${id}-email`}
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          aria-invalid={error?.field ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setEmail(event.target.value)}
        />
        <button type="submit" className="fc-button fc-button--secondary" aria-disabled={status.state === 'sending' ? true : undefined}>
          {status.state === 'sending' ? texts.sending : texts.send}
        </button>
      </div>
      {error ? (
        <p className="fc-field-error" id={`${id}-error`} role="alert">
          {error.message}
        </p>
      ) : null}
    </form>
  );
}
