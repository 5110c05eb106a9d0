// The production TransportLoader. Each SDK adapter is reached only through a
// dynamic import() so that the SDK is its own lazily loaded chunk.
//
// Modes are the token service's `mode` (server/src/contract.ts): 'conversations'
// is real Twilio Flex Conversations, 'local' is the Flex emulator, which the same
// @twilio/conversations SDK talks to (via the `twilsockUri` it is given), and
// 'legacy' is Flex Programmable Chat through twilio-chat (real or emulated).
import { TransportError } from './chat-transport.ts';
import type { TransportLoader } from './transport-loader.ts';

export const loadTransport: TransportLoader = async (mode) => {
  switch (mode) {
    case 'conversations':
    case 'local': {
      const module = await import('./conversations-transport.ts');
      return () => module.createConversationsTransport();
    }
    case 'legacy': {
      // Legacy Flex Programmable Chat: twilio-chat, in its own chunk.
      const module = await import('./legacy-transport.ts');
      return () => module.createLegacyTransport();
    }
    default:
      throw new TransportError('rejected', `Unsupported chat mode "${mode}"`);
  }
};
