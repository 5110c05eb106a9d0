// What the build-time form shell's parts agree on (prerender.tsx writes it, boot.ts stamps
// it, handover.ts takes it over). No imports: the boot script is built on its own from it.

/** The <template> in index.html holding the prerendered first view. */
export const SHELL_ID = 'fc-shell';
/** On #root while it holds the stamped shell (the app has not taken over yet). */
export const SHELL_LIVE = 'data-fc-shell';
/** On the shell's form once the visitor submitted it before the app was ready. */
export const SHELL_SUBMITTED = 'data-fc-submitted';
/** The stored chat the widget resumes (session/persistence.ts storageKey; a test keeps them equal). */
export const SESSION_STORAGE_KEY = 'flexchat:session';
/** The control the widget focuses when the panel opens (ui/focus.ts focusInitialControl). */
export const INITIAL_CONTROL =
  'main input:not([type="hidden"]):not([disabled]), main textarea, main select, main button, main [tabindex="-1"]';
