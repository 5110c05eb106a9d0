import { chatWithAgent, expect, expectNoA11yViolations, tabUntilFocused, test } from './kit.ts';

// Issue 17, feature 1: rich replies with Twilio Content templates. The agent sends
// the emulator's seeded templates (HX…01–04) through the agent API; the widget gets
// them through the real @twilio/conversations SDK (message.contentSid,
// getContentData()) and draws them from its lazy chunk; the visitor answers with
// the keyboard, the agent receives the answer (the reply's id in its attributes)
// and the buttons lock, also after a reload.

const TEMPLATES = {
  quickReply: 'HX00000000000000000000000000000001',
  callToAction: 'HX00000000000000000000000000000002',
  listPicker: 'HX00000000000000000000000000000003',
  card: 'HX00000000000000000000000000000004',
};

test('the four content types render; quick replies and the list are answered by keyboard and lock', async ({ demo, agent, visitor, page }) => {
  // One story, seven axe runs and a reload: longer than the suite's 60 s default on a shared machine.
  test.setTimeout(150_000);
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  const log = widget.messageLog;
  const replies = log.getByRole('group', { name: 'Suggested replies' }).first();

  await test.step('quick replies: the template text and its buttons (axe-clean)', async () => {
    await agent.sendContent(conversation.sid, TEMPLATES.quickReply, { '1': visitor.name });
    await widget.expectMessage('agent', `Hi ${visitor.name}! What can we help you with?`);
    await expect(replies.getByRole('button')).toHaveText(['Billing', 'Technical issue', 'Something else']);
    await expectNoA11yViolations(page);
  });

  await test.step('call to action: a web link in a new tab, a phone number as tel: (axe-clean)', async () => {
    await agent.sendContent(conversation.sid, TEMPLATES.callToAction);
    const help = log.getByRole('link', { name: 'Help centre (opens in a new tab)' });
    await expect(help).toHaveAttribute('href', 'https://example.com/help');
    await expect(help).toHaveAttribute('target', '_blank');
    await expect(help).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(log.getByRole('link', { name: 'Call us' })).toHaveAttribute('href', 'tel:+15551234567');
    await expectNoA11yViolations(page);
  });

  await test.step('card: title, subtitle and its actions (axe-clean)', async () => {
    await agent.sendContent(conversation.sid, TEMPLATES.card);
    const card = log.locator('.fc-rich-card');
    await expect(card.getByText('Your order has shipped')).toBeVisible();
    await expect(card.getByText('Arrives on Friday')).toBeVisible();
    await expect(card.getByRole('button', { name: 'Thanks!' })).toBeVisible();
    await expectNoA11yViolations(page);
  });

  await test.step('list picker: the menu button opens a listbox (axe-clean open and closed)', async () => {
    await agent.sendContent(conversation.sid, TEMPLATES.listPicker);
    await widget.expectMessage('agent', 'Which plan are you on?');
    const menu = log.getByRole('button', { name: 'Choose a plan' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expectNoA11yViolations(page);
    await tabUntilFocused(page, menu);
    await page.keyboard.press('ArrowDown');
    const listbox = log.getByRole('listbox', { name: 'Choose a plan' });
    await expect(listbox).toBeFocused();
    await expect(listbox.getByRole('option')).toHaveCount(3);
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');
    await expect(listbox).toHaveCount(0);
    await expect(menu).toBeFocused();
  });

  await test.step('the visitor answers the quick reply with the keyboard; the agent receives it; the buttons lock (axe-clean)', async () => {
    const billing = replies.getByRole('button', { name: 'Billing' });
    await tabUntilFocused(page, billing);
    await page.keyboard.press('Enter');
    await widget.expectMessage('visitor', 'Billing');
    await expect.poll(async () => (await agent.messages(conversation.sid)).some((m) => m.body === 'Billing')).toBe(true);
    // The reply's id travels in the message's attributes, for a bot to match on (contracts/rich-answer.ts).
    const answer = (await agent.messages(conversation.sid)).find((m) => m.body === 'Billing');
    expect(answer?.attributes).toMatchObject({ ButtonPayload: 'topic_billing' });
    for (const button of await replies.getByRole('button').all()) await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(replies.getByRole('button', { name: 'Billing (your answer)' })).toBeFocused();
    await expectNoA11yViolations(page);
  });

  await test.step('every rich button before the answer is locked; the links still work', async () => {
    await expect(log.getByRole('button', { name: 'Choose a plan' })).toHaveAttribute('aria-disabled', 'true');
    await expect(log.getByRole('button', { name: 'Thanks!' })).toHaveAttribute('aria-disabled', 'true');
    await expect(log.getByRole('link', { name: 'Help centre (opens in a new tab)' })).not.toHaveAttribute('aria-disabled', /.*/);
  });

  await test.step('a new list after the answer is open; picking with the keyboard sends the item', async () => {
    await agent.sendContent(conversation.sid, TEMPLATES.listPicker);
    const menu = log.getByRole('button', { name: 'Choose a plan' }).last();
    await expect(menu).not.toHaveAttribute('aria-disabled', 'true');
    await tabUntilFocused(page, menu);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await widget.expectMessage('visitor', 'Team');
    await expect.poll(async () => (await agent.messages(conversation.sid)).some((m) => m.body === 'Team')).toBe(true);
    await expect(menu).toHaveAttribute('aria-disabled', 'true');
    await expect(menu).toBeFocused();
  });

  await test.step('after a reload the answered buttons are still locked (axe-clean)', async () => {
    await page.reload();
    const again = await demo.openChat();
    await again.expectMessage('visitor', 'Team');
    const group = again.messageLog.getByRole('group', { name: 'Suggested replies' }).first();
    await expect(group.getByRole('button', { name: 'Billing (your answer)' })).toHaveAttribute('aria-disabled', 'true');
    await expect(group.getByRole('button', { name: 'Technical issue' })).toHaveAttribute('aria-disabled', 'true');
    await expectNoA11yViolations(page);
  });
});

test('the agent console sends a template from its picker; the widget draws it; the console notes which reply answered it', async ({ demo, agent, visitor, agentConsole }) => {
  const { widget } = await chatWithAgent(demo, agent, visitor);
  await agentConsole.goto();
  await agentConsole.open(visitor.name);
  await agentConsole.sendTemplate('Quick reply: topic (quick-reply)');
  await expect(agentConsole.messageLog.getByText(`Template ${TEMPLATES.quickReply}`)).toBeVisible();
  await widget.expectMessage('agent', `Hi ${visitor.name}! What can we help you with?`);
  await expect(widget.messageLog.getByRole('group', { name: 'Suggested replies' }).getByRole('button')).toHaveCount(3);
  await expectNoA11yViolations(agentConsole.page);

  // The visitor's answer, and which reply it was, from the message's attributes.
  await widget.messageLog.getByRole('button', { name: 'Technical issue' }).click();
  const answer = agentConsole.messageLog.locator('article').filter({ hasText: 'Technical issue' });
  await expect(answer.getByText('Answered with reply topic_tech')).toBeVisible();
  await expectNoA11yViolations(agentConsole.page);
});
