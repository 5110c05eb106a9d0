// The widget inside the iframe: header, then the view for the session phase.
import { useEffect, type CSSProperties } from 'react';
import type { SessionController } from '../session/session-controller.ts';
import { Composer } from './Composer.tsx';
import { MessageList, TypingIndicator } from './MessageList.tsx';
import { PreEngagementForm } from './PreEngagementForm.tsx';
import { SessionContext, useController, useSession } from './session-context.ts';
import { ConnectingView, ConnectionBanner, EndedPanel, ErrorView, OfflineView } from './StatusViews.tsx';
import { colorScheme, themeStyle } from './theme.ts';

export interface AppProps {
  controller: SessionController;
  /** Asks the host page to close the widget (the loader hides the iframe). */
  onRequestClose?: () => void;
}

function ChatView() {
  const ended = useSession((s) => s.phase === 'ended');
  return (
    <div className="fc-chat">
      <ConnectionBanner />
      <MessageList />
      <TypingIndicator />
      {ended ? <EndedPanel /> : <Composer />}
    </div>
  );
}

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

function Shell({ onRequestClose }: { onRequestClose: (() => void) | undefined }) {
  const controller = useController();
  const { strings, config } = controller;
  return (
    <div
      className="fc-app"
      data-theme={colorScheme(config.theme)}
      style={themeStyle(config.theme) as CSSProperties}
    >
      <header className="fc-header">
        <h1 className="fc-title">{strings.title}</h1>
        <button type="button" className="fc-icon-button" aria-label={strings.closeLabel} onClick={onRequestClose}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
          </svg>
        </button>
      </header>
      <main className="fc-main">
        <PhaseView />
      </main>
    </div>
  );
}

export function App({ controller, onRequestClose }: AppProps) {
  useEffect(() => {
    controller.start();
  }, [controller]);
  return (
    <SessionContext.Provider value={controller}>
      <Shell onRequestClose={onRequestClose} />
    </SessionContext.Provider>
  );
}
