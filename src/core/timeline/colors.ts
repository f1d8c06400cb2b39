/**
 * Tick types and their colours: one hue per event type (hashed, kept away from the accent), fixed
 * colours for comments, retries, fields and warnings, and the contrast checks that keep every
 * colour readable on the lane background in both themes.
 */
import type { SseItem } from '../sse-types';
import type { TimelineTheme } from './types';

/**
 * Items that are not events get a key an event type cannot collide with in practice (a NUL
 * prefix), so "comment" the event type and a comment line stay apart.
 */
export const NON_EVENT_KEYS = {
  comment: '\u0000comment',
  retry: '\u0000retry',
  field: '\u0000field',
  warning: '\u0000warning',
} as const satisfies Record<Exclude<SseItem['kind'], 'event'>, string>;

/** What colours an item's tick: the event type, or a reserved key for the other kinds. */
export function tickType(item: SseItem): string {
  return item.kind === 'event' ? item.type : NON_EVENT_KEYS[item.kind];
}

/** The kind behind a reserved key, or null for an event type. */
export function nonEventKind(key: string): Exclude<SseItem['kind'], 'event'> | null {
  switch (key) {
    case NON_EVENT_KEYS.comment:
      return 'comment';
    case NON_EVENT_KEYS.retry:
      return 'retry';
    case NON_EVENT_KEYS.field:
      return 'field';
    case NON_EVENT_KEYS.warning:
      return 'warning';
    default:
      return null;
  }
}

/** The panel's --accent in each theme: 'message' (the default type) is drawn in it. */
export const ACCENT = { light: '#1a73e8', dark: '#8ab4f8' } as const;
/** The backgrounds type colours are checked against. */
export const LANE_BACKGROUND = { light: '#ffffff', dark: '#202124' } as const;
/** Minimum contrast of a hashed type colour against the lane background. */
export const TYPE_COLOR_CONTRAST = 4;

// A Map, not an object: a type named "constructor" must not find Object.prototype's.
const FIXED_COLORS = new Map<string, Record<TimelineTheme, string>>([
  ['message', ACCENT],
  [NON_EVENT_KEYS.comment, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.retry, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.field, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.warning, { light: '#b06000', dark: '#fdd663' }],
]);

/** Hues within this many degrees of the accent's are skipped, so no type looks like 'message'. */
const ACCENT_HUE = 214;
const ACCENT_HUE_BAND = 25;
const colorCache = new Map<string, string>();

/** 32-bit FNV-1a of the string's UTF-16 code units. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The hue (degrees) a type hashes to, outside the accent's band. */
export function typeHue(type: string): number {
  const hue = hashString(type) % (360 - 2 * ACCENT_HUE_BAND);
  return hue >= ACCENT_HUE - ACCENT_HUE_BAND ? hue + 2 * ACCENT_HUE_BAND : hue;
}

/**
 * A stable colour ('#rrggbb') for an event type: 'message' gets the accent colour, the other
 * kinds fixed greys (warnings amber), and any other type a hue hashed from its name, with the
 * lightness chosen so it stands out from the lane background by at least TYPE_COLOR_CONTRAST.
 */
export function typeColor(type: string, theme: TimelineTheme = 'light'): string {
  const fixed = FIXED_COLORS.get(type);
  if (fixed !== undefined) return fixed[theme];
  const cacheKey = `${theme}\u0000${type}`;
  const cached = colorCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const hue = typeHue(type);
  const background = LANE_BACKGROUND[theme];
  // Light: darken from 45 %; dark: lighten from 62 %, until the contrast is reached.
  let lightness = theme === 'light' ? 45 : 62;
  let color = hslToHex(hue, 75, lightness);
  while (contrastRatio(color, background) < TYPE_COLOR_CONTRAST && lightness > 5 && lightness < 95) {
    lightness += theme === 'light' ? -1 : 1;
    color = hslToHex(hue, 75, lightness);
  }
  if (colorCache.size > 4096) colorCache.clear();
  colorCache.set(cacheKey, color);
  return color;
}

export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** WCAG relative luminance of '#rrggbb'. */
export function relativeLuminance(hex: string): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear((value >> 16) & 255) + 0.7152 * linear((value >> 8) & 255) + 0.0722 * linear(value & 255);
}

/** WCAG contrast ratio of two '#rrggbb' colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
