// The widget inside the iframe: header, then the view for the session phase.
import { useEffect, useId, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent } from 'react';
import type { HostLayout } from '../host-wiring.ts';
import type { SessionController } from '../session/session-controller.ts';
import { atFirstStop, focusFirstStop } from './focus.ts';
import { lazyView } from './lazy-view.tsx';
import { PreEngagementForm } from './PreEngagementForm.tsx';
import { SessionContext, useController, useSession, useStrings } from './session-context.ts';
import { ConnectingView, ErrorView } from './StatusViews.tsx';
import { colorScheme, themeStyle } from './theme.ts';

// Chunks of their own (lazy-view.ts): the form needs none of them.
export const ChatView = lazyView(
  () => import('./ChatView.tsx').then((m) => m.ChatView),
  () => <ConnectingView />,
);
export const OfflineView = lazyView(() => import('./OfflineView.tsx').then((m) => m.OfflineView));
const ConfirmDialog = lazyView(() => import('./ConfirmDialog.tsx').then((m) => m.ConfirmDialog));

/** The views the visitor may need next: downloaded while the form is filled in. */
export const preloadViews = (): Promise<unknown> => Promise.all([ChatView.preload(), ConfirmDialog.preload()]);

export interface AppProps {
  controller: SessionController;
  /** Asks the host page to close the widget (the loader hides the iframe). */
  onRequestClose?: () => void;
  /** The host page's layout: where it draws its own close button over the frame. */
  layout?: HostLayout;
  /** No style attribute for the theme: a stylesheet carries it (the build-time prerender,
   *  widget/src/shell/prerender.tsx: the widget's CSP refuses style attributes in markup). */
  themeFromStylesheet?: boolean;
}

const noLayout: HostLayout = { hostClose: () => null, subscribe: () => () => {}, focusHostClose() {}, onFocusFirst: () => () => {} };

function PhaseView() {
  const phase = useSession((s) => s.phase);
  switch (phase) {
    case 'idle':
    case 'pre-engagement':
      return <PreEngagementForm />;
    case 'connecting':
      return <ConnectingView />;
    case 'queued':
    case 'active':
    case 'ended':
      return <ChatView />;
    case 'offline':
      return <OfflineView />;
    case 'error':
      return <ErrorView />;
  }
}

function Shell({
  onRequestClose,
  layout,
  themeFromStylesheet,
}: {
  onRequestClose: (() => void) | undefined;
  layout: HostLayout;
  themeFromStylesheet: boolean;
}) {
  const controller = useController();
  // Full screen on mobile the host's close button covers one top corner: one close
  // control only (not two, one hidden under the other: WCAG 2.4.11), and that corner
  // kept free. The host's button is the one kept: it works even without this document.
  const hostClose = useSyncExternalStore(layout.subscribe, layout.hostClose, layout.hostClose);
  // A preview swaps config, options and strings in the store: what reads them follows.
  const strings = useStrings();
  const theme = useSession((s) => s.config.theme);
  const inChat = useSession((s) => s.phase === 'queued' || s.phase === 'active');
  const ending = useSession((s) => s.ending);
  const endError = useSession((s) => s.endError);
  const locale = useSession((s) => s.locale);
  const dir = useSession((s) => s.dir);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  const appRef = useRef<HTMLDivElement>(null);

  // Tab from the host's close button enters the frame: start at the first tab stop.
  useEffect(
    () =>
      layout.onFocusFirst(() => {
        if (appRef.current) focusFirstStop(appRef.current.ownerDocument);
      }),
    [layout],
  );

  // The chat ended some other way while the dialog was open: nothing left to confirm.
  useEffect(() => {
    if (!inChat) setConfirming(false);
  }, [inChat]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Esc closes the widget (dialogs handle their own Esc first).
    if (event.key === 'Escape' && !event.defaultPrevented && !confirming) onRequestClose?.();
    // Full screen the panel is modal (the page lies hidden under it): Shift+Tab from
    // the first tab stop goes to the host's close button, not on to the page.
    if (event.key === 'Tab' && event.shiftKey && hostClose && !event.defaultPrevented && atFirstStop(event.currentTarget.ownerDocument, event.target as Element)) {
      event.preventDefault();
      layout.focusHostClose();
    }
  };

  const confirmEnd = async () => {
    await controller.endChat();
    if (controller.state.endError === null) setConfirming(false);
  };

  return (
    <div
      className="fc-app"
      data-theme={colorScheme(theme)}
      style={themeFromStylesheet ? undefined : (themeStyle(theme) as CSSProperties)}
      lang={locale}
      dir={dir}
      onKeyDown={onKeyDown}
      ref={appRef}
    >
      <header className="fc-header" inert={confirming} aria-labelledby={titleId} data-host-close={hostClose ?? undefined}>
        <h1 className="fc-title" id={titleId}>
          {strings.title}
        </h1>
        {inChat && controller.visitorCanEnd ? (
          <button type="button" className="fc-button fc-button--header" onClick={() => setConfirming(true)}>
            {strings.endChat}
          </button>
        ) : null}
        {hostClose ? null : (
          <button type="button" className="fc-icon-button" aria-label={strings.closeLabel} onClick={onRequestClose}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
            </svg>
          </button>
        )}
      </header>
      <main className="fc-main" inert={confirming} aria-labelledby={titleId}>
        <PhaseView />
      </main>
      {confirming ? (
        <ConfirmDialog
          title={strings.endConfirmTitle}
          body={strings.endConfirmBody}
          confirmLabel={strings.endConfirm}
          cancelLabel={strings.cancel}
          error={endError}
          busy={ending}
          onConfirm={() => void confirmEnd()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

export function App({ controller, onRequestClose, layout = noLayout, themeFromStylesheet = false }: AppProps) {
  useEffect(() => {
    controller.start();
  }, [controller]);
  return (
    <SessionContext.Provider value={controller}>
      <Shell onRequestClose={onRequestClose} layout={layout} themeFromStylesheet={themeFromStylesheet} />
    </SessionContext.Provider>
  );
}
