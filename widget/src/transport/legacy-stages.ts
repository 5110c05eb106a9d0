// LAZY: twilio-chat (legacy Flex Programmable Chat) in stages, a task apart (#18, no
// long task on resume): evaluated in one go, the SDK and its dependencies were one task
// of 130–270 ms on a slow machine. Its twilsock, twilio-sync's own twilsock, the
// notifications and media clients, twilio-sync, then the SDK with its adapter. A chunk
// of its own (load-transport.ts imports it), so that the main chunk carries none of
// this path's file names: the first stage's import fetches every stage's files
// (sdk-stages-plugin.ts).
import type { ChatTransport } from './chat-transport.ts';
import { nextTask } from './next-task.ts';

export async function loadLegacyInStages(): Promise<() => ChatTransport> {
  await import('./legacy-stage-twilsock.ts');
  await nextTask();
  await import('./legacy-stage-sync-twilsock.ts');
  await nextTask();
  await import('./legacy-stage-notifications.ts');
  await nextTask();
  await import('./legacy-stage-twilio-sync.ts');
  await nextTask();
  const module = await import('./legacy-transport.ts');
  await nextTask();
  return () => module.createLegacyTransport();
}
