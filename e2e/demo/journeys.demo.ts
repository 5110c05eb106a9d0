import { expect, formValues, newVisitor, test } from '../kit.ts';
import { scene } from './narrator.ts';

// The narrated demo QA shows to stakeholders: `npm run demo:e2e`.
// Each scene title is the narration (captions on screen, steps in the report).

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('1. A site owner adds the chat with one snippet', async ({ demo, page }) => {
  await scene([page], 'This is an ordinary shop website. The chat button in the corner comes from one pasted snippet.', async () => {
    await demo.goto();
  });
  await scene([page], 'The page shows the exact snippet it runs: two script tags, nothing else.', async () => {
    await page.locator('[data-snippet]').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Copy the snippet' }).click();
    await expect(page.locator('[data-copy-status]')).toContainText(/copied|selected/);
  });
  await scene([page], 'Nothing heavy loads until the visitor shows intent: the chat iframe appears on hover, focus or click.', async () => {
    await expect(demo.widgetIframe).toHaveCount(0);
    await demo.launcher.hover();
    await expect(demo.widgetIframe).toHaveCount(1);
  });
});

test('2. A visitor and an agent hold a conversation', async ({ demo, page, agentConsole }) => {
  const visitor = newVisitor({ name: 'Zoë', question: 'Does the Ridgeline 2 fit two people with packs?' });
  const both = [page, agentConsole.page];

  await scene([agentConsole.page], 'The agent opens the console: it shows the queue of chats from Twilio Flex (the local emulator).', async () => {
    await agentConsole.goto();
  });
  const widget = await scene([page], 'A visitor opens the chat and answers the pre-chat form.', async () => {
    await demo.goto();
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    return widget;
  });
  await scene(both, "The chat arrives in the agent's queue with the visitor's answers.", async () => {
    await agentConsole.queueItem(visitor.name).first().click();
    await expect(agentConsole.preEngagement).toContainText(visitor.question);
    await agentConsole.pickUp();
  });
  await scene(both, 'The agent answers; the visitor sees the agent typing, then the reply.', async () => {
    await agentConsole.reply.pressSequentially('Yes, with room to spare: the vestibules take two 45 l packs.', { delay: 15 });
    await expect(widget.typingIndicator).toBeVisible();
    await agentConsole.reply.press('Enter');
    await widget.expectMessage('agent', 'the vestibules take two 45 l packs');
  });
  await scene(both, 'The visitor replies; the console shows it live, and shows when the visitor has read the answer.', async () => {
    await widget.composer.pressSequentially('Great, and how heavy is it?', { delay: 15 });
    await widget.composer.press('Enter');
    await agentConsole.expectMessage('visitor', 'how heavy is it?');
    await expect(agentConsole.messageLog.getByText('Seen')).toBeVisible();
  });
  await scene(both, 'The agent sends the spec sheet as an attachment.', async () => {
    await agentConsole.sendFile({ name: 'ridgeline-2-specs.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Ridgeline 2: 1.9 kg\n') }, '1.9 kg. Here is the spec sheet.');
    await widget.expectMessage('agent', 'Here is the spec sheet.');
  });
  await scene(both, 'The agent transfers the chat to a colleague, who takes over.', async () => {
    await agentConsole.transfer('Sam');
    await agentConsole.send('Hi Zoë, Sam here from the gear team. Anything else?');
    await widget.expectMessage('agent', 'Sam here from the gear team');
  });
  await scene(both, 'The agent ends the chat. The visitor can download the transcript or start again.', async () => {
    await agentConsole.end();
    await widget.expectEnded();
  });
});

test('3. A marketer changes the pre-chat form without a developer', async ({ page, demo }) => {
  void demo; // shadow roots open, so the demo can point at the launcher
  await scene([page], 'The form builder edits the pre-chat form, colours and language of the chat.', async () => {
    await page.goto('/builder.html');
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  });
  await scene([page], 'The marketer adds a field for the order number…', async () => {
    await page.getByLabel('New field type').selectOption({ label: 'Short text' });
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.locator('#f3-label').selectText(); // typed over the default label
    await page.locator('#f3-label').pressSequentially('Order number', { delay: 20 });
    await page.locator('#f3-name').fill('order number');
  });
  await scene([page], '…and every mistake is pointed out at the field, in plain words.', async () => {
    await expect(page.locator('#problems')).toContainText('must start with a letter and use only letters, digits and _');
    await page.locator('#problems').getByRole('link').first().click();
    await page.locator('#f3-name').fill('orderNumber');
    await page.locator('#f3-pattern').fill('^[0-9]{5}$');
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  });
  await scene([page], 'A new brand colour shows at once on the real chat button of this page.', async () => {
    await page.getByLabel('Main colour', { exact: true }).fill('#b3261e');
    await expect(page.getByRole('button', { name: 'Chat with us' })).toHaveCSS('background-color', 'rgb(179, 38, 30)');
  });
  await scene([page], 'The real chat on this page previews every valid edit live, before anything is saved.', async () => {
    await page.getByRole('button', { name: 'Open the chat' }).click();
    const widget = page.frameLocator('iframe[title]');
    await expect(widget.getByRole('textbox', { name: /^Order number/ })).toBeVisible();
    const label = page.locator('#f0-label');
    await label.selectText();
    await label.pressSequentially('Your full name', { delay: 20 });
    await expect(widget.getByRole('textbox', { name: /^Your full name/ })).toBeVisible();
    await expect(widget.locator('.fc-header')).toHaveCSS('background-color', 'rgb(179, 38, 30)');
    await page.getByRole('button', { name: 'Chat with us' }).click(); // the panel would cover the export
    await expect(page.locator('iframe[title]')).toBeHidden();
  });
  await scene([page], 'The result is a validated flexchat.config.json and the snippet, ready to hand over.', async () => {
    await page.getByLabel('flexchat.config.json').scrollIntoViewIfNeeded();
    await expect(page.getByLabel('flexchat.config.json')).toHaveValue(/"orderNumber"/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download flexchat.config.json' }).click();
    expect((await download).suggestedFilename()).toBe('flexchat.config.json');
  });
});

test('4. When Flex has a hiccup, the visitor is told and can retry', async ({ demo, page, faults }) => {
  const visitor = newVisitor({ name: 'Ivo' });
  const widget = await scene([page], 'QA makes Twilio Flex refuse the next chat (the emulator injects the fault).', async () => {
    await faults.fail({ path: '/v2/WebChats', method: 'POST', status: 503 });
    await demo.goto();
    return demo.openChat();
  });
  await scene([page], 'The visitor gets a clear message and a Retry button, with focus on it.', async () => {
    await widget.fillPreChatForm(formValues(visitor));
    await widget.preChatForm.getByRole('button', { name: 'Start chat' }).click();
    await expect(widget.errorAlert).toBeVisible();
    await expect(widget.retryButton).toBeFocused();
  });
  await scene([page], 'Flex is back: one click and the chat starts.', async () => {
    await widget.retryButton.click();
    await widget.expectMessage('agent', /I'm Alex/);
  });
});

test('5. The chat works on demanding sites too', async ({ page, demo }) => {
  const visitor = newVisitor({ name: 'Kim' });
  await scene([page], 'A checkout page with a strict Content-Security-Policy: nonces only, no inline code.', async () => {
    await page.goto('/examples/strict-csp.html');
    await expect(page.locator('#csp-header')).toContainText("script-src 'nonce-");
  });
  await scene([page], 'A single-page app: the chat stays open while the visitor moves between routes.', async () => {
    await demo.goto('/spa/');
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    await page.getByRole('navigation', { name: 'App' }).getByRole('link', { name: 'Order #1042' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Order #1042');
    await widget.send('I am looking at order 1042 now');
    await widget.expectMessage('visitor', 'order 1042');
  });
});
