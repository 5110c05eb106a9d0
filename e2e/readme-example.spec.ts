// The worked example of e2e/README.md, kept as a real spec so the README stays true.
import { expect, formValues, test } from './kit.ts';

test('a refund question reaches the agent console and is answered', async ({ demo, agentConsole, visitor }) => {
  await agentConsole.goto(); // signed in as Alex (agent.alex)

  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat(formValues({ ...visitor, question: 'Can I get a refund?' }));

  await agentConsole.open(visitor.name);
  await expect(agentConsole.preEngagement).toContainText('Can I get a refund?');
  await agentConsole.pickUp(); // Accept, or take over from the simulated agent
  await agentConsole.send('Yes, within 30 days.');

  await widget.expectMessage('agent', 'Yes, within 30 days.');
  await expect(agentConsole.messages('agent').last()).toContainText('Seen');
});
