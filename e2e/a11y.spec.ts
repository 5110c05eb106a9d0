import type { Locator } from '@playwright/test';
import { WIDGET_KNOWN_ISSUES, expect, expectNoA11yViolations, formValues, newVisitor, tabUntilFocused, test } from './kit.ts';

// Zero axe violations (WCAG 2.2 A/AA + best practices) on every widget state a
// visitor can reach today, on the demo pages and on the agent console; and a
// keyboard-only journey. The error state needs a global fault: widget-errors.faults.spec.ts.
const widgetChecks = { knownIssues: WIDGET_KNOWN_ISSUES };

test.describe('accessibility: widget states', () => {
  test('form, chat and ended states have no violations', async ({ demo, agent, visitor }) => {
    // Three axe runs over the page and the widget frame: about 50 s on a busy 2-core machine.
    test.slow();
    await demo.goto();
    const widget = await demo.openChat();
    await expect(widget.preChatForm).toBeVisible();
    await test.step('form', () => expectNoA11yViolations(demo.page, widgetChecks));

    await test.step('form with validation errors', async () => {
      await widget.preChatForm.getByRole('button', { name: 'Start chat' }).click();
      await expect(widget.preChatForm.getByText('Please tell us your name.')).toBeVisible();
      await expectNoA11yViolations(demo.page, widgetChecks);
    });

    await widget.startChat(formValues(visitor));
    await widget.expectMessage('agent', /I'm Alex/);
    await widget.send('Hello!');
    await widget.expectMessage('visitor', 'Hello!');
    await test.step('chat', () => expectNoA11yViolations(demo.page, widgetChecks));

    const conversation = await agent.conversationOf(visitor.email);
    await agent.end(conversation.sid);
    await widget.expectEnded();
    await test.step('ended', () => expectNoA11yViolations(demo.page, widgetChecks));
  });

  test('connection lost (browser offline) has no violations', async ({ demo, context, visitor }) => {
    await demo.goto();
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    await widget.expectMessage('agent', /I'm Alex/);
    await context.setOffline(true);
    await expect(widget.connectionBanner).toBeVisible();
    await expectNoA11yViolations(demo.page, widgetChecks);
    await context.setOffline(false);
    await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
  });

  test('keyboard only: Tab to the launcher, Enter, fill the form, send, Esc closes and focus returns', async ({ demo, page, agent }) => {
    const visitor = newVisitor();
    await demo.goto();

    const tabTo = (target: Locator, max?: number) => tabUntilFocused(page, target, max);

    await tabTo(demo.launcher);
    await expect(demo.launcher).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
    const widget = demo.widget();

    // Focus moves into the widget: the first field of the form.
    const name = widget.preChatForm.getByLabel('Name', { exact: true });
    await expect(name).toBeFocused();
    await page.keyboard.type(visitor.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(visitor.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(visitor.question);
    await tabTo(widget.preChatForm.getByRole('button', { name: 'Start chat' }), 5);
    await page.keyboard.press('Enter');

    await expect(widget.composer).toBeFocused();
    await widget.expectMessage('agent', /I'm Alex/);
    await page.keyboard.type('Typed with the keyboard only');
    await page.keyboard.press('Enter');
    await widget.expectMessage('visitor', 'Typed with the keyboard only');
    const conversation = await agent.conversationOf(visitor.email);
    await agent.waitForMessage(conversation.sid, 'Typed with the keyboard only');

    await page.keyboard.press('Escape');
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'false');
    await expect(demo.widgetIframe).toBeHidden();
    await expect(demo.launcher).toBeFocused();
  });
});

test.describe('accessibility: demo pages', () => {
  for (const path of ['/', '/builder.html', '/examples/strict-csp.html', '/spa/', '/examples/long-page.html', '/examples/dark-left.html']) {
    test(`${path} has no violations`, async ({ page, demo }) => {
      void demo; // opens shadow roots, so axe sees the launcher too
      await page.goto(path);
      await expect(page.locator('flex-chat')).toHaveCount(1);
      await expectNoA11yViolations(page);
    });
  }

  test('agent console with a chat open has no violations', async ({ agentConsole, agent }) => {
    const customer = newVisitor();
    await agent.createWebChat(customer.name, { email: customer.email, question: customer.question });
    await agentConsole.goto();
    await agentConsole.open(customer.name);
    await agentConsole.expectMessage('agent', /I'm Alex/);
    await expectNoA11yViolations(agentConsole.page);
  });

  test('agent console by keyboard: reach a chat with Tab, open it, reply and end it', async ({ agentConsole, agent }) => {
    const customer = newVisitor();
    const conversation = await agent.createWebChat(customer.name, { email: customer.email });
    await agent.waitForAgent(conversation.sid);
    await agentConsole.goto();
    const page = agentConsole.page;
    await expect(agentConsole.queueItem(customer.name)).toBeVisible();

    await tabUntilFocused(page, agentConsole.queueItem(customer.name), 200);
    await page.keyboard.press('Enter');
    await expect(agentConsole.chatName).toHaveText(customer.name);
    await expect(agentConsole.reply).toBeFocused();
    await page.keyboard.type('Answered without a mouse');
    await page.keyboard.press('Enter');
    await agentConsole.expectMessage('agent', 'Answered without a mouse');

    await tabUntilFocused(page, agentConsole.endButton, 30);
    await page.keyboard.press('Enter');
    await expect(agentConsole.chatStatus).toHaveText('Ended');
    await expect(agentConsole.chat).toBeFocused();
  });
});
