import { describe, expect, it } from 'vitest';
import { contrastRatio, darkSurfaces, lightSurfaces, parseHex, themeColors, themeStyle } from './theme.ts';

describe('contrastRatio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('parses short and long hex', () => {
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('#0b57d0')).toEqual([11, 87, 208]);
    expect(parseHex('red')).toBeNull();
  });
});

describe('themeColors', () => {
  it.each(['#0b57d0', '#ffcc00', '#808080', '#00ff00', '#000000', '#ffffff', '#e91e63', '#3a3', undefined])(
    'primary %s: every colour pairing reaches 4.5:1',
    (primary) => {
      const colors = themeColors(primary);
      expect(contrastRatio(colors.primary, colors.onPrimary)).toBeGreaterThanOrEqual(4.5);
      for (const surface of lightSurfaces) expect(contrastRatio(colors.accentOnLight, surface)).toBeGreaterThanOrEqual(4.5);
      for (const surface of darkSurfaces) expect(contrastRatio(colors.accentOnDark, surface)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('keeps a colour that already passes', () => {
    expect(themeColors('#0b57d0')).toMatchObject({ primary: '#0b57d0', onPrimary: '#ffffff', accentOnLight: '#0b57d0' });
  });

  it('exposes the colours as CSS custom properties', () => {
    expect(themeStyle({ primaryColor: '#0b57d0' })).toMatchObject({ '--fc-primary': '#0b57d0', '--fc-on-primary': '#ffffff' });
  });
});
