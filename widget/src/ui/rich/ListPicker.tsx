// twilio/list-picker: a button that opens a list of choices (WAI-ARIA listbox
// with a menu button: Enter, Space or the arrows open it; the arrows, Home and
// End move; Enter or Space picks; Escape closes; focus returns to the button).
// The chosen item's title is sent as the visitor's message.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { RichListItem } from '../../../../contracts/rich-content.ts';

export interface ListPickerProps {
  button: string;
  items: readonly RichListItem[];
  locked: boolean;
  onPick: (item: RichListItem) => void;
}

export function ListPicker({ button, items, locked, onPick }: ListPickerProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const last = items.length - 1;

  useEffect(() => {
    if (!open) return;
    listRef.current?.focus();
    listRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [open]);

  const show = (at: number) => {
    if (locked) return;
    setActive(at);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const pick = (at: number) => {
    const item = items[at];
    close();
    if (item && !locked) onPick(item);
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 0 : last);
    }
  };

  const onListKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: Math.min(active + 1, last), ArrowUp: Math.max(active - 1, 0), Home: 0, End: last };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      setActive(move);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // Escape closes the list, not the widget
      close();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className="fc-rich-list">
      <button
        ref={buttonRef}
        type="button"
        id={`${id}-b`}
        className="fc-rich-reply fc-rich-list-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${id}-l` : undefined}
        aria-disabled={locked || undefined}
        onClick={() => (open ? close() : show(0))}
        onKeyDown={onButtonKey}
      >
        {button}
        <span aria-hidden="true" className="fc-rich-caret">
          ▾
        </span>
      </button>
      {open ? (
        <ul
          ref={listRef}
          id={`${id}-l`}
          role="listbox"
          tabIndex={-1}
          className="fc-rich-options"
          aria-labelledby={`${id}-b`}
          aria-activedescendant={`${id}-o${active}`}
          onKeyDown={onListKey}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null) && event.relatedTarget !== buttonRef.current) setOpen(false);
          }}
        >
          {items.map((item, i) => (
            <li
              key={i}
              id={`${id}-o${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'fc-rich-option fc-rich-option--active' : 'fc-rich-option'}
              onMouseMove={() => setActive(i)}
              onClick={() => pick(i)}
            >
              <span className="fc-rich-option-title">{item.item}</span>
              {item.description !== null ? <span className="fc-rich-option-description">{item.description}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
