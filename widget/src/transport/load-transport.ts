// The production TransportLoader. Each SDK adapter is reached only through a
// dynamic import() so that the SDK is its own lazily loaded chunk.
//
// Modes are the token service's `mode` (server/src/contract.ts): 'conversations'
// is real Twilio Flex Conversations, 'local' is the Flex emulator, which the same
// @twilio/conversations SDK talks to (via the `twilsockUri` it is given), and
// 'legacy' is Flex Programmable Chat through twilio-chat (real or emulated).
import { TransportError } from './chat-transport.ts';
import { nextTask } from './next-task.ts';
import type { TransportLoader } from './transport-loader.ts';

export const loadTransport: TransportLoader = (mode) => loadTransportIn(mode);

/** The loader for an account in a Twilio region other than us1 (Twilio's hosted init names it in the config). */
export function loadTransportFor(region: string | undefined): TransportLoader {
  return (mode) => loadTransportIn(mode, region);
}

async function loadTransportIn(mode: string, region?: string) {
  switch (mode) {
    case 'conversations':
    case 'local': {
      // The SDK's largest dependencies first, a task each: evaluated in one go with the
      // SDK, they made one task of about 100 ms on a slow machine (#18, no long task on
      // resume). The first stage's import fetches every stage's files (sdk-stages-plugin.ts).
      await import('./sdk-stage-twilsock.ts');
      await nextTask();
      await import('./sdk-stage-notifications.ts');
      await nextTask();
      await import('./sdk-stage-sync.ts');
      await nextTask();
      const module = await import('./conversations-transport.ts');
      await nextTask();
      return () => module.createConversationsTransport(region ? { region } : {});
    }
    case 'legacy': {
      // Legacy Flex Programmable Chat: twilio-chat, in stages as above (legacy-stages.ts).
      const { loadLegacyInStages } = await import('./legacy-stages.ts');
      return loadLegacyInStages();
    }
    default:
      throw new TransportError('rejected', `Unsupported chat mode "${mode}"`);
  }
}
