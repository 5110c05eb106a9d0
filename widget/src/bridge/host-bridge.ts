// PLACEHOLDER signature, replaced by the loader/bridge work: the widget's side of
// the host <-> iframe bridge. Safe to call when not embedded (no-ops).

export type HostCommand =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'setContext'; context: Record<string, string> }
  | { type: 'identify'; prefill: Record<string, string>; userToken?: string };

export type WidgetEvent =
  | { type: 'requestClose' }
  | { type: 'unread'; count: number }
  | { type: 'sessionStart' }
  | { type: 'sessionEnd' }
  | { type: 'message'; fromAgent: boolean };

export interface HostBridge {
  send(event: WidgetEvent): void;
  onCommand(listener: (command: HostCommand) => void): () => void;
  close(): void;
}

export function connectHostBridge(_allowedOrigins: readonly string[]): HostBridge {
  return { send() {}, onCommand: () => () => {}, close() {} };
}
