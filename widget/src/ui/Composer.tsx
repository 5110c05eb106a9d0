// The message composer: Enter sends, Shift+Enter starts a new line. Files come
// from the picker, a paste, or a drop anywhere on the conversation (see
// useFileDrop); they are checked against the attachment policy at once.
import { useId, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { acceptAttribute, formatBytes } from '../session/attachments.ts';
import { format } from '../strings.ts';
import { useComposerEmoji } from './emoji/composer-emoji.tsx';
import { useTakeOverLostFocus } from './focus.ts';
import { useController, useSession, useStrings } from './session-context.ts';

function filesOf(list: FileList | null | undefined): File[] {
  return list ? Array.from(list) : [];
}

/** Drag-and-drop of files onto an area; returns the handlers and whether a drag is over it. */
export function useFileDrop(onFiles: (files: File[]) => void, enabled: boolean) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  return {
    over: over && enabled,
    handlers: enabled
      ? {
          onDragEnter: (event: DragEvent) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            depth.current++;
            setOver(true);
          },
          onDragOver: (event: DragEvent) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
          },
          onDragLeave: () => {
            depth.current = Math.max(0, depth.current - 1);
            if (depth.current === 0) setOver(false);
          },
          onDrop: (event: DragEvent) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            depth.current = 0;
            setOver(false);
            onFiles(filesOf(event.dataTransfer?.files));
          },
        }
      : {},
  };
}

function DraftAttachments() {
  const controller = useController();
  const strings = useStrings();
  const drafts = useSession((s) => s.draftAttachments);
  const locale = useSession((s) => s.locale);
  if (drafts.length === 0) return null;
  return (
    <ul className="fc-drafts">
      {drafts.map((draft) => (
        <li key={draft.id} className="fc-draft">
          {draft.previewUrl ? <img className="fc-draft-preview" src={draft.previewUrl} alt="" /> : null}
          <span className="fc-draft-name">{draft.filename}</span>
          <span className="fc-attachment-size">{formatBytes(draft.size, locale)}</span>
          <button
            type="button"
            className="fc-icon-button fc-icon-button--small"
            aria-label={format(strings.removeAttachment, { name: draft.filename })}
            onClick={() => controller.removeDraftAttachment(draft.id)}
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
            </svg>
          </button>
        </li>
      ))}
    </ul>
  );
}

function AttachmentErrors() {
  const errors = useSession((s) => s.attachmentErrors);
  if (errors.length === 0) return null;
  // Inserted as an alert: announced at once.
  return (
    <div className="fc-attachment-errors" role="alert">
      {errors.map((error, i) => (
        <p key={i} className="fc-field-error">
          {error}
        </p>
      ))}
    </div>
  );
}

export function Composer() {
  const controller = useController();
  const strings = useStrings();
  const policy = useSession((s) => s.options.attachments);
  const draft = useSession((s) => s.draft);
  const hasFiles = useSession((s) => s.draftAttachments.length > 0);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const id = useId();
  useTakeOverLostFocus(inputRef);
  const emoji = useComposerEmoji(inputRef);

  const maxLength = useSession((s) => s.options.maxMessageLength);
  const length = draft.trim().length;
  const tooLong = length > maxLength;
  // The count shows from 90 % of the limit; past it, an alert says why Send does nothing.
  const nearLimit = length >= Math.floor(maxLength * 0.9);
  const limitId = `${id}-limit`;

  const send = () => {
    void controller.send();
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (emoji.keyDown(event)) return; // an emoji suggestion took it
    // Not while an IME composition is being confirmed with Enter.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = filesOf(event.clipboardData?.files);
    if (files.length === 0 || !policy.enabled) return; // plain text pastes as usual
    event.preventDefault();
    controller.addFiles(files);
  };

  return (
    <form className="fc-composer" onSubmit={onSubmit}>
      <AttachmentErrors />
      <DraftAttachments />
      <div className="fc-composer-row">
        {policy.enabled ? (
          <>
            <input
              ref={fileRef}
              type="file"
              className="fc-sr-only"
              tabIndex={-1}
              aria-hidden="true"
              accept={acceptAttribute(policy)}
              multiple={policy.maxFiles > 1}
              onChange={(event) => {
                controller.addFiles(filesOf(event.target.files));
                event.target.value = ''; // the same file can be chosen again
                inputRef.current?.focus();
              }}
            />
            <button type="button" className="fc-icon-button fc-attach" aria-label={strings.attach} onClick={() => fileRef.current?.click()}>
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                <path
                  d="M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.9-8.9a3.7 3.7 0 015.2 5.2l-8.9 8.9a1.8 1.8 0 01-2.6-2.6l8.2-8.2"
                  stroke="currentColor"
                  strokeWidth="1.8"
                  strokeLinecap="round"
                  fill="none"
                />
              </svg>
            </button>
          </>
        ) : null}
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
            emoji.changed(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          aria-invalid={tooLong || undefined}
          aria-describedby={nearLimit ? limitId : undefined}
        />
        {emoji.button}
        <button
          type="submit"
          className="fc-button fc-button--primary fc-send"
          aria-disabled={(length === 0 && !hasFiles) || tooLong ? true : undefined}
        >
          {strings.sendLabel}
        </button>
      </div>
      {emoji.layer}
      {/* The alert's text does not change while typing, so it is announced once; the count is read with the field. */}
      {tooLong ? (
        <p className="fc-field-error fc-composer-limit" role="alert">
          {format(strings.messageTooLong, { max: maxLength })}
        </p>
      ) : null}
      {nearLimit ? (
        <p id={limitId} className={tooLong ? 'fc-field-error fc-composer-limit' : 'fc-composer-limit'}>
          {tooLong ? format(strings.charactersOver, { count: length - maxLength }) : format(strings.charactersLeft, { count: maxLength - length })}
        </p>
      ) : null}
    </form>
  );
}
