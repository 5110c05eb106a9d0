// The composer's part of the emoji feature (composer.emoji, on by default): the
// emoji button, and hooks the composer calls on keys and text changes. Everything
// else (the picker, completion, the emoji themselves, their texts) is the emoji
// chunk (EmojiLayer.tsx), loaded on the button's first press or the first ":" typed.
import { useRef, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react';
import { lazyView } from '../lazy-view.tsx';
import { useSession } from '../session-context.ts';
import { emojiButtonLabel } from './button-label.ts';
import type { EmojiHandlers, EmojiLayerProps } from './types.ts';

const EmojiLayer = lazyView<EmojiLayerProps>(() => import('./EmojiLayer.tsx').then((m) => m.EmojiLayer));

export interface ComposerEmoji {
  /** The emoji button (null when composer.emoji is off). */
  button: ReactElement | null;
  /** The picker and the suggestions, once wanted. */
  layer: ReactElement | null;
  /** To call first on a key in the textarea: true when it was used. */
  keyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** To call when the textarea's text changed. */
  changed(value: string): void;
}

export function useComposerEmoji(input: RefObject<HTMLTextAreaElement | null>): ComposerEmoji {
  const enabled = useSession((s) => s.config.composer?.emoji !== false);
  const label = emojiButtonLabel(useSession((s) => s.locale));
  const [wanted, setWanted] = useState(false);
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const handlers = useRef<EmojiHandlers | null>(null);
  if (!enabled) return { button: null, layer: null, keyDown: () => false, changed: () => undefined };
  return {
    button: (
      <button
        ref={toggle}
        type="button"
        className="fc-icon-button fc-emoji-button"
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          setWanted(true);
          setOpen(!open);
        }}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <circle cx="12" cy="12" r="9" />
          <path d="M8 14.5a4.5 4.5 0 008 0M9 9.5v.5M15 9.5v.5" />
        </svg>
      </button>
    ),
    layer: wanted ? <EmojiLayer input={input} toggle={toggle} pickerOpen={open} onClosePicker={() => setOpen(false)} handlers={handlers} /> : null,
    keyDown: (event) => handlers.current?.keyDown(event) ?? false,
    changed: (value) => {
      if (value.includes(':')) setWanted(true);
      handlers.current?.input();
    },
  };
}
