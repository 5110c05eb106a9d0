import { describe, expect, it } from 'vitest';
import { gridTarget, tabTarget } from './grid-keys.ts';

const move = (key: string, index: number, count = 20, opts: { ctrl?: boolean; rtl?: boolean } = {}) =>
  gridTarget({ key, ctrl: opts.ctrl ?? false, rtl: opts.rtl ?? false }, index, count, 8);

describe('gridTarget (8 columns)', () => {
  it('moves one cell left and right, mirrored right to left, never past the ends', () => {
    expect(move('ArrowRight', 3)).toBe(4);
    expect(move('ArrowLeft', 3)).toBe(2);
    expect(move('ArrowRight', 3, 20, { rtl: true })).toBe(2);
    expect(move('ArrowLeft', 3, 20, { rtl: true })).toBe(4);
    expect(move('ArrowLeft', 0)).toBe(0);
    expect(move('ArrowRight', 19)).toBe(19);
    expect(move('ArrowRight', 7)).toBe(8); // on to the next row
  });

  it('moves a row up and down; into a short last row, to its last cell', () => {
    expect(move('ArrowDown', 2)).toBe(10);
    expect(move('ArrowUp', 10)).toBe(2);
    expect(move('ArrowUp', 2)).toBe(2);
    expect(move('ArrowDown', 14)).toBe(19); // row 3 has cells 16..19
    expect(move('ArrowDown', 17)).toBe(17); // already in the last row
  });

  it('Home and End go to the row ends; with Ctrl to the first and last cell', () => {
    expect(move('Home', 11)).toBe(8);
    expect(move('End', 11)).toBe(15);
    expect(move('End', 17)).toBe(19);
    expect(move('Home', 11, 20, { ctrl: true })).toBe(0);
    expect(move('End', 3, 20, { ctrl: true })).toBe(19);
  });

  it('is null for keys that are no move', () => {
    expect(move('Enter', 3)).toBeNull();
    expect(move('a', 3)).toBeNull();
  });
});

describe('tabTarget', () => {
  it('wraps with the arrows (mirrored right to left), Home and End go to the ends', () => {
    expect(tabTarget('ArrowRight', false, 7, 8)).toBe(0);
    expect(tabTarget('ArrowLeft', false, 0, 8)).toBe(7);
    expect(tabTarget('ArrowRight', true, 0, 8)).toBe(7);
    expect(tabTarget('Home', false, 5, 8)).toBe(0);
    expect(tabTarget('End', false, 5, 8)).toBe(7);
    expect(tabTarget('ArrowDown', false, 5, 8)).toBeNull();
  });
});
