import { agents, chatWithAgent, expect, expectNoA11yViolations, test } from './kit.ts';

// Issue 17, feature 7: the unread count in the page's title (launcher.unreadInTitle, on in
// the demo's flexchat.config.json), alongside the launcher's badge. Agent messages reach the
// widget through the real Conversations SDK from the emulator; the widget counts those the
// visitor cannot see (panel closed, or scrolled up, or the page hidden) and tells the loader.

test('while the chat is closed, agent messages count in the title and on the launcher; opening restores both', async ({ page, demo, agent, visitor }) => {
  const { conversation } = await chatWithAgent(demo, agent, visitor);
  const title = await page.title();
  expect(title).not.toMatch(/^\(\d+\)/);

  await test.step('closed, two agent messages: "(2) <title>", the badge says 2 and the name says so too', async () => {
    await demo.launcher.click();
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'false');
    await agent.sendAs(conversation.sid, agents.alex, 'Are you still there?');
    await expect(page).toHaveTitle(`(1) ${title}`);
    await agent.sendAs(conversation.sid, agents.alex, 'I can send you the order details.');
    await expect(page).toHaveTitle(`(2) ${title}`);
    await expect(demo.launcher.locator('b')).toHaveText('2');
    await expect(demo.launcher).toHaveAccessibleName('Chat with us, 2 unread');
    // The badge's visible "2" is in the launcher's name (label-content-name-mismatch).
    await expectNoA11yViolations(page);
  });

  await test.step('the page retitles itself (an SPA route): the count stays in front of the new title', async () => {
    await page.evaluate(() => (document.title = 'Order 1234'));
    await expect(page).toHaveTitle('(2) Order 1234');
  });

  await test.step('opening the chat reads the messages: title, badge and name come back', async () => {
    const widget = await demo.openChat();
    await widget.expectMessage('agent', 'I can send you the order details.');
    await expect(page).toHaveTitle('Order 1234');
    await expect(demo.launcher.locator('b')).toHaveText('');
    await expect(demo.launcher).toHaveAccessibleName('Chat with us');
    await expectNoA11yViolations(page);
  });

  await test.step('an agent message read as it arrives (panel open) leaves the title alone', async () => {
    await agent.sendAs(conversation.sid, agents.alex, 'Here they are.');
    await demo.widget().expectMessage('agent', 'Here they are.');
    await expect(page).toHaveTitle('Order 1234');
  });
});

test('the form builder turns the title count on and off (launcher.unreadInTitle)', async ({ page }) => {
  await page.goto('/builder.html');
  const toggle = page.getByLabel('Show the unread count in the page title');
  const config = page.getByLabel('flexchat.config.json');
  // The demo deployment has it on.
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(config).not.toHaveValue(/unreadInTitle/);
  await toggle.check();
  await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  expect((JSON.parse(await config.inputValue()) as { launcher: { unreadInTitle?: boolean } }).launcher.unreadInTitle).toBe(true);
  await expectNoA11yViolations(page);
});
