import { agents, expect, formatString, formValues, test, transferChat, widgetStrings } from './kit.ts';

// Issue 16 acceptance: a visitor whose browser speaks Spanish sees the whole widget in
// Spanish (the deployment's own texts per locale, flexchat.config.json, and the widget's
// catalogue), is handed from Alex to Kim, keeps Alex's name on Alex's messages, ends the
// chat and reads a Spanish transcript. Only the kit's locale-independent page objects.
test.use({ locale: 'es-ES' });

const es = widgetStrings('es');
const title = 'Chatea con el soporte de Acme'; // textsByLocale.es.title

test('a Spanish visitor: everything in Spanish, a transfer from Alex to Kim, names kept, a Spanish transcript', async ({ demo, agent, visitor }) => {
  await test.step('the launcher, the chat title and the form speak Spanish', async () => {
    await demo.goto();
    await expect(demo.launcher).toHaveAttribute('aria-label', 'Chatea con nosotros');
    const widget = await demo.openChat();
    await widget.expectLocale('es');
    await expect(demo.widgetIframe).toHaveAttribute('title', title);
    await expect(widget.title).toHaveText(title);
    await expect(widget.preChatForm).toHaveAccessibleName(es.formLabel);
    await expect(widget.preChatForm.getByRole('heading')).toHaveText('Antes de empezar');
    await expect(widget.preChatForm.getByText('Dinos quién eres y qué necesitas. Un agente se unirá en breve.')).toBeVisible();
    await expect(widget.field('friendlyName')).toHaveAccessibleName('Nombre');
    await expect(widget.field('email')).toHaveAccessibleName('Correo electrónico');
    await expect(widget.field('question')).toHaveAccessibleName('¿En qué podemos ayudarte?');
    await expect(widget.submitButton).toHaveText('Empezar el chat');

    await widget.submitButton.click(); // empty: the config's Spanish error texts
    await expect(widget.preChatForm.getByText('Dinos tu nombre.')).toBeVisible();
    await widget.startChat(formValues(visitor));
  });

  const widget = demo.widget();
  const conversation = await agent.conversationOf(visitor.email);
  const sid = conversation.sid;

  await test.step('Alex takes the chat; the question is the first message, the chrome is Spanish', async () => {
    await agent.waitForAgent(sid, agents.alex.identity);
    await widget.expectJoined('Alex'); // "Alex se ha unido al chat"
    await widget.expectMessageFrom(es.you, visitor.question);
    await expect(widget.composer).toHaveAttribute('placeholder', es.composerPlaceholder);
    await expect(widget.composer).toHaveAccessibleName(es.messageLabel);
    await expect(widget.sendButton).toHaveText(es.sendLabel);
    await expect(widget.endChatButton).toHaveText(es.endChat);
    await expect(widget.messageLog).toHaveAccessibleName(es.messagesLabel);
    await agent.sendAs(sid, agents.alex, 'Hola, te paso con Kim, que lleva los envíos.');
    await widget.expectMessageFrom('Alex', 'Hola, te paso con Kim');
  });

  await test.step('Alex transfers to Kim: Kim joins, Alex leaves, and Alex keeps his name on his messages', async () => {
    await transferChat(agent, widget, sid, agents.kim); // "Kim se ha unido al chat"
    await widget.expectLeft('Alex');
    await agent.sendAs(sid, agents.kim, 'Hola, soy Kim. Tu pedido sale mañana.');
    await widget.expectMessageFrom('Kim', 'Tu pedido sale mañana');
    await widget.expectMessageFrom('Alex', 'Hola, te paso con Kim');
    await expect(widget.messages('agent').filter({ hasText: es.agentFallbackName })).toHaveCount(0);
    await widget.send('¡Gracias, Kim!');
    await agent.waitForMessage(sid, '¡Gracias, Kim!');
  });

  await test.step('the visitor ends the chat and reads a Spanish transcript', async () => {
    await widget.endChat();
    await expect(widget.frame.locator('.fc-ended > [role="status"]')).toHaveText(es.ended);
    await expect(widget.downloadTranscriptButton).toHaveText(es.downloadTranscript);
    await expect(widget.startNewButton).toHaveText(es.startNew);

    const transcript = await widget.downloadTranscript();
    expect(transcript.fileName).toMatch(/^transcripcion-chat-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(transcript.heading).toBe(`${es.transcriptTitle}: ${title}`);
    expect(transcript.days[0]).toMatch(/^(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+ de \d{4}$/);

    const by = (author: string) => transcript.messages.filter((m) => m.author === author).map((m) => m.text);
    expect(by(es.you)).toEqual([visitor.question, '¡Gracias, Kim!']);
    expect(by('Alex')).toHaveLength(2); // the simulated agent's greeting, then the hand-over
    expect(by('Alex')[1]).toBe('Hola, te paso con Kim, que lleva los envíos.');
    expect(by('Kim')).toEqual(['Hola, soy Kim. Tu pedido sale mañana.']);
    expect(transcript.messages.map((m) => m.author)).not.toContain(es.agentFallbackName);

    const handOver = transcript.entries.findIndex((e) => e.text.startsWith('Hola, te paso con Kim'));
    const kimJoined = transcript.entries.findIndex((e) => e.author === null && e.text === formatString(es.joined, { name: 'Kim' }));
    const kimSpoke = transcript.entries.findIndex((e) => e.author === 'Kim');
    expect(handOver).toBeGreaterThanOrEqual(0);
    expect(kimJoined).toBeGreaterThan(handOver);
    expect(kimSpoke).toBeGreaterThan(kimJoined);
    expect(transcript.notices).toEqual(
      expect.arrayContaining([formatString(es.joined, { name: 'Alex' }), formatString(es.joined, { name: 'Kim' }), formatString(es.left, { name: 'Alex' })]),
    );
  });
});
