// Focus helpers: views that replace the one holding focus take it over, so
// keyboard and screen-reader users are never dropped onto <body>.
import { useEffect, type RefObject } from 'react';
import { INITIAL_CONTROL } from '../shell/shell-dom.ts';

function focusWasLost(doc: Document): boolean {
  const active = doc.activeElement;
  return active === null || active === doc.body || active === doc.documentElement;
}

/** On mount, focuses `ref` if nothing (else) has focus, e.g. because the previous view was removed. */
export function useTakeOverLostFocus(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = ref.current;
    if (element && focusWasLost(element.ownerDocument)) element.focus();
  }, [ref]);
}

/** The control that should receive focus when the widget is opened. */
export function focusInitialControl(doc: Document): void {
  const target = doc.querySelector<HTMLElement>('[data-autofocus]') ?? doc.querySelector<HTMLElement>(INITIAL_CONTROL);
  target?.focus();
}

const CANDIDATES = 'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex], [contenteditable="true"], summary';

const radioGroup = (el: Element): HTMLInputElement[] | undefined =>
  el instanceof HTMLInputElement && el.type === 'radio' && el.name
    ? Array.from((el.form ?? el.ownerDocument).querySelectorAll<HTMLInputElement>(`input[type="radio"]`)).filter((r) => r.name === el.name)
    : undefined;

/**
 * The document's sequential tab stops in order, as the browser walks them with Tab
 * (the widget uses no positive tabindex): focusable, not disabled, inert, hidden or
 * display:none; of a radio group only the checked radio, or the first if none is.
 */
export function tabStops(doc: Document): HTMLElement[] {
  return Array.from(doc.querySelectorAll<HTMLElement>(CANDIDATES)).filter((el) => {
    if (el.tabIndex < 0 || el.matches(':disabled') || el.closest('[inert], [hidden]')) return false;
    if (el.checkVisibility?.() === false) return false;
    const group = radioGroup(el);
    return !group || el === (group.find((r) => r.checked) ?? group[0]);
  });
}

/** Focuses the first tab stop (Tab entered the document from before it), else the initial control. */
export function focusFirstStop(doc: Document): void {
  const first = tabStops(doc)[0];
  if (first) first.focus();
  else focusInitialControl(doc);
}

/** Would Shift+Tab from `active` leave the document, i.e. is no tab stop before it? */
export function atFirstStop(doc: Document, active: Element | null): boolean {
  const first = tabStops(doc)[0];
  if (!first || !active || active === first) return true;
  if (radioGroup(first)?.includes(active as HTMLInputElement)) return true;
  return (first.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
}
