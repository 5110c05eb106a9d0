// Shared jsdom helpers for the loader and bridge tests (not shipped).
import { vi } from 'vitest';
import { install } from './src/api.ts';
import { boot, type BootHooks, type HostWindow, type LoaderConfig } from './src/loader.ts';

// jsdom has no `onpointerover` event handler property (browsers have had it since
// pointer events shipped): give elements the same one, so the core's launcher hears it.
if (!('onpointerover' in HTMLElement.prototype)) {
  const handlers = new WeakMap<EventTarget, EventListener>();
  Object.defineProperty(HTMLElement.prototype, 'onpointerover', {
    configurable: true,
    get(this: HTMLElement) {
      return handlers.get(this) ?? null;
    },
    set(this: HTMLElement, fn: EventListener | null) {
      const old = handlers.get(this);
      if (old) this.removeEventListener('pointerover', old);
      if (fn) {
        handlers.set(this, fn);
        this.addEventListener('pointerover', fn);
      } else handlers.delete(this);
    },
  });
}

export const WIDGET_ORIGIN = 'https://widget.test';
export const HOST_ORIGIN = 'https://shop.test';

export const config: LoaderConfig = {
  widgetOrigin: WIDGET_ORIGIN,
  position: 'left',
  offsetX: 12,
  offsetY: 34,
  zIndex: 999,
  label: 'Talk to Acme',
  color: '#123456',
  title: 'Chat with Acme support',
  breakpoint: 480,
};

/** Hands the API chunk to the waiting core at once, as loader-api.js would on arrival. */
export const loadApiNow = () => hostWindow().FlexChat!.x?.(install);

export interface Mounted {
  root: ShadowRoot;
  mode: ShadowRootMode;
  host: Element;
  button: HTMLButtonElement;
  iframe: () => HTMLIFrameElement | null;
  css: () => string;
}

const hostWindow = () => window as HostWindow;

/** Resets the page: no FlexChat, empty body, document "loaded". */
export function resetPage(): void {
  delete hostWindow().FlexChat;
  document.body.replaceChildren();
  localStorage.clear();
  vi.restoreAllMocks();
  vi.useRealTimers();
}

/** Captures closed shadow roots as the loader creates them. */
export function captureShadowRoots(): { roots: ShadowRoot[]; modes: ShadowRootMode[] } {
  const roots: ShadowRoot[] = [];
  const modes: ShadowRootMode[] = [];
  const original = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = original.call(this, init);
    roots.push(root);
    modes.push(init.mode);
    return root;
  });
  return { roots, modes };
}

/** Boots the loader (document already loaded); by default the API chunk "arrives" at once. */
export function mount(cfg: LoaderConfig = config, hooks: Partial<BootHooks> = { load: loadApiNow }): Mounted {
  const captured = captureShadowRoots();
  boot(hostWindow(), cfg, { load: () => {}, ...hooks }); // hooks without `load`: the chunk never arrives
  const root = captured.roots[0];
  if (!root) throw new Error('loader drew nothing');
  return {
    root,
    mode: captured.modes[0]!,
    host: root.host,
    button: root.querySelector('button')!,
    iframe: () => root.querySelector<HTMLIFrameElement>('iframe:not([src$="/prefetch.html"])'), // the chat frame, not the idle prefetch's
    css: () => root.querySelector('style')?.textContent ?? '',
  };
}

export const flexChat = (...args: unknown[]) => hostWindow().FlexChat!(...args);

export interface Hello {
  data: unknown;
  targetOrigin: string;
  port: MessagePort;
}

/**
 * Gives the loader's iframe a window (jsdom creates none for iframes inside a shadow
 * root, and loads nothing), spies on that window's postMessage, then fires the
 * iframe's load event. The window belongs to a document-level iframe, so its
 * `parent` is the host page: the tests can run the widget's bridge in it.
 */
export function loadIframe(iframe: HTMLIFrameElement): Hello[] & { win: Window } {
  const stand = document.createElement('iframe');
  document.body.append(stand);
  const win = stand.contentWindow!;
  Object.defineProperty(iframe, 'contentWindow', { value: win, configurable: true });
  const hellos = Object.assign([] as Hello[], { win });
  vi.spyOn(win, 'postMessage').mockImplementation(((data: unknown, targetOrigin: string, transfer?: Transferable[]) => {
    hellos.push({ data, targetOrigin, port: transfer?.[0] as MessagePort });
  }) as typeof win.postMessage);
  iframe.dispatchEvent(new Event('load'));
  return hellos;
}

export const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
