// The static controls for visitor-facing texts, which are kept per language: each
// shows the language being edited, and all are shown again when that language or
// the working copy changes (settings-controls.ts, survey-controls.ts).
import type { LocalizedText } from '../../../config/types.ts';
import { changed } from './check-preview.ts';
import { $, edited, showLocalized } from './state.ts';

const refreshes: Array<() => void> = [];

/** Adds a control's way of showing its text in the language being edited. */
export function onShowTexts(refresh: () => void): void {
  refreshes.push(refresh);
}

/** Shows every text control in the language being edited. */
export function showTexts(): void {
  for (const refresh of refreshes) refresh();
}

/** A static control for a visitor-facing text (a LocalizedText in the config), kept per language. */
export function bindLocalized(id: string, get: () => LocalizedText | undefined, set: (value: LocalizedText | undefined) => void): void {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(id);
  onShowTexts(() => showLocalized(input, get()));
  input.addEventListener('input', () => {
    set(edited(get(), input.value));
    changed();
  });
}
