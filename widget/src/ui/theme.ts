// Theme colours from config, adjusted so text on them meets WCAG 2.2 AA (4.5:1).
import type { ThemeConfig } from '../../../config/types.ts';

export const defaultPrimary = '#0b57d0';
// The harder of each scheme's two backgrounds (page and agent bubble, see styles.css).
export const lightSurfaces = ['#ffffff', '#eef0f3'] as const;
export const darkSurfaces = ['#1b1b1f', '#2b2d31'] as const;
const darkText = '#1b1b1f';
const lightText = '#ffffff';
const minContrast = 4.5;

type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) return null;
  let digits = match[1]!;
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join('');
  const n = Number.parseInt(digits, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(rgb: Rgb): number {
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

export function contrastRatio(a: string, b: string): number {
  const ra = parseHex(a);
  const rb = parseHex(b);
  if (!ra || !rb) return 1;
  const la = relativeLuminance(ra);
  const lb = relativeLuminance(rb);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Mixes `color` towards `target` in small steps until it reaches `ratio` against every colour of `against`. */
function adjustUntil(color: string, target: string, against: readonly string[], ratio: number): string {
  const from = parseHex(color) ?? parseHex(defaultPrimary)!;
  const to = parseHex(target)!;
  for (let step = 0; step <= 40; step++) {
    const t = step / 40;
    const mixed = toHex([0, 1, 2].map((i) => from[i]! + (to[i]! - from[i]!) * t) as Rgb);
    if (against.every((bg) => contrastRatio(mixed, bg) >= ratio)) return mixed;
  }
  return target;
}

/** The better of near-black and white on `background`. */
export function textColorOn(background: string): string {
  return contrastRatio(background, lightText) >= contrastRatio(background, darkText) ? lightText : darkText;
}

export interface ThemeColors {
  /** Fill of primary buttons and visitor bubbles. */
  primary: string;
  /** Text on `primary`. */
  onPrimary: string;
  /** Primary used as text/outline on the light surfaces. */
  accentOnLight: string;
  /** Primary used as text/outline on the dark surfaces. */
  accentOnDark: string;
}

export function themeColors(primaryColor: string | undefined): ThemeColors {
  const requested = primaryColor && parseHex(primaryColor) ? toHex(parseHex(primaryColor)!) : defaultPrimary;
  let primary = requested;
  let onPrimary = textColorOn(primary);
  if (contrastRatio(primary, onPrimary) < minContrast) {
    // Mid-tone colours pass with neither text colour: darken until white text does.
    primary = adjustUntil(primary, '#000000', [lightText], minContrast);
    onPrimary = lightText;
  }
  return {
    primary,
    onPrimary,
    accentOnLight: adjustUntil(requested, '#000000', lightSurfaces, minContrast),
    accentOnDark: adjustUntil(requested, '#ffffff', darkSurfaces, minContrast),
  };
}

export type ColorScheme = 'light' | 'dark' | 'auto';

/** CSS custom properties for the app root. */
export function themeStyle(theme: ThemeConfig | undefined): Record<string, string> {
  const colors = themeColors(theme?.primaryColor);
  return {
    '--fc-primary': colors.primary,
    '--fc-on-primary': colors.onPrimary,
    '--fc-accent-light': colors.accentOnLight,
    '--fc-accent-dark': colors.accentOnDark,
  };
}

export function colorScheme(theme: ThemeConfig | undefined): ColorScheme {
  return theme?.mode ?? 'light';
}
