// The production TransportLoader. Each SDK adapter is reached only through a
// dynamic import() so that the SDK is its own lazily loaded chunk.
//
// Modes are the token service's `mode` (server/src/contract.ts): 'conversations'
// is real Twilio Flex Conversations, 'local' is the Flex emulator, which the same
// @twilio/conversations SDK talks to (via the `twilsockUri` it is given).
import { TransportError } from './chat-transport.ts';
import type { TransportLoader } from './transport-loader.ts';

export const loadTransport: TransportLoader = async (mode) => {
  switch (mode) {
    case 'conversations':
    case 'local': {
      const module = await import('./conversations-transport.ts');
      return () => module.createConversationsTransport();
    }
    default:
      // Legacy Programmable Chat (twilio-chat) is a later issue.
      throw new TransportError('rejected', `Unsupported chat mode "${mode}"`);
  }
};
