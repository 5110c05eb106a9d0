// The form shell's boot script (built on its own, shell-plugin.ts; a classic script right
// after the shell's <template> in index.html): shows the prerendered form when it is what
// the app would show first, so the visitor can type before the app's chunk has run, and
// runs the app's chunk. Until the app takes over (takeover.ts) it keeps a submit from
// leaving the page (the app submits it) and, as the app does when the panel opens,
// focuses the first field when the panel shows. The app's chunk runs after the frame that
// paints that field (its compiling and running would hold the focus back), or on a
// submit, or a second after the shell shows when the panel is not opened by then.
import { INITIAL_CONTROL, SESSION_STORAGE_KEY, SHELL_ID, SHELL_LIVE, SHELL_SUBMITTED } from './shell-dom.ts';

/** Is a chat stored that the app would resume (or may: anything not plainly ended counts)? */
function storedChat(read: () => string | null): boolean {
  let raw: string | null;
  try {
    raw = read();
  } catch {
    return false; // storage blocked: the app cannot resume either
  }
  if (raw === null) return false;
  try {
    return !(JSON.parse(raw) as { endedBy?: unknown } | null)?.endedBy;
  } catch {
    return false; // the app ignores a record that does not parse
  }
}

/**
 * Whether the app would show the shell's view: no stored chat, and the language the app
 * picks is the shell's. `data-languages` is set when the config pins no language: the
 * app then takes the browser's first language it has a catalogue for (i18n/locales.ts
 * pickLocale, by primary language), else English.
 */
export function shellApplies(template: HTMLElement, browserLocales: readonly string[], readStored: () => string | null): boolean {
  if (storedChat(readStored)) return false;
  const languages = template.dataset.languages;
  if (languages === undefined) return true;
  const ours = languages.split(' ');
  const picked = browserLocales.map((tag) => tag.trim().toLowerCase().split('-')[0]!).find((language) => ours.includes(language)) ?? 'en';
  return picked === template.dataset.locale!.toLowerCase().split('-')[0];
}

/** With no focus by then, the app loads this long after the shell shows (ms). */
export const APP_LOAD_FALLBACK_MS = 1000;
/** Frames in which the first field is focused again when it could not take the focus yet. */
export const FOCUS_ATTEMPTS = 5;

export function bootShell(win: Window): void {
  const doc = win.document;
  const template = doc.getElementById(SHELL_ID) as HTMLTemplateElement | null;
  const root = doc.getElementById('root');
  const nav = win.navigator;
  if (!template || !root) return;
  // The app's module: index.html only preloads it, this script runs it (at once, unless the
  // shell shows: then after the frame that paints the field focused when the panel opens).
  let loaded = false;
  const loadApp = () => {
    if (loaded) return;
    loaded = true;
    const script = doc.createElement('script');
    script.type = 'module';
    script.crossOrigin = '';
    script.src = template.dataset.app!;
    doc.head.append(script);
  };
  if (root.firstChild || !shellApplies(template, nav.languages ?? [nav.language], () => win.localStorage.getItem(SESSION_STORAGE_KEY))) {
    return loadApp();
  }
  root.append(doc.importNode(template.content, true));
  root.setAttribute(SHELL_LIVE, '');
  const form = root.querySelector('form')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    form.setAttribute(SHELL_SUBMITTED, '');
    loadApp();
  });
  // Opened directly (not framed), the app focuses nothing either.
  if (win.parent === win) return loadApp();
  // The panel opened: the frame shows (the loader hides it until then) or got focus (the
  // loader focuses it as it shows it; a frame shown before its document loaded may get no
  // focus event, hence both).
  let open = false;
  /**
   * The first field takes the focus, unless the visitor is in one already. A frame that loaded
   * while hidden may get its focus event before Chromium draws it again, and its field cannot
   * take the focus yet (seen in e2e/form-shell.spec.ts, about one run in seven): then again at
   * the next frames, which come once it is drawn.
   */
  const focusFirst = (attempts: number) => {
    const active = doc.activeElement;
    if (!root.hasAttribute(SHELL_LIVE) || (active && active !== doc.body)) return;
    const control = doc.querySelector<HTMLElement>(INITIAL_CONTROL);
    control?.focus();
    if (control && doc.activeElement !== control && attempts > 0) win.requestAnimationFrame(() => focusFirst(attempts - 1));
  };
  const opened = () => {
    if (open) return;
    open = true;
    visible.disconnect();
    focusFirst(FOCUS_ATTEMPTS);
    win.requestAnimationFrame(() => setTimeout(loadApp, 0));
  };
  const visible = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && opened());
  visible.observe(root);
  win.addEventListener('focus', opened, { once: true });
  setTimeout(loadApp, APP_LOAD_FALLBACK_MS);
  if (doc.hasFocus()) opened();
}
