// The app taking over the live form shell (a chunk of its own, loaded only when the boot
// script showed the shell): the app renders when the panel opens, after the frame that
// shows the shell's focused field, or sooner when the shell can no longer show what the
// session holds. The visitor's answers, focus and caret go into the app's form in one task
// (no input lands between reading them and the app's commit); a held submit is replayed.
import { flushSync } from 'react-dom';
import type { SessionController } from '../session/session-controller.ts';
import { focusInitialControl } from '../ui/focus.ts';
import { clearShell, readShell, restoreShellFocus } from './handover.ts';

export interface ShellTakeover {
  /** The host opened the panel: focus the first field (unless the visitor is in the form
   *  already, the first time) and, if the shell is up, take it over after the next frame. */
  opened(): void;
}

export function takeOverShell(root: HTMLElement, controller: SessionController, render: () => void, framed: boolean): ShellTakeover {
  let live = true;
  const stopWatching: Array<() => void> = [];
  const takeOver = () => {
    if (!live) return;
    live = false;
    stopWatching.forEach((stop) => stop());
    const state = readShell(root, controller.form.fields);
    for (const [name, value] of Object.entries(state?.changed ?? {})) controller.setFieldValue(name, value);
    clearShell(root);
    flushSync(render);
    if (state?.focus && root.ownerDocument.hasFocus()) restoreShellFocus(root, state.focus);
    if (state?.submitted) void controller.submitForm();
  };
  const win = root.ownerDocument.defaultView!;
  const afterNextFrame = () => {
    if (live) win.requestAnimationFrame(() => setTimeout(takeOver, 0));
  };

  // Until the first 'open' the visitor may already be in the shell's form (the boot script
  // focused it when the frame got focus): focus moves then only if nothing has it.
  let firstOpen = true;
  const opened = () => {
    const active = root.ownerDocument.activeElement;
    if (!firstOpen || !active || active === root.ownerDocument.body) focusInitialControl(root.ownerDocument);
    firstOpen = false;
    afterNextFrame();
  };

  if (!framed) {
    takeOver(); // opened directly: nothing to wait for
    return { opened };
  }
  win.addEventListener('focus', afterNextFrame);
  stopWatching.push(() => win.removeEventListener('focus', afterNextFrame));
  const form = root.querySelector('form');
  const onSubmit = () => setTimeout(takeOver, 0);
  form?.addEventListener('submit', onSubmit);
  stopWatching.push(() => form?.removeEventListener('submit', onSubmit));
  // What the shell cannot show (another language, a preview, a resumed chat, a notice): the app, now.
  stopWatching.push(
    controller.store.subscribe((state, previous) => {
      const formShown = state.phase === 'idle' || state.phase === 'pre-engagement';
      const textsChanged = state.strings !== previous.strings || state.preEngagement !== previous.preEngagement;
      if (!formShown || textsChanged || state.config !== previous.config || state.notice !== previous.notice) takeOver();
    }),
  );
  controller.start(); // as the app does when it mounts (idempotent): the form phase, the host told there is no chat
  if (root.ownerDocument.hasFocus()) afterNextFrame();
  return { opened };
}
