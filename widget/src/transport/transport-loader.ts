// How the session controller obtains a ChatTransport for the chat mode the
// token service chose. Kept separate so tests inject in-memory transports and
// the SDK adapters stay behind dynamic imports (their own chunks).
import type { ChatTransport } from './chat-transport.ts';

export type TransportFactory = () => ChatTransport;
export type TransportLoader = (mode: string) => Promise<TransportFactory>;
