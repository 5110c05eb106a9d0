// Connects the session to the host page through the host bridge: commands from
// the page reach the controller; session events go back to the page. The
// controller counts unread agent messages (it knows whether the visitor can
// see them); this module tells it when the host opens or closes the panel.
import type { HostBridge, HostCommand, WidgetEvent } from './bridge/host-bridge.ts';
import type { PreviewParse } from './bridge/preview.ts';
import type { HostClose, PreviewSettings } from '../../contracts/bridge-protocol.ts';
import type { SessionController } from './session/session-controller.ts';
import { loadCatalogue } from './i18n/locales.ts';

/** Checks preview settings; production loads the validator chunk only when a preview arrives. */
export type PreviewParser = (settings: PreviewSettings) => Promise<PreviewParse>;

const loadPreviewParser: PreviewParser = (settings) => import('./bridge/preview.ts').then((m) => m.parsePreview(settings));

/** Where the host page draws its own close button over the frame (`layout` command),
 *  and keyboard focus between that button and the widget while it does. */
export interface HostLayout {
  hostClose(): HostClose;
  subscribe(listener: () => void): () => void;
  /** Shift+Tab from the widget's first tab stop: asks the host to focus its close button
   *  (only while there is one; the widget cannot focus the host page's elements). */
  focusHostClose(): void;
  /** The host moved focus into the frame (Tab from its close button): `listener` focuses the first tab stop. */
  onFocusFirst(listener: () => void): () => void;
}

export interface HostWiring {
  /** The host's layout, for the UI (starts as `null`: the widget shows its own close button). */
  layout: HostLayout;
  /** Pass as the controller's `notifyHost`. */
  notifyHost(event: WidgetEvent): void;
  /**
   * Starts handling host commands; returns a function that stops. `framed`: the
   * widget runs in the host's iframe, which counts as closed until the host says
   * 'open' (it may be prefetched hidden); opened directly it is always open.
   */
  attach(controller: SessionController, onOpen?: () => void, framed?: boolean): () => void;
}

export function createHostWiring(bridge: HostBridge, parsePreview: PreviewParser = loadPreviewParser): HostWiring {
  // Previews are checked asynchronously; only the latest one may land.
  let previews = 0;
  const preview = async (controller: SessionController, settings: PreviewSettings | null) => {
    const seq = ++previews;
    if (settings === null) return controller.applyPreview(null);
    let result: PreviewParse;
    try {
      result = await parsePreview(settings);
    } catch {
      if (seq === previews) bridge.send({ type: 'error', code: 'preview_unavailable' }); // the chunk failed to load
      return;
    }
    if (seq !== previews) return;
    // A previewed language is a chunk of its own: here before the preview lands (English if it fails).
    if (result.ok && result.preview.locale !== undefined) {
      await loadCatalogue(result.preview.locale).catch(() => undefined); // unavailable: previewed in English
      if (seq !== previews) return;
    }
    if (result.ok) controller.applyPreview(result.preview);
    else bridge.send({ type: 'error', code: result.code });
  };
  // Each language but English is a chunk of its own, loaded before the switch; of
  // switches that overlap only the latest lands.
  let localeSwitches = 0;
  const switchLocale = async (controller: SessionController, locale: string) => {
    const seq = ++localeSwitches;
    // If the catalogue cannot be fetched, the widget keeps its language rather than
    // label English text with another language.
    const here = await loadCatalogue(locale).then(
      () => true,
      () => false,
    );
    if (here && seq === localeSwitches) controller.setLocale(locale);
  };
  let hostClose: HostClose = null;
  const layoutListeners = new Set<() => void>();
  const focusListeners = new Set<() => void>();
  const layout: HostLayout = {
    hostClose: () => hostClose,
    subscribe(listener) {
      layoutListeners.add(listener);
      return () => layoutListeners.delete(listener);
    },
    focusHostClose() {
      if (hostClose) bridge.send({ type: 'focusHostClose' });
    },
    onFocusFirst(listener) {
      focusListeners.add(listener);
      return () => focusListeners.delete(listener);
    },
  };
  return {
    layout,
    notifyHost(event) {
      bridge.send(event);
    },
    attach(controller, onOpen, framed = true) {
      controller.setHostOpen(!framed);
      return bridge.onCommand((command: HostCommand) => {
        // Commands newer than some protocol builds (setLocale, shutdown) are matched loosely.
        const loose = command as { type: string; locale?: unknown };
        if (loose.type === 'setLocale' && typeof loose.locale === 'string') {
          void switchLocale(controller, loose.locale);
          return;
        }
        if (loose.type === 'shutdown') {
          void controller.shutdown();
          return;
        }
        switch (command.type) {
          case 'open':
            controller.setHostOpen(true);
            onOpen?.();
            return;
          case 'close':
            controller.setHostOpen(false);
            return;
          case 'identify':
            if (command.userToken !== undefined) controller.setUserToken(command.userToken);
            controller.applyPrefill(command.prefill);
            return;
          case 'setContext':
            controller.setContext(command.context);
            return;
          case 'teaser':
            controller.setTeaser(command.text);
            return;
          case 'preview':
            void preview(controller, command.settings);
            return;
          case 'layout':
            if (command.hostClose !== hostClose) {
              hostClose = command.hostClose;
              for (const listener of [...layoutListeners]) listener();
            }
            return;
          case 'focusFirst':
            for (const listener of [...focusListeners]) listener();
            return;
        }
      });
    },
  };
}
