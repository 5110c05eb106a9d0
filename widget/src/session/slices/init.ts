// Starting a session: /webchat/init with the form's answers (or a session taken
// from storage or another tab), then connect. The token service's refusals go
// back to the form or to the error view; "busy" retries by itself.
import { firstMessageFieldOf } from '../../../../config/first-message.ts';
import { format } from '../../strings.ts';
import { classify } from '../failures.ts';
import type { FormValue } from '../form-validation.ts';
import type { StoredSession } from '../persistence.ts';
import type { SessionEvent } from '../state-machine.ts';
import { TokenServiceError, type InitRequestBody, type InitResponse } from '../token-service.ts';
import { conversationReset, withUnsentText } from './lifecycle.ts';
import type { Session } from './session.ts';

export interface InitSlice {
  /** The form's question the token service left for the widget to post, once connected. */
  pendingFirstMessage: string | null;
  initAndConnect(event: SessionEvent): Promise<void>;
  /** Joins a session kept in storage (`atStart`: start() already moved to connecting), or started in another tab. */
  resume(record: StoredSession, atStart?: boolean): Promise<void>;
}

export function createInitSlice(s: Session): InitSlice {
  /**
   * The form's question, for the widget to post as the visitor's first message once connected: when
   * the token service could not (firstMessageSent: false), or said nothing of it (a service that
   * does not post it). Null when the service posted it, or the form has none (firstMessageField).
   */
  const firstMessageToPost = (init: InitResponse, data: Record<string, FormValue>): string | null => {
    if (init.firstMessageSent === true) return null;
    if (init.firstMessage !== undefined) return init.firstMessage;
    if (init.firstMessageSent === false) return null;
    const field = firstMessageFieldOf(s.config.preEngagement);
    const answer = field === null ? undefined : data[field];
    return typeof answer === 'string' && answer.trim() !== '' ? answer.trim() : null;
  };

  /**
   * Twilio's chat-start limit is reached (503 busy): say so with the wait, count it down, and
   * retry init by itself when it is over, with the same form answers (Retry still retries at once).
   * A random extra second for some visitors keeps those turned away together from all coming back together.
   */
  const retryInitLater = (retryAfterSeconds: number | null): void => {
    let secondsLeft = Math.min(Math.max(retryAfterSeconds ?? 5, 1), 60) + (Math.random() < 0.5 ? 0 : 1);
    s.fail('busy', 'retry-init');
    const message = format(s.strings.busyRetryIn, { seconds: secondsLeft });
    s.set((state) => (state.error ? { error: { ...state.error, message, retryInSeconds: secondsLeft } } : {}));
    // A timer of the error's scope: whatever leaves the error view (Retry, restart) ends it.
    const tick = () => {
      secondsLeft -= 1;
      if (secondsLeft > 0) {
        s.set((state) => (state.error ? { error: { ...state.error, retryInSeconds: secondsLeft } } : {}));
        s.later(tick, 1000);
        return;
      }
      void s.retry();
    };
    s.later(tick, 1000);
  };

  const handleInitError = (error: unknown): void => {
    if (error instanceof TokenServiceError && error.kind === 'fields') {
      const errors: Record<string, string> = {};
      for (const field of s.form.fields) {
        const message = error.fields[field.name];
        if (message !== undefined && field.type !== 'hidden') errors[field.name] = field.errorText ?? message;
      }
      if (Object.keys(errors).length > 0) {
        s.dispatch({ type: 'formRejected' }, (state) => ({
          error: null,
          form: {
            ...state.form,
            errors,
            message: s.strings.formHasErrors,
            rejectedSubmits: state.form.rejectedSubmits + 1,
          },
        }));
        return;
      }
      // Errors about fields the visitor cannot see or change: nothing to correct (the table says restart).
    }
    if (error instanceof TokenServiceError && error.kind === 'busy' && error.serviceCode === 'busy') {
      retryInitLater(error.retryAfterSeconds);
      return;
    }
    if (error instanceof TokenServiceError && error.kind === 'too-large') {
      // Twilio's hosted init refuses answers over 16 KB: back to the form, answers kept, to shorten them.
      s.dispatch({ type: 'formRejected' }, (state) => ({
        error: null,
        form: { ...state.form, errors: {}, message: s.strings.errorFormTooLarge, rejectedSubmits: state.form.rejectedSubmits + 1 },
      }));
      return;
    }
    const { code, recovery } = classify('init', error);
    s.fail(code, recovery);
  };

  return {
    pendingFirstMessage: null,

    async initAndConnect(event) {
      const data = s.submission;
      if (!data) {
        s.restart();
        return;
      }
      s.teardown();
      const { signal } = s.scope;
      s.credentials = null;
      s.resuming = false;
      s.forgetAgents();
      // A new conversation: whatever the visitor could not send goes back into the composer.
      if (!s.dispatch(event, (state) => ({ ...conversationReset(), error: null, connection: 'idle', draft: withUnsentText(state) }))) {
        return;
      }

      let init: InitResponse;
      try {
        const context: InitRequestBody['context'] = { locale: s.get().locale };
        if (s.pageUrl !== undefined) context.pageUrl = s.pageUrl;
        // What the visitor was shown before the chat: the agent sees it too (the chat's attributes).
        const teaser = s.get().teaser;
        if (teaser) context.teaser = teaser.text;
        init = await s.tokens.init({
          preEngagementData: data,
          context,
          ...(s.userToken !== undefined ? { userToken: s.userToken } : {}),
        });
      } catch (error) {
        if (!signal.aborted) handleInitError(error);
        return;
      }
      if (signal.aborted) return;

      s.credentials = init;
      s.pendingFirstMessage = firstMessageToPost(init, data);
      s.set({
        session: { identity: init.identity, conversationSid: init.conversationSid, mode: init.mode, expiresAt: init.expiresAt },
      });
      s.persist();
      await s.connect(signal);
    },

    async resume(record, atStart = false) {
      if (!atStart && !s.dispatch({ type: 'resume' })) return;
      s.teardown();
      const { signal } = s.scope;
      s.resuming = true;
      s.forgetAgents();
      s.credentials = {
        token: record.token,
        identity: record.identity,
        conversationSid: record.conversationSid,
        expiresAt: record.expiresAt,
        mode: record.mode,
        ...(record.twilsockUri !== null ? { twilsockUri: record.twilsockUri } : {}),
        ...(record.sessionProof !== null ? { sessionProof: record.sessionProof } : {}),
      };
      s.set({
        ...conversationReset(),
        error: null,
        notice: null,
        connection: 'idle',
        visitorName: record.visitorName,
        teaser: record.teaser,
        session: { identity: record.identity, conversationSid: record.conversationSid, mode: record.mode, expiresAt: record.expiresAt },
      });
      if (s.credentialsStale() && !(await s.renewCredentials(signal, 'abandon'))) return;
      await s.connect(signal);
    },
  };
}
