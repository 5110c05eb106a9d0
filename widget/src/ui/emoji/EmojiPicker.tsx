// The emoji picker: a non-modal dialog over the composer with a search field,
// category tabs and a grid of emoji (WAI-ARIA APG tabs and layout grid, each one
// tab stop with arrow keys inside). Enter, Space or a click inserts; Escape closes;
// focus leaving it closes it. The composer gets focus back (EmojiLayer.tsx).
import { useId, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import { format } from '../../strings.ts';
import { CATEGORY_IDS, emojiIn, labelOf, type CategoryId, type Emoji } from './emoji-data.ts';
import { COLUMNS, gridTarget, tabTarget } from './grid-keys.ts';
import { normalizeQuery, searchEmoji } from './search.ts';
import type { EmojiTexts } from './texts.ts';

export interface EmojiPickerProps {
  texts: EmojiTexts;
  rtl: boolean;
  /** The button that opened it: focus moving there is no reason to close (its click toggles). */
  toggle: RefObject<HTMLButtonElement | null>;
  onPick(emoji: Emoji): void;
  /** `refocus`: give the composer focus back (not when the visitor moved focus elsewhere). */
  onClose(refocus: boolean): void;
}

function rows<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += COLUMNS) out.push(items.slice(i, i + COLUMNS));
  return out;
}

export function EmojiPicker({ texts, rtl, toggle, onPick, onClose }: EmojiPickerProps) {
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<CategoryId>('smileys');
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const tabs = useRef<HTMLDivElement>(null);
  const id = useId();

  useLayoutEffect(() => search.current?.focus(), []);

  const searching = normalizeQuery(query) !== '';
  const list = searching ? searchEmoji(query).map((m) => m.emoji) : emojiIn(category);
  const current = Math.min(active, Math.max(0, list.length - 1));

  const focusCell = (index: number) => {
    setActive(index);
    grid.current?.querySelectorAll('button')[index]?.focus();
  };

  const onGridKey = (event: KeyboardEvent) => {
    const target = gridTarget({ key: event.key, ctrl: event.ctrlKey || event.metaKey, rtl }, current, list.length);
    if (target === null) return;
    event.preventDefault();
    focusCell(target);
  };

  const onTabKey = (event: KeyboardEvent) => {
    const target = tabTarget(event.key, rtl, CATEGORY_IDS.indexOf(category), CATEGORY_IDS.length);
    if (target === null) return;
    event.preventDefault();
    setCategory(CATEGORY_IDS[target]!);
    setActive(0);
    tabs.current?.querySelectorAll('button')[target]?.focus();
  };

  const onSearchKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && list.length > 0) {
      event.preventDefault();
      focusCell(current);
    } else if (event.key === 'Enter') {
      event.preventDefault(); // never submits the composer's form
      if (searching && list[0]) onPick(list[0]);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // the widget's own Esc (close the panel) waits
    onClose(true);
  };

  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    const next = event.relatedTarget as Node | null;
    if (next && (event.currentTarget.contains(next) || next === toggle.current)) return;
    if (!next && !event.currentTarget.ownerDocument.hasFocus()) return; // another window: kept open
    onClose(false);
  };

  const gridName = searching ? texts.results : texts.category[category];
  const cells = (
    <div role="grid" className="fc-emoji-grid" aria-label={gridName} ref={grid} onKeyDown={onGridKey}>
      {rows(list).map((row, r) => (
        <div role="row" key={r}>
          {row.map((emoji, c) => {
            const index = r * COLUMNS + c;
            return (
              <div role="gridcell" key={emoji.char}>
                <button
                  type="button"
                  className="fc-emoji-cell"
                  tabIndex={index === current ? 0 : -1}
                  aria-label={labelOf(emoji)}
                  onFocus={() => setActive(index)}
                  onClick={() => onPick(emoji)}
                >
                  {emoji.char}
                </button>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );

  return (
    <div role="dialog" className="fc-emoji-picker" aria-label={texts.picker} onKeyDown={onKeyDown} onBlur={onBlur}>
      <input
        ref={search}
        type="search"
        className="fc-emoji-search"
        aria-label={texts.search}
        placeholder={texts.search}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onSearchKey}
      />
      <p role="status" className="fc-emoji-status">
        {searching ? (list.length ? format(texts.found, { count: list.length }) : texts.noResults) : ''}
      </p>
      {searching ? (
        cells
      ) : (
        <>
          <div role="tablist" className="fc-emoji-tabs" aria-label={texts.categories} ref={tabs} onKeyDown={onTabKey}>
            {CATEGORY_IDS.map((cat) => (
              <button
                key={cat}
                type="button"
                role="tab"
                id={`${id}-tab-${cat}`}
                aria-controls={`${id}-panel`}
                aria-selected={cat === category}
                aria-label={texts.category[cat]}
                title={texts.category[cat]}
                tabIndex={cat === category ? 0 : -1}
                className="fc-emoji-tab"
                onClick={() => {
                  setCategory(cat);
                  setActive(0);
                }}
              >
                <span aria-hidden="true">{emojiIn(cat)[0]!.char}</span>
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${id}-panel`} className="fc-emoji-panel" aria-labelledby={`${id}-tab-${category}`}>
            {cells}
          </div>
        </>
      )}
    </div>
  );
}
