// The app taking over the form shell (prerender.tsx, boot.ts): what the visitor did in it
// (answers, focus and caret, a submit) is read before the shell is replaced, so that the
// app's form shows and keeps it. Pure DOM reading and writing, no React.
import type { FormField } from '../../../config/types.ts';
import { initialFormValues, type FormValue, type FormValues } from '../session/form-validation.ts';
import { SHELL_LIVE, SHELL_SUBMITTED } from './shell-dom.ts';

/** Where focus was: a field (its name; a radio also its value) or, elsewhere, the nth focusable control. */
export interface ShellFocus {
  field: string | null;
  radioValue: string | null;
  index: number;
  selectionStart: number | null;
  selectionEnd: number | null;
  selectionDirection: 'forward' | 'backward' | 'none' | null;
}

export interface ShellState {
  /** The answers that differ from the form's initial values (what the visitor typed or chose). */
  changed: FormValues;
  focus: ShellFocus | null;
  /** The visitor submitted the shell's form (the boot script held it for the app). */
  submitted: boolean;
}

const FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea';

/** Is the shell in `root`, stamped by the boot script and not yet taken over? */
export const shellIsLive = (root: Element): boolean => root.hasAttribute(SHELL_LIVE);

const controlsOf = (form: HTMLFormElement, name: string) =>
  Array.from(form.querySelectorAll<HTMLInputElement>('[data-field-control]')).filter((control) => control.getAttribute('data-field-control') === name);

function answerOf(field: FormField, controls: HTMLInputElement[]): FormValue | undefined {
  if (controls.length === 0) return undefined;
  if (field.type === 'checkbox' || field.type === 'consent') return controls[0]!.checked;
  if (field.type === 'radio') return controls.find((control) => control.checked)?.value ?? '';
  return controls[0]!.value;
}

function selectionOf(element: Element): Pick<ShellFocus, 'selectionStart' | 'selectionEnd' | 'selectionDirection'> {
  // null for the input types without a text selection (email, number, checkbox…).
  const text = element as HTMLInputElement;
  const start = typeof text.selectionStart === 'number' ? text.selectionStart : null;
  const end = typeof text.selectionEnd === 'number' ? text.selectionEnd : null;
  return { selectionStart: start, selectionEnd: end, selectionDirection: start === null ? null : text.selectionDirection };
}

/** What the visitor did in the live shell in `root`, or null when there is none. */
export function readShell(root: HTMLElement, fields: readonly FormField[]): ShellState | null {
  if (!shellIsLive(root)) return null;
  const form = root.querySelector('form');
  const initial = initialFormValues(fields);
  const changed: FormValues = {};
  if (form) {
    for (const field of fields) {
      if (field.type === 'hidden') continue;
      const answer = answerOf(field, controlsOf(form, field.name));
      if (answer !== undefined && answer !== initial[field.name]) changed[field.name] = answer;
    }
  }
  const active = root.ownerDocument.activeElement;
  let focus: ShellFocus | null = null;
  if (active && active !== root && root.contains(active)) {
    const field = active.getAttribute('data-field-control');
    focus = {
      field,
      radioValue: field !== null && (active as HTMLInputElement).type === 'radio' ? (active as HTMLInputElement).value : null,
      index: Array.from(root.querySelectorAll(FOCUSABLE)).indexOf(active),
      ...selectionOf(active),
    };
  }
  return { changed, focus, submitted: form?.hasAttribute(SHELL_SUBMITTED) ?? false };
}

/** Removes the shell from `root`, for the app to render there. */
export function clearShell(root: HTMLElement): void {
  root.replaceChildren();
  root.removeAttribute(SHELL_LIVE);
}

/** Focuses in the app's view what had focus in the shell, with its caret. Returns whether it could. */
export function restoreShellFocus(root: HTMLElement, focus: ShellFocus): boolean {
  const form = root.querySelector('form');
  let target: HTMLElement | undefined;
  if (focus.field !== null && form) {
    const controls = controlsOf(form, focus.field);
    target = (focus.radioValue !== null ? controls.find((control) => control.value === focus.radioValue) : undefined) ?? controls[0];
  }
  target ??= root.querySelectorAll<HTMLElement>(FOCUSABLE)[focus.index];
  if (!target) return false;
  target.focus();
  if (focus.selectionStart !== null && focus.selectionEnd !== null) {
    try {
      (target as HTMLInputElement).setSelectionRange(focus.selectionStart, focus.selectionEnd, focus.selectionDirection ?? undefined);
    } catch {
      // This control has no text selection (a language switch changed nothing of it, but be safe).
    }
  }
  return root.ownerDocument.activeElement === target;
}
