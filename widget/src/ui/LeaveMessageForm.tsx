// The offline screen's leave-a-message form. State and sending live in
// session/leave-message.ts, one form per session (session/leave-message-forms.ts);
// this renders it.
import { useEffect, useId, useRef, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import {
  LEAVE_MESSAGE_LIMITS,
  type LeaveMessageError,
  type LeaveMessageForm,
  type LeaveMessageField,
  type LeaveMessageFieldError,
} from '../session/leave-message.ts';
import { leaveMessageFormFor } from '../session/leave-message-forms.ts';
import { format, type Strings } from '../strings.ts';
import { useController, useSession, useStrings } from './session-context.ts';

const FIELD_ORDER: readonly LeaveMessageField[] = ['name', 'email', 'message'];

function fieldErrorText(field: LeaveMessageField, problem: LeaveMessageFieldError, strings: Strings): string {
  switch (problem) {
    case 'required':
      return strings.fieldRequired;
    case 'email':
      return strings.fieldEmail;
    case 'tooLong':
      return format(strings.fieldTooLong, { max: LEAVE_MESSAGE_LIMITS[field] });
    case 'nameLetters':
      return strings.leaveMessageNameInvalid;
    case 'invalid':
      return strings.fieldPattern;
  }
}

function sendErrorText(error: LeaveMessageError, strings: Strings): string {
  switch (error.kind) {
    case 'network':
      return strings.leaveMessageNetwork;
    case 'busy':
      return strings.leaveMessageBusy;
    case 'delivery':
      return strings.leaveMessageFailed;
    case 'unavailable':
      return strings.leaveMessageUnavailable;
    case 'fields':
      return strings.formHasErrors;
    case 'rejected':
      return strings.errorGeneric;
  }
}

/** Name and email from identify / the pre-engagement form, to start from. */
function usePrefill(form: LeaveMessageForm): void {
  const { friendlyNameField, fields } = useSession((s) => s.config.preEngagement);
  const emailField = fields.find((field) => field.type === 'email')?.name;
  const name = useSession((s) => (friendlyNameField !== undefined ? s.form.values[friendlyNameField] : undefined));
  const email = useSession((s) => (emailField !== undefined ? s.form.values[emailField] : undefined));
  useEffect(() => {
    form.prefill({ ...(typeof name === 'string' ? { name } : {}), ...(typeof email === 'string' ? { email } : {}) });
  }, [form, name, email]);
}

export function LeaveMessage() {
  const controller = useController();
  const strings = useStrings();
  const form = leaveMessageFormFor(controller);
  const values = useStore(form.store, (s) => s.values);
  const errors = useStore(form.store, (s) => s.errors);
  const status = useStore(form.store, (s) => s.status);
  const error = useStore(form.store, (s) => s.error);
  const rejectedSubmits = useStore(form.store, (s) => s.rejectedSubmits);
  usePrefill(form);
  const idBase = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const sentRef = useRef<HTMLDivElement>(null);
  const wasSent = useRef(status === 'sent');
  const errorsRef = useRef(errors);
  errorsRef.current = errors;

  useEffect(() => {
    if (rejectedSubmits === 0) return;
    const first = FIELD_ORDER.find((field) => errorsRef.current[field] !== undefined);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [rejectedSubmits]);

  // The form the visitor was in is replaced by the confirmation: focus goes with it.
  useEffect(() => {
    if (status === 'sent' && !wasSent.current) sentRef.current?.focus();
    wasSent.current = status === 'sent';
  }, [status]);

  if (status === 'sent') {
    return (
      <div ref={sentRef} className="fc-leave-sent" role="status" tabIndex={-1}>
        <p>{strings.leaveMessageSent}</p>
        <button type="button" className="fc-button fc-button--secondary" onClick={() => form.writeAnother()}>
          {strings.leaveMessageAnother}
        </button>
      </div>
    );
  }

  const sending = status === 'sending';
  const titleId = `${idBase}-title`;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void form.submit();
  };
  const field = (name: LeaveMessageField, label: string, control: (props: FieldControlProps) => ReactElement) => {
    const id = `${idBase}-${name}`;
    const problem = errors[name];
    const errorId = problem ? `${id}-error` : undefined;
    return (
      <div className="fc-field">
        <div className="fc-label-row">
          <label htmlFor={id}>{label}</label>
          <span className="fc-required" aria-hidden="true">
            *
          </span>
        </div>
        {control({
          id,
          name,
          value: values[name],
          required: true,
          readOnly: sending,
          'aria-invalid': problem ? true : undefined,
          'aria-describedby': errorId,
          onChange: (event) => form.setValue(name, event.target.value),
        })}
        {problem ? (
          <p className="fc-field-error" id={errorId}>
            {fieldErrorText(name, problem, strings)}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form ref={formRef} className="fc-leave-form" aria-labelledby={titleId} noValidate onSubmit={onSubmit}>
      <h3 className="fc-leave-title" id={titleId}>
        {strings.leaveMessageTitle}
      </h3>
      <p className="fc-form-note">{strings.leaveMessageIntro}</p>
      <p className="fc-form-note">{strings.requiredNote}</p>
      {field('name', strings.leaveMessageName, (props) => <input type="text" autoComplete="name" {...props} />)}
      {field('email', strings.leaveMessageEmail, (props) => (
        <input type="email" autoComplete="email" inputMode="email" spellCheck={false} {...props} />
      ))}
      {field('message', strings.leaveMessageMessage, (props) => <textarea rows={4} {...props} />)}
      {error ? (
        <div className="fc-form-message fc-leave-error" role="alert">
          <p>{sendErrorText(error, strings)}</p>
          {error.retryable ? (
            <button type="button" className="fc-button fc-button--secondary" onClick={() => void form.submit()}>
              {strings.retryLabel}
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="fc-leave-progress" role="status">
        {sending ? strings.leaveMessageSending : null}
      </p>
      <button type="submit" className="fc-button fc-button--primary" aria-disabled={sending ? true : undefined}>
        {strings.leaveMessageSend}
      </button>
    </form>
  );
}

interface FieldControlProps {
  id: string;
  name: LeaveMessageField;
  value: string;
  required: boolean;
  readOnly: boolean;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  onChange: (event: { target: { value: string } }) => void;
}
