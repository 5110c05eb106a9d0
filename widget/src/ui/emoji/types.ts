// What the composer (chat view chunk) and the emoji chunk share: types only, so the
// composer never imports the emoji chunk's code.
import type { KeyboardEvent, RefObject } from 'react';

/** The emoji chunk's hooks into the composer's textarea. */
export interface EmojiHandlers {
  /** A key in the textarea; true when completion used it (then the composer ignores it). */
  keyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** The textarea's text changed (typing, paste, a cut). */
  input(): void;
}

export interface EmojiLayerProps {
  input: RefObject<HTMLTextAreaElement | null>;
  /** The composer's emoji button, which toggles the picker. */
  toggle: RefObject<HTMLButtonElement | null>;
  pickerOpen: boolean;
  onClosePicker(): void;
  /** Filled in by the emoji chunk while it is mounted. */
  handlers: { current: EmojiHandlers | null };
}
