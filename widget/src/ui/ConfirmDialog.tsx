// A small modal dialog: focus moves in (to the safe choice), Tab stays inside,
// Esc cancels, and focus returns to the control that opened it. The rest of the
// widget is made inert by the caller while it is open.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { focusInitialControl } from './focus.ts';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Shown under the body, e.g. why the last attempt failed. */
  error?: string | null;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

const focusable = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({ title, body, confirmLabel, cancelLabel, error, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const doc = ref.current?.ownerDocument;
    const opener = doc?.activeElement as HTMLElement | null | undefined;
    cancelRef.current?.focus();
    return () => {
      // Back to where the visitor was; if that control is gone (the chat ended), to the view's main control.
      if (opener && opener.isConnected) opener.focus();
      else if (doc) focusInitialControl(doc);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(focusable));
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = ref.current.ownerDocument.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="fc-dialog-backdrop">
      <div
        ref={ref}
        className="fc-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="fc-dialog-title">
          {title}
        </h2>
        <p id={bodyId}>{body}</p>
        {error ? (
          <p className="fc-field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="fc-dialog-actions">
          <button ref={cancelRef} type="button" className="fc-button fc-button--secondary" onClick={onCancel}>
            {cancelLabel}
          </button>
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to <body>, where Esc and Tab no longer reach the dialog. */}
          <button
            type="button"
            className="fc-button fc-button--danger"
            onClick={() => {
              if (!busy) onConfirm();
            }}
            aria-disabled={busy || undefined}
            aria-busy={busy || undefined}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
