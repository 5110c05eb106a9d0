import { expect, formValues, test } from './kit.ts';

// The acceptance of the agent console: a person in the console and a visitor in
// the widget hold a whole conversation, in two browser windows (two contexts).
test('agent console and widget hold a full conversation in two windows', async ({ demo, agentConsole, agent, visitor, page }) => {
  await test.step('the agent opens the console as Alex', async () => {
    await agentConsole.goto();
  });

  const widget = await test.step('a visitor starts a chat from the shop', async () => {
    await demo.goto();
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    return widget;
  });

  await test.step('the chat arrives in the queue with its pre-engagement data', async () => {
    await agentConsole.open(visitor.name);
    await expect(agentConsole.preEngagement).toContainText(visitor.email);
    await expect(agentConsole.preEngagement).toContainText(visitor.question);
    await agentConsole.pickUp();
    await expect(agentConsole.chatStatus).toHaveText('With Alex');
  });

  await test.step('visitor and agent talk; each sees the other live', async () => {
    // Alex may have been assigned by the emulator's automatic accept (which greets) or by
    // the console's Accept click (which does not), whichever came first: the join is in both.
    await widget.expectJoined('Alex');
    await widget.send('Hi! Is the Ridgeline 2 in stock?');
    await agentConsole.expectMessage('visitor', 'Hi! Is the Ridgeline 2 in stock?');

    await agentConsole.reply.fill('Let me check');
    await expect(widget.typingIndicator).toContainText('Alex is typing');
    await agentConsole.reply.fill('Yes, we have 4 left in green.');
    await agentConsole.reply.press('Enter');
    await widget.expectMessage('agent', 'Yes, we have 4 left in green.');
  });

  await test.step("the console shows the visitor's read state", async () => {
    // The widget is open and focused, so it marks the agent's message read.
    await expect(agentConsole.messages('agent').filter({ hasText: 'Yes, we have 4 left in green.' })).toContainText('Seen');
  });

  await test.step('the agent sends a file with a caption', async () => {
    await agentConsole.sendFile({ name: 'size-guide.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% size guide\n') }, 'Here is our size guide.');
    await widget.expectMessage('agent', 'Here is our size guide.');
    await expect(widget.attachment('size-guide.pdf')).toBeVisible();
    const conversation = await agent.conversationOf(visitor.email);
    const messages = await agent.messages(conversation.sid);
    // Flex takes text or a file per message: the caption, then the file marked partOf it.
    const caption = messages.find((m) => m.body === 'Here is our size guide.');
    const file = messages.find((m) => m.media.some((x) => x.filename === 'size-guide.pdf'));
    expect(caption?.media).toEqual([]);
    expect(file?.media[0]).toMatchObject({ filename: 'size-guide.pdf', contentType: 'application/pdf' });
    expect(file?.index).toBe((caption?.index ?? -2) + 1);
    expect(file?.attributes).toEqual({ partOf: (caption?.attributes as { clientMessageId?: string } | undefined)?.clientMessageId });
  });

  await test.step("the visitor opens the agent's file: a short-lived URL from the media service", async () => {
    // The first media request of this chat: only now does the SDK's media client load (mcs-lazy-client.ts).
    const mediaClientLoaded = () =>
      widget.frame.locator('body').evaluate(() => performance.getEntriesByType('resource').some((entry) => /\/mcs-media-client-[\w-]+\.js$/.test(entry.name)));
    expect(await mediaClientLoaded()).toBe(false);
    // A new tab asks for it (Chromium then saves the PDF rather than showing it).
    const asked = page.context().waitForEvent('request', (request) => /\/Media\/ME[0-9a-f]{32}\/Content\?Expires=\d+&Signature=/.test(request.url()));
    await widget.attachment('size-guide.pdf').click();
    const response = await page.request.get((await asked).url());
    expect(await response.text()).toBe('%PDF-1.4\n% size guide\n');
    expect(await mediaClientLoaded()).toBe(true);
  });

  await test.step('the visitor sends a photo; the console links it', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await widget.sendFile({ name: 'tent-damage.png', mimeType: 'image/png', buffer: png }, 'This is the tear');
    await agentConsole.expectMessage('visitor', 'This is the tear');
    const link = agentConsole.messageLog.getByRole('link', { name: /tent-damage\.png/ });
    await expect(link).toBeVisible();
    // Two messages (Flex takes text or a file), shown as one on both sides.
    // (`has` takes a locator relative to the article: the link's own starts at the log, above it.)
    const fileMessage = agentConsole.messageLog.locator('article').filter({ has: link.page().getByRole('link', { name: /tent-damage\.png/ }) });
    await expect(fileMessage).toHaveClass(/msg--continued/);
    const photo = widget.messages('visitor').filter({ has: widget.frame.getByRole('img', { name: 'tent-damage.png' }) });
    await expect(photo).not.toHaveClass(/fc-msg--start/);
    await expect(photo).not.toContainText('This is the tear');
  });

  await test.step('the agent transfers the chat to Sam, who carries on', async () => {
    await agentConsole.transfer('Sam');
    await expect(agentConsole.reply).toHaveAccessibleName('Reply as Sam');
    await agentConsole.send('Hi, Sam here. Anything else?');
    await widget.expectMessage('agent', 'Hi, Sam here. Anything else?');
    await widget.send('No, thanks!');
    await agentConsole.expectMessage('visitor', 'No, thanks!');
  });

  await test.step('Alex takes the chat back from Sam', async () => {
    await agentConsole.takeOverButton.click();
    await expect(agentConsole.chatStatus).toHaveText('With Alex');
    await expect(agentConsole.reply).toHaveAccessibleName('Reply as Alex');
  });

  await test.step('the agent ends the chat; the widget shows it has ended', async () => {
    await agentConsole.end();
    await widget.expectEnded();
    await expect(agentConsole.reply).toBeDisabled();
  });
});
