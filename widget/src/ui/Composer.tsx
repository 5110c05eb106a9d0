// The message composer: Enter sends, Shift+Enter starts a new line.
import { useId, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useTakeOverLostFocus } from './focus.ts';
import { useController, useSession } from './session-context.ts';

export function Composer() {
  const controller = useController();
  const { strings } = controller;
  const draft = useSession((s) => s.draft);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useTakeOverLostFocus(inputRef);

  const send = () => {
    void controller.send();
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Not while an IME composition is being confirmed with Enter.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  return (
    <form className="fc-composer" onSubmit={onSubmit}>
      <label htmlFor={id} className="fc-sr-only">
        {strings.messageLabel}
      </label>
      <textarea
        ref={inputRef}
        id={id}
        className="fc-composer-input"
        rows={1}
        value={draft}
        placeholder={strings.composerPlaceholder}
        data-autofocus=""
        onChange={(event) => {
          controller.setDraft(event.target.value);
          if (event.target.value.trim() !== '') controller.notifyTyping();
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="fc-button fc-button--primary fc-send">
        {strings.sendLabel}
      </button>
    </form>
  );
}
