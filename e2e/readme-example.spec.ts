// The worked example of e2e/README.md, kept as a real spec so the README stays true.
import { agents, chatWithAgent, expect, formValues, test, transferChat, widgetStrings } from './kit.ts';

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

// The worked example's second test (e2e/README.md, "Worked example"): the same kit, in Spanish.
test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' }); // the visitor's browser speaks Spanish

  test('Alex hands over to Kim; the transcript keeps who said what', async ({ demo, agent, visitor }) => {
    const es = widgetStrings('es');
    const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
    await widget.expectLocale('es');
    await expect(widget.sendButton).toHaveText(es.sendLabel); // "Enviar"

    await agent.sendAs(conversation.sid, agents.alex, 'Te paso con Kim.');
    await transferChat(agent, widget, conversation.sid, agents.kim); // "Kim se ha unido al chat"
    await agent.sendAs(conversation.sid, agents.kim, 'Hola, soy Kim.');
    await widget.expectMessageFrom('Kim', 'Hola, soy Kim.');
    await widget.expectMessageFrom('Alex', 'Te paso con Kim.'); // still Alex's

    await widget.endChat();
    const transcript = await widget.downloadTranscript();
    expect(transcript.heading).toBe(`${es.transcriptTitle}: Chatea con el soporte de Acme`);
    expect(transcript.messages.find((m) => m.text === 'Te paso con Kim.')?.author).toBe('Alex');
    expect(transcript.messages.find((m) => m.text === 'Hola, soy Kim.')?.author).toBe('Kim');
  });
});
