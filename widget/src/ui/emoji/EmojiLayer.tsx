// The emoji chunk's entry (loaded by composer-emoji.tsx on the first ":" or the
// emoji button): `:shortcode:` completion on the composer's textarea, the picker,
// and a live region that says what went into the message.
//
// Completion follows the textbox-with-listbox pattern GitHub's comment fields use:
// the textarea keeps focus and its role (a textarea may not be a combobox), and
// points at the active suggestion with aria-activedescendant. Up/Down choose,
// Enter or Tab insert, Escape dismisses (until the next shortcode); a complete,
// known `:name:` typed becomes its emoji at once.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { format } from '../../strings.ts';
import { useController, useSession } from '../session-context.ts';
import { labelOf, type Emoji } from './emoji-data.ts';
import { EmojiPicker } from './EmojiPicker.tsx';
import { completeShortcodeAt, searchEmoji, shortcodeQueryAt, type Match } from './search.ts';
import { emojiTexts } from './texts.ts';
import type { EmojiLayerProps } from './types.ts';
import './emoji.css';

/** Suggestions shown at most. */
export const MAX_SUGGESTIONS = 8;

interface Completion {
  /** Where the ":" is. */
  start: number;
  matches: Match[];
  active: number;
}

export function EmojiLayer({ input, toggle, pickerOpen, onClosePicker, handlers }: EmojiLayerProps) {
  const controller = useController();
  const texts = emojiTexts(useSession((s) => s.locale));
  const rtl = useSession((s) => s.dir) === 'rtl';
  const [said, setSaid] = useState('');
  const [completion, setCompletion] = useState<Completion | null>(null);
  /** The ":" whose suggestions the visitor dismissed with Escape. */
  const dismissed = useRef<number | null>(null);
  const lastValue = useRef<string | null>(null);
  const listId = useId();

  // A live region announces a change of its text: the same text twice gets a different ending.
  const say = (text: string) => setSaid((before) => (before === text ? `${text}\u00a0` : text));

  /** Replaces [from, to) of the message with `text`, caret after it, and says so. */
  const put = (from: number, to: number, text: string, emoji: Emoji) => {
    const el = input.current;
    if (!el) return;
    const next = el.value.slice(0, from) + text + el.value.slice(to);
    // The DOM first, so React finds it already right and the caret stays where it is put.
    el.value = next;
    lastValue.current = next;
    el.focus();
    el.setSelectionRange(from + text.length, from + text.length);
    controller.setDraft(next);
    setCompletion(null);
    say(format(texts.inserted, { name: labelOf(emoji) }));
  };

  const update = () => {
    const el = input.current;
    if (!el) return;
    const { value, selectionStart: caret, selectionEnd } = el;
    const grew = lastValue.current !== null && value.length > lastValue.current.length;
    lastValue.current = value;
    if (caret !== selectionEnd) return setCompletion(null);
    const done = grew && value[caret - 1] === ':' ? completeShortcodeAt(value, caret) : null;
    if (done) return put(done.caret - done.emoji.char.length, caret, done.emoji.char, done.emoji);
    const query = shortcodeQueryAt(value, caret);
    if (!query || dismissed.current === query.start) return setCompletion(null);
    dismissed.current = null;
    const matches = searchEmoji(query.query, MAX_SUGGESTIONS);
    if (matches.length === 0) return setCompletion(null);
    setCompletion((before) => {
      if (before?.matches.length !== matches.length) say(format(texts.suggestionsHint, { count: matches.length }));
      return { start: query.start, matches, active: 0 };
    });
  };

  const pick = (c: Completion, index: number) => {
    const el = input.current;
    const match = c.matches[index];
    if (el && match) put(c.start, el.selectionStart, match.emoji.char, match.emoji);
  };

  useLayoutEffect(() => {
    handlers.current = {
      keyDown(event) {
        if (!completion || event.nativeEvent.isComposing) return false;
        const count = completion.matches.length;
        const move = (by: number) => setCompletion({ ...completion, active: (completion.active + by + count) % count });
        if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) pick(completion, completion.active);
        else if (event.key === 'Escape') {
          dismissed.current = completion.start;
          setCompletion(null);
        } else return false;
        event.preventDefault();
        return true;
      },
      input: update,
    };
  });
  useEffect(
    () => () => {
      handlers.current = null;
    },
    [handlers],
  );

  // Loaded by a ":" already typed: suggest for it at once.
  useEffect(() => {
    if (input.current && input.current === input.current.ownerDocument.activeElement) update();
  }, []);

  // The textarea points at the list while it is open (in the commit that shows the list, so
  // the two never disagree); leaving it or moving the caret closes the list.
  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.setAttribute('aria-autocomplete', 'list');
    if (completion) {
      el.setAttribute('aria-controls', listId);
      el.setAttribute('aria-activedescendant', `${listId}-${completion.active}`);
    } else {
      el.removeAttribute('aria-controls');
      el.removeAttribute('aria-activedescendant');
    }
    const close = () => setCompletion(null);
    const caretMoved = (event: Event) => {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes((event as KeyboardEvent).key)) close();
    };
    el.addEventListener('blur', close);
    el.addEventListener('keydown', caretMoved);
    el.addEventListener('pointerdown', close);
    return () => {
      el.removeEventListener('blur', close);
      el.removeEventListener('keydown', caretMoved);
      el.removeEventListener('pointerdown', close);
    };
  }, [completion, input, listId]);
  useEffect(() => () => input.current?.removeAttribute('aria-autocomplete'), [input]);

  return (
    <>
      <p className="fc-sr-only" role="status">
        {said}
      </p>
      {completion ? (
        <ul className="fc-emoji-suggestions" role="listbox" id={listId} aria-label={texts.suggestions}>
          {completion.matches.map((match, i) => (
            <li
              key={match.emoji.char}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === completion.active}
              className="fc-emoji-suggestion"
              // Keeps focus (and the caret) in the textarea.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(completion, i)}
            >
              <span aria-hidden="true">{match.emoji.char}</span> :{match.name}:
            </li>
          ))}
        </ul>
      ) : null}
      {pickerOpen ? (
        <EmojiPicker
          texts={texts}
          rtl={rtl}
          toggle={toggle}
          onPick={(emoji) => {
            const el = input.current;
            onClosePicker();
            if (el) put(el.selectionStart, el.selectionEnd, emoji.char, emoji);
          }}
          onClose={(refocus) => {
            onClosePicker();
            if (refocus) input.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}
