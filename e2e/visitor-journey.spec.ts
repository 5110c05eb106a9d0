import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { expect, test } from './fixtures/test.ts';

test('a visitor starts a chat from the launcher and talks with a Flex agent', async ({ demo, agent, network }) => {
  const email = `zoe+${randomUUID().slice(0, 8)}@example.com`;

  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat({ Name: 'Zoë Ærøskøbing', Email: email, 'How can we help?': 'Where is my order #1234?' });

  // The simulated Flex agent accepts the task and greets the visitor by name.
  await widget.expectMessage('agent', /Hi Zoë Ærøskøbing, I'm Alex/);

  await widget.send('It was due yesterday — any news?');
  await widget.expectMessage('visitor', 'It was due yesterday — any news?');

  // The agent sees the conversation with the pre-engagement data and answers.
  const conversation = await agent.waitForConversation((c) => c.attributes.pre_engagement_data?.email === email);
  expect(conversation.attributes.pre_engagement_data).toMatchObject({ friendlyName: 'Zoë Ærøskøbing', question: 'Where is my order #1234?' });
  await expect.poll(async () => (await agent.messages(conversation.sid)).map((m) => m.body)).toContain('It was due yesterday — any news?');
  await agent.send(conversation.sid, 'It ships today, tracking number follows.');
  await widget.expectMessage('agent', 'It ships today, tracking number follows.');

  // The real SDK from node_modules talked Twilsock to the local emulator, and nothing left the machine.
  const pinnedSdk = createRequire(import.meta.url)('@twilio/conversations/package.json') as { version: string };
  expect(network.websockets().some((url) => url.endsWith('/v3/wsconnect'))).toBe(true);
  expect(network.twilsockInits).toContainEqual(expect.objectContaining({ type: 'conversations', sdk: 'JS', sdkv: pinnedSdk.version }));
  expect(network.offLoopback()).toEqual([]);
});
