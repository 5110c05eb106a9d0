// Entry of the iframe document. This chunk holds what the form needs; the chat
// view, the offline screen, the other languages and the SDK are chunks of their
// own, fetched while the visitor types (or when needed). When index.html carries the
// build-time form shell (shell/), the visitor types into it before this chunk runs.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectHostBridge } from './bridge/host-bridge.ts';
import { format } from './strings.ts';
import { createHostWiring } from './host-wiring.ts';
import { loadCatalogue, pickLocale } from './i18n/locales.ts';
import type { Notifier } from './notifier.ts';
import { createBrowserSessionSync } from './session/persistence.ts';
import { createSessionController } from './session/session-controller.ts';
import { loadTransportFor } from './transport/load-transport.ts';
import { App, preloadViews } from './ui/App.tsx';
import { SHELL_LIVE } from './shell/shell-dom.ts';
import { focusInitialControl } from './ui/focus.ts';
import './ui/styles.css';
// The deployment's theme colours as a rule (shell-plugin.ts), for the prerendered form shell.
import 'virtual:flexchat-shell-theme.css';

const root = document.getElementById('root');
const config = typeof __FLEXCHAT_DEPLOYMENT__ === 'undefined' ? undefined : __FLEXCHAT_DEPLOYMENT__;

if (!root) {
  throw new Error('flexchat: #root is missing from the widget document');
} else if (!config) {
  root.textContent = 'This chat is not configured.';
} else {
  const framed = window.parent !== window;
  // First: the host may be waiting for our 'ready'.
  const bridge = connectHostBridge(config.allowedDomains, { previewOrigins: config.previewOrigins ?? [] });
  const wiring = createHostWiring(bridge);
  // The visitor's language, unless English (in this chunk), is a chunk of its own: fetch
  // it before the first render. If it cannot be fetched, the widget speaks English.
  const browserLocales = navigator.languages ?? [navigator.language];
  const language = loadCatalogue(pickLocale(config.locale, browserLocales)).then(
    () => ({ config, browserLocales }),
    () => ({ config: { ...config, locale: 'en' }, browserLocales: [] }),
  );

  /** At the next quiet moment, or within a second. */
  const whenIdle = (run: () => void) => (window.requestIdleCallback ? window.requestIdleCallback(run, { timeout: 1000 }) : setTimeout(run, 1));

  void language.then(({ config, browserLocales }) => {
    let notifier: Notifier | null = null;
    const controller = createSessionController({
      config,
      // The Twilio region matters only with the hosted init (a token service names no region: us1).
      loadTransport: loadTransportFor(config.tokenSource?.type === 'hosted' ? config.tokenSource.region : undefined),
      notifyHost: wiring.notifyHost,
      onUnseenMessage: (message) => notifier?.notify(message),
      browserLocales,
      sync: createBrowserSessionSync(),
      // Conversations or legacy twilio-chat: the token service says which SDK to preload,
      // once the panel is open and the form has been drawn.
      preloadMode: 'auto',
      whenIdle,
    });
    const render = () =>
      createRoot(root).render(
        <StrictMode>
          <App controller={controller} onRequestClose={() => bridge.send({ type: 'requestClose' })} layout={wiring.layout} />
        </StrictMode>,
      );
    // The build-time form shell (shell/boot.ts) may be up, the visitor typing in it: its
    // takeover, a chunk of its own, renders the app and (first) decides where focus goes on
    // 'open'. Should the chunk fail, the app renders over the shell (what was typed there is lost).
    const takeover = root.hasAttribute(SHELL_LIVE) && import('./shell/takeover.ts').then((m) => m.takeOverShell(root, controller, render, framed), render);
    wiring.attach(controller, () => (takeover ? void takeover.then((shell) => (shell ? shell.opened() : focusInitialControl(document))) : focusInitialControl(document)), framed);

    // Optional sound and browser notifications (off by default, then never downloaded),
    // unlocked by the visitor's first submit (starting the chat or sending a message).
    const { sound, browserNotifications } = controller.options;
    if (sound || browserNotifications) {
      void import('./notifier.ts').then(({ createNotifier }) => {
        notifier = createNotifier({
          sound,
          browserNotifications,
          title: (name) => format(controller.strings.notificationTitle, { name }),
          pageVisible: () => document.visibilityState === 'visible',
        });
      });
      document.addEventListener('submit', () => void notifier?.prime(), { capture: true });
    }

    // The document follows the session's language and direction.
    const applyLanguage = () => {
      const { locale, dir } = controller.state;
      document.documentElement.lang = locale;
      document.documentElement.dir = dir;
      document.title = controller.strings.title;
    };
    applyLanguage();
    controller.store.subscribe((state, previous) => {
      // A preview may change the title without changing the language.
      if (state.locale !== previous.locale || state.dir !== previous.dir || state.strings !== previous.strings) applyLanguage();
    });

    // Mobile: follow the visual viewport, so an on-screen keyboard never covers the composer.
    const viewport = window.visualViewport;
    if (viewport) {
      const fit = () => document.documentElement.style.setProperty('--fc-viewport-height', `${Math.round(viewport.height)}px`);
      viewport.addEventListener('resize', fit);
      fit();
    }

    // Unread counting and read receipts need to know whether the visitor can see the chat.
    const onVisibility = () => {
      controller.setPageVisible(document.visibilityState === 'visible');
      if (document.visibilityState === 'visible') controller.checkBusinessHours();
    };
    document.addEventListener('visibilitychange', onVisibility);
    onVisibility();

    if (!takeover) render();

    // While the visitor reads and types: the chat view (the SDK chunk is the controller's).
    whenIdle(() => void preloadViews().catch(() => undefined));
  });
}
