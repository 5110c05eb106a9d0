// Arrow-key moves in the picker's grid (a layout grid with one tab stop, WAI-ARIA
// APG): Left/Right go to the previous/next emoji (mirrored right to left), Up/Down
// a row, Home/End the row's ends, Ctrl+Home/End the first and last emoji.
export const COLUMNS = 8;

export interface GridMove {
  key: string;
  ctrl: boolean;
  rtl: boolean;
}

/** The index focus moves to from `index` in `count` cells, or null when the key is not a move. */
export function gridTarget({ key, ctrl, rtl }: GridMove, index: number, count: number, columns = COLUMNS): number | null {
  const last = count - 1;
  const rowStart = index - (index % columns);
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowRight':
      return clamp(index + (rtl ? -1 : 1));
    case 'ArrowLeft':
      return clamp(index + (rtl ? 1 : -1));
    case 'ArrowDown':
      // From a column the short last row lacks: its last emoji.
      return rowStart + columns <= last ? clamp(index + columns) : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return ctrl ? 0 : rowStart;
    case 'End':
      return ctrl ? last : clamp(rowStart + columns - 1);
    default:
      return null;
  }
}

/** The tab a key moves to in a row of `count` tabs (wrapping), or null. */
export function tabTarget(key: string, rtl: boolean, index: number, count: number): number | null {
  const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
  if (step !== 0) return (index + (rtl ? -step : step) + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}
