// Focus helpers: views that replace the one holding focus take it over, so
// keyboard and screen-reader users are never dropped onto <body>.
import { useEffect, type RefObject } from 'react';

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
  const target =
    doc.querySelector<HTMLElement>('[data-autofocus]') ??
    doc.querySelector<HTMLElement>(
      'main input:not([type="hidden"]):not([disabled]), main textarea, main select, main button, main [tabindex="-1"]',
    );
  target?.focus();
}
