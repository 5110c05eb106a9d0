// Connects the session to the host page through the host bridge: commands from
// the page reach the controller; session events (and an unread count while the
// widget is closed) go back to the page.
import type { HostBridge, HostCommand, WidgetEvent } from './bridge/host-bridge.ts';
import type { SessionController } from './session/session-controller.ts';

export interface HostWiring {
  /** Pass as the controller's `notifyHost`. */
  notifyHost(event: WidgetEvent): void;
  /** Starts handling host commands; returns a function that stops. */
  attach(controller: SessionController, onOpen?: () => void): () => void;
}

/**
 * The widget counts as closed until the host says 'open' (the iframe may be
 * prefetched hidden); agent messages that arrive while closed raise `unread`.
 */
export function createHostWiring(bridge: HostBridge): HostWiring {
  let open = false;
  let unread = 0;
  return {
    notifyHost(event) {
      bridge.send(event);
      if (event.type === 'message' && event.fromAgent && !open) {
        unread++;
        bridge.send({ type: 'unread', count: unread });
      }
    },
    attach(controller, onOpen) {
      return bridge.onCommand((command: HostCommand) => {
        switch (command.type) {
          case 'open':
            open = true;
            if (unread !== 0) {
              unread = 0;
              bridge.send({ type: 'unread', count: 0 });
            }
            onOpen?.();
            return;
          case 'close':
            open = false;
            return;
          case 'identify':
            controller.applyPrefill(command.prefill);
            return;
          case 'setContext':
            controller.setContext(command.context);
            return;
        }
      });
    },
  };
}
