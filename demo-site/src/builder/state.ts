// The builder's working copy of the config, the language being edited, and DOM helpers.
import { localize, ownValue, setLocalized } from '../../../config/localized.ts';
import type { DeploymentConfig, LocalizedText } from '../../../config/types.ts';
import { clone, linksOf } from './model.ts';

type ChatWindow = Window & { FlexChat?: (command: string, ...args: unknown[]) => void };
export const flexChat = (command: string, ...args: unknown[]) => (window as ChatWindow).FlexChat?.(command, ...args);

export const DRAFT_KEY = 'flexchat-demo:builder-draft';
export const deployed = clone(__FLEXCHAT_DEPLOYMENT__);

function loadDraft(): DeploymentConfig {
  try {
    const draft = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as DeploymentConfig | null;
    if (draft && Array.isArray(draft.preEngagement?.fields)) return draft;
  } catch {
    // a broken draft: start from the deployed config
  }
  return clone(deployed);
}

export let config = loadDraft();
/** Which field the name and first-message settings mean (by field, not key: see model.ts). */
export let links = linksOf(config.preEngagement);

/** Replaces the working copy (reset, import) and the field links that go with it. */
export function setConfig(next: DeploymentConfig): void {
  config = next;
  links = linksOf(config.preEngagement);
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
/** Creates an element with properties (className, id, value, …) and children. */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  node.append(...children);
  return node;
};

/** The deployment's default language: texts written in it stay plain strings. */
export const baseLocale = () => config.locale ?? 'en';
/** The language whose texts the marketer is writing (and the preview shows). */
export let editLocale = baseLocale();
export function setEditLocale(locale: string): void {
  editLocale = locale;
}

/** Shows `text` in the language being edited; the default language's text is the placeholder. */
export function showLocalized(input: HTMLInputElement | HTMLTextAreaElement, text: LocalizedText | undefined): void {
  input.value = ownValue(text, editLocale, baseLocale());
  input.placeholder = editLocale === baseLocale() ? '' : (localize(text, baseLocale(), baseLocale()) ?? '');
}
/** `text` with the value typed for the language being edited. */
export const edited = (text: LocalizedText | undefined, value: string) => setLocalized(text, editLocale, value, baseLocale());
/** A label in the language being edited, for the builder's own headings and choices. */
export const shown = (text: LocalizedText | undefined) => localize(text, editLocale, baseLocale()) ?? '';

export const editor = $<HTMLFormElement>('editor');
export const fieldsList = $<HTMLOListElement>('fields');
