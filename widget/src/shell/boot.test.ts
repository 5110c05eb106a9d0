import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageKey } from '../session/persistence.ts';
import { APP_LOAD_FALLBACK_MS, FOCUS_ATTEMPTS, bootShell, shellApplies } from './boot.ts';
import { INITIAL_CONTROL, SESSION_STORAGE_KEY, SHELL_ID, SHELL_LIVE, SHELL_SUBMITTED } from './shell-dom.ts';

afterEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** index.html's body as the build writes it, with a small form in the template. */
function page(data: Record<string, string> = { locale: 'en', languages: 'en es fr de pt ar' }) {
  const root = document.createElement('div');
  root.id = 'root';
  const template = document.createElement('template');
  template.id = SHELL_ID;
  for (const [key, value] of Object.entries({ app: './assets/index-a.js', ...data })) template.dataset[key] = value;
  const main = document.createElement('main');
  const form = document.createElement('form');
  for (const name of ['first', 'second']) {
    const input = document.createElement('input');
    input.name = name;
    form.append(input);
  }
  main.append(form);
  template.content.append(main);
  document.body.append(root, template);
  return { root, template };
}

const appScripts = () => Array.from(document.head.querySelectorAll<HTMLScriptElement>('script')).map((s) => [s.type, s.getAttribute('src'), s.crossOrigin]);

/** The widget's window as the loader's frame sees it: framed, its own storage and languages. */
function framedWindow(options: { languages?: string[]; stored?: string | null; focused?: boolean } = {}) {
  const listeners = new Map<string, () => void>();
  const win = {
    document,
    navigator: { languages: options.languages ?? ['en-GB'], language: 'en-GB' },
    localStorage: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? (options.stored ?? null) : null) },
    parent: {},
    requestAnimationFrame: (run: () => void) => setTimeout(run, 16),
    addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
  };
  vi.spyOn(document, 'hasFocus').mockReturnValue(options.focused ?? false);
  return { win: win as unknown as Window, fire: (type: string) => listeners.get(type)?.() };
}

/** IntersectionObserver for jsdom: `show()` reports the root visible, as when the loader shows the frame. */
function stubVisibility() {
  let report: ((entries: Array<{ isIntersecting: boolean }>) => void) | undefined;
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      constructor(callback: (entries: Array<{ isIntersecting: boolean }>) => void) {
        report = callback;
      }
      observe() {}
      disconnect() {
        report = undefined;
      }
    },
  );
  return { show: () => report?.([{ isIntersecting: true }]) };
}

describe('does the shell show what the app would?', () => {
  const template = (data: Record<string, string>) => page(data).template;

  it('a pinned language: yes, whatever the browser says', () => {
    expect(shellApplies(template({ locale: 'es' }), ['fr-FR'], () => null)).toBe(true);
  });

  it("the browser's first language the widget speaks picks it (as pickLocale), else English", () => {
    const english = () => template({ locale: 'en', languages: 'en es fr de pt ar' });
    expect(shellApplies(english(), ['en-US', 'es'], () => null)).toBe(true);
    expect(shellApplies(english(), ['zh-CN', 'ja'], () => null)).toBe(true);
    expect(shellApplies(english(), [], () => null)).toBe(true);
    expect(shellApplies(english(), ['zh-CN', 'es-MX', 'en'], () => null)).toBe(false);
    expect(shellApplies(english(), [' PT-pt'], () => null)).toBe(false);
  });

  it('not with a stored chat the app may resume; yes when it ended, does not parse, or storage is blocked', () => {
    const english = () => template({ locale: 'en' });
    expect(shellApplies(english(), [], () => JSON.stringify({ v: 1, endedBy: null }))).toBe(false);
    expect(shellApplies(english(), [], () => JSON.stringify({ v: 1, endedBy: 'agent' }))).toBe(true);
    expect(shellApplies(english(), [], () => '{not json')).toBe(true);
    expect(
      shellApplies(english(), [], () => {
        throw new Error('blocked');
      }),
    ).toBe(true);
  });

  it('reads the key the session is stored under', () => {
    expect(SESSION_STORAGE_KEY).toBe(storageKey);
  });
});

describe('boot', () => {
  it('opened directly: shows the shell, holds a submit, runs the app at once', () => {
    const { root } = page();
    bootShell(window);
    expect(root.hasAttribute(SHELL_LIVE)).toBe(true);
    expect(root.querySelectorAll('input')).toHaveLength(2);
    expect(appScripts()).toEqual([['module', './assets/index-a.js', '']]);
    expect(document.activeElement).toBe(document.body); // as the app: no focus when not framed

    const form = root.querySelector('form')!;
    const submit = new Event('submit', { cancelable: true });
    form.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(form.hasAttribute(SHELL_SUBMITTED)).toBe(true);
    expect(appScripts()).toHaveLength(1);
  });

  it('not for a resumable chat: no shell, the app runs at once', () => {
    const { root } = page();
    const { win } = framedWindow({ stored: JSON.stringify({ v: 1, endedBy: null }) });
    bootShell(win);
    expect(root.childNodes).toHaveLength(0);
    expect(root.hasAttribute(SHELL_LIVE)).toBe(false);
    expect(appScripts()).toHaveLength(1);
  });

  it('framed and hidden: no focus taken; the app runs after the fallback delay', () => {
    vi.useFakeTimers();
    stubVisibility();
    const { root } = page();
    bootShell(framedWindow().win);
    expect(root.hasAttribute(SHELL_LIVE)).toBe(true);
    expect(document.activeElement).toBe(document.body);
    vi.advanceTimersByTime(APP_LOAD_FALLBACK_MS - 1);
    expect(appScripts()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(appScripts()).toHaveLength(1);
    expect(document.activeElement).toBe(document.body);
  });

  it('the panel shows: the first field gets focus, then the app runs after the next frame', () => {
    vi.useFakeTimers();
    const visibility = stubVisibility();
    const { root } = page();
    bootShell(framedWindow().win);
    visibility.show();
    expect(document.activeElement).toBe(document.querySelector(INITIAL_CONTROL));
    expect(document.activeElement).toBe(root.querySelector('input[name="first"]'));
    expect(appScripts()).toHaveLength(0);
    vi.advanceTimersByTime(17);
    expect(appScripts()).toHaveLength(1);
  });

  it('the frame gets focus: focus goes to the first field only if the visitor is not in one already', () => {
    vi.useFakeTimers();
    stubVisibility();
    const { root } = page();
    const { win, fire } = framedWindow();
    bootShell(win);
    const second = root.querySelector<HTMLInputElement>('input[name="second"]')!;
    second.focus(); // e.g. the visitor clicked into it
    fire('focus');
    expect(document.activeElement).toBe(second);
  });

  /** The shell booted in a framed window whose first field refuses the focus `times` times (always when undefined). */
  function shellWithRefusingField(times?: number) {
    vi.useFakeTimers();
    const visibility = stubVisibility();
    const { root } = page();
    bootShell(framedWindow().win);
    const first = root.querySelector<HTMLInputElement>('input[name="first"]')!;
    const focus = vi.spyOn(first, 'focus');
    if (times === undefined) focus.mockImplementation(() => undefined);
    else for (let i = 0; i < times; i++) focus.mockImplementationOnce(() => undefined);
    visibility.show();
    return { root, first, focus };
  }

  it('a field that cannot take the focus yet (the frame not drawn again): focused at a next frame', () => {
    const { first, focus } = shellWithRefusingField(2);
    expect(document.activeElement).toBe(document.body);
    vi.advanceTimersByTime(16);
    expect(document.activeElement).toBe(document.body);
    vi.advanceTimersByTime(16);
    expect(document.activeElement).toBe(first);
    expect(focus).toHaveBeenCalledTimes(3);
  });

  it('and gives up after a few frames', () => {
    const { focus } = shellWithRefusingField();
    vi.advanceTimersByTime(16 * (FOCUS_ATTEMPTS + 3));
    expect(focus).toHaveBeenCalledTimes(FOCUS_ATTEMPTS + 1);
  });

  it('or when the visitor is in a field by then', () => {
    const { root, focus } = shellWithRefusingField();
    const second = root.querySelector<HTMLInputElement>('input[name="second"]')!;
    second.focus(); // the visitor clicked into it
    vi.advanceTimersByTime(16 * (FOCUS_ATTEMPTS + 3));
    expect(focus).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(second);
  });

  it('already focused as it boots (the loader showed the frame first): focuses at once', () => {
    stubVisibility();
    const { root } = page();
    bootShell(framedWindow({ focused: true }).win);
    expect(document.activeElement).toBe(root.querySelector('input[name="first"]'));
  });
});
