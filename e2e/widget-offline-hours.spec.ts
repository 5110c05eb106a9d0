import type { Page } from '@playwright/test';
import type { OfflineMessage } from '../contracts/offline-message.ts';
import { WIDGET_KNOWN_ISSUES, expect, expectNoA11yViolations, localOrigins, test, type DemoPage, type WidgetFrame } from './kit.ts';

// Outside business hours (issue 5). The demo origin is a preview origin of the
// deployment, so the host page lays closed hours over the config with
// FlexChat('preview', …) instead of the suite needing its own build.

const widgetChecks = { knownIssues: WIDGET_KNOWN_ISSUES };
const everyDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));

async function preview(page: Page, settings: Record<string, unknown> | null): Promise<void> {
  await page.evaluate((s) => (window as unknown as { FlexChat: (command: 'preview', settings: unknown) => void }).FlexChat('preview', s), settings);
}

/** The demo page with the widget open on its offline screen. */
async function openClosed(demo: DemoPage, settings: Record<string, unknown>): Promise<WidgetFrame> {
  await demo.goto();
  await preview(demo.page, settings);
  const widget = await demo.openChat();
  await expect(widget.frame.getByRole('heading', { level: 2, name: 'We are closed right now' })).toBeVisible();
  return widget;
}

test('leave a message outside business hours: accessible form, failed delivery keeps the text, retry, arrives in the agent inbox', async ({
  demo,
  visitor,
  agentConsole,
  request,
}) => {
  // Several axe runs and a failed then retried delivery: close to a minute on a busy 2-core machine.
  test.slow();
  const widget = await openClosed(demo, { businessHours: { timezone: 'UTC', weekly: {} }, offline: { mode: 'leaveMessage' } });
  const form = widget.frame.getByRole('form', { name: 'Leave a message' });
  await expect(form).toBeVisible();
  await test.step('offline screen with the form: no axe violations', () => expectNoA11yViolations(demo.page, widgetChecks));

  await test.step('errors are linked to their fields and announced; no violations', async () => {
    await form.getByRole('button', { name: 'Send message' }).click();
    const name = form.getByRole('textbox', { name: 'Your name' });
    await expect(name).toBeFocused();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/This field is required\./);
    await expectNoA11yViolations(demo.page, widgetChecks);
  });

  const text = `Please call me back about order ${visitor.email.split('@')[0]}.\nThanks!`;
  await form.getByRole('textbox', { name: 'Your name' }).fill(visitor.name);
  await form.getByRole('textbox', { name: 'Email' }).fill(visitor.email);
  await form.getByRole('textbox', { name: 'Message' }).fill(text);

  await test.step('the webhook fails once: the visitor is told, the text stays, Retry sends it', async () => {
    // Only this page's first request fails (a route, not a global emulator fault).
    await demo.page.route(
      `${localOrigins.tokenService}/webchat/message`,
      (route) =>
        route.fulfill({
          status: 502,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': localOrigins.widget },
          body: JSON.stringify({ error: { code: 'delivery_failed', message: 'The message could not be delivered right now; try again shortly' } }),
        }),
      { times: 1 },
    );
    await form.getByRole('button', { name: 'Send message' }).click();
    const alert = form.getByRole('alert');
    await expect(alert).toContainText('Your message could not be delivered. It is still here: please try again.');
    await expect(form.getByRole('textbox', { name: 'Message' })).toHaveValue(text);
    await expectNoA11yViolations(demo.page, widgetChecks);
    await alert.getByRole('button', { name: 'Retry' }).click();
  });

  const confirmation = widget.frame.getByRole('status').filter({ hasText: "Thanks, we'll reply by email." });
  await expect(confirmation).toBeVisible();
  await expect(confirmation).toBeFocused();
  await test.step('confirmation: no axe violations', () => expectNoA11yViolations(demo.page, widgetChecks));

  await test.step('the message is in the emulator inbox once, through the agent API', async () => {
    await expect
      .poll(async () => {
        const response = await request.get(`${localOrigins.emulator}/agent/offline-messages`);
        const { messages } = (await response.json()) as { messages: OfflineMessage[] };
        return messages.filter((m) => m.email === visitor.email).map((m) => ({ name: m.name, message: m.message, locale: m.context?.locale }));
      })
      .toEqual([{ name: visitor.name, message: text, locale: 'en' }]);
  });

  await test.step('and in the agent console, under "Messages left outside hours"', async () => {
    await agentConsole.goto();
    const inbox = agentConsole.page.getByRole('region', { name: 'Messages left outside hours' });
    const item = inbox.getByRole('article', { name: `Message from ${visitor.name}` });
    await expect(item).toContainText(visitor.email);
    await expect(item).toContainText('Thanks!');
    await expect(item.getByRole('link', { name: visitor.email })).toHaveAttribute('href', `mailto:${visitor.email}`);
    await expectNoA11yViolations(agentConsole.page, { include: '.offline-inbox' });
  });
});

test('closedMessage: only a clear closed message with the next opening, no form', async ({ demo }) => {
  const today = new Date().toISOString().slice(0, 10);
  const widget = await openClosed(demo, { businessHours: { timezone: 'UTC', weekly: everyDay, closedDates: [today] }, offline: { mode: 'closedMessage' } });
  await expect(widget.frame.getByText('Our team answers chats during business hours.')).toBeVisible();
  await expect(widget.frame.getByText(/^We will be back /)).toBeVisible();
  await expect(widget.frame.getByRole('form')).toHaveCount(0);
  await expect(widget.frame.getByRole('textbox')).toHaveCount(0);
  await expectNoA11yViolations(demo.page, widgetChecks);

  await test.step('FlexChat("preview", null) reverts to the deployment (open): the pre-chat form', async () => {
    await preview(demo.page, null);
    await expect(widget.preChatForm).toBeVisible();
  });
});
