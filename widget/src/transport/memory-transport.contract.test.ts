// MemoryTransport, which the session's tests run on, keeps the contract the SDK adapters keep on the emulator.
import { it } from 'vitest';
import { describeTransportContract } from '../testing/transport-contract.ts';
import { MemoryTransport } from './memory-transport.ts';

/** The emulator's HX…01 for "Zoë", as @twilio/conversations' getContentData() resolves it. */
const quickReplyData = {
  type: 'quickReply',
  body: 'Hi Zoë! What can we help you with?',
  replies: [
    { title: 'Billing', id: 'topic_billing' },
    { title: 'Technical issue', id: 'topic_tech' },
    { title: 'Something else', id: 'topic_other' },
  ],
  rawData: '{}',
};

describeTransportContract('MemoryTransport', it, async () => {
  const transport = new MemoryTransport();
  const credentials = { token: 'token', identity: 'visitor-1', conversationSid: `CH${'0'.repeat(32)}` };
  return {
    transport,
    credentials,
    agentSays: async (body) => {
      transport.pushAgentMessage(body, 'agent.alex');
    },
    agentSendsQuickReply: async () => {
      transport.pushAgentContent('Hi Zoë! What can we help you with?', quickReplyData, 'agent.alex');
    },
    hasContent: true,
    agentTypes: async () => transport.setTyping('agent.alex', true),
    visitorReadIndex: async () => transport.readMarks.at(-1),
  };
});
