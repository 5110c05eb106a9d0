// Entry of the iframe document.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectHostBridge } from './bridge/host-bridge.ts';
import { createHostWiring } from './host-wiring.ts';
import { createSessionController } from './session/session-controller.ts';
import { loadTransport } from './transport/load-transport.ts';
import { App } from './ui/App.tsx';
import { focusInitialControl } from './ui/focus.ts';
import './ui/styles.css';

const root = document.getElementById('root');
const config = typeof __FLEXCHAT_DEPLOYMENT__ === 'undefined' ? undefined : __FLEXCHAT_DEPLOYMENT__;

if (!root) {
  throw new Error('flexchat: #root is missing from the widget document');
} else if (!config) {
  root.textContent = 'This chat is not configured.';
} else {
  document.documentElement.lang = config.locale ?? 'en';
  const bridge = connectHostBridge(config.allowedDomains);
  const wiring = createHostWiring(bridge);
  const controller = createSessionController({ config, loadTransport, notifyHost: wiring.notifyHost });
  wiring.attach(controller, () => focusInitialControl(document));
  document.title = controller.strings.title;

  createRoot(root).render(
    <StrictMode>
      <App controller={controller} onRequestClose={() => bridge.send({ type: 'requestClose' })} />
    </StrictMode>,
  );
}
