// MemoryTransport, which the session's tests run on, keeps the contract the SDK adapters keep on the emulator.
import { it } from 'vitest';
import { describeTransportContract } from '../testing/transport-contract.ts';
import { MemoryTransport } from './memory-transport.ts';

describeTransportContract('MemoryTransport', it, async () => {
  const transport = new MemoryTransport();
  const credentials = { token: 'token', identity: 'visitor-1', conversationSid: `CH${'0'.repeat(32)}` };
  return {
    transport,
    credentials,
    agentSays: async (body) => {
      transport.pushAgentMessage(body, 'agent.alex');
    },
    agentTypes: async () => transport.setTyping('agent.alex', true),
    visitorReadIndex: async () => transport.readMarks.at(-1),
  };
});
