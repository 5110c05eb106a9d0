import { expect, formValues, newVisitor, test, type DemoPage, type WidgetFrame } from './kit.ts';

// Screenshot checks of the main widget states in light, dark and mobile. Only the
// widget iframe is compared (not the host page); times are masked; tolerances
// absorb font rasterisation differences between machines. Baselines are per
// platform (…-chromium-linux.png); refresh them with
//   npx playwright test e2e/visual.spec.ts --update-snapshots
// after an intended visual change, and review the images before committing.

const SCREENSHOT = {
  maxDiffPixelRatio: 0.04,
  threshold: 0.3,
  animations: 'disabled',
  caret: 'hide',
} as const;

/**
 * Dark scheme. The widget takes theme.mode from its build-time config and has no
 * runtime switch yet (asked of the widget owners), so the check flips the root's
 * data-theme, which is exactly what mode "dark" renders (widget styles.css).
 */
async function useDarkScheme(widget: WidgetFrame): Promise<void> {
  await widget.app.evaluate((el) => el.setAttribute('data-theme', 'dark'));
}

/**
 * The message log is compared message by message, not as a whole: system notices
 * ("Alex joined the chat") arrive in a racy order relative to the greeting, or not
 * at all when the agent joined before the widget connected, and shift everything
 * below them. So whole-panel shots mask the log, and the bubbles get shots of their own.
 */
async function expectBubbles(widget: WidgetFrame, name: string): Promise<void> {
  await expect(widget.messages('agent').first()).toHaveScreenshot(`${name}-agent-bubble.png`, { ...SCREENSHOT, mask: [widget.frame.locator('time')] });
  await expect(widget.messages('visitor').last()).toHaveScreenshot(`${name}-visitor-bubble.png`, { ...SCREENSHOT, mask: [widget.frame.locator('time')] });
}

async function chatState(demo: DemoPage): Promise<WidgetFrame & { email: string }> {
  // A fixed visible name (the greeting shows it) and a unique email (to find the chat).
  const visitor = newVisitor({ name: 'Zoë Example' });
  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat(formValues(visitor));
  await widget.expectMessage('agent', /Hi Zoë Example, I'm Alex/);
  await widget.send('Do you ship to Norway?');
  await expect(widget.messages('visitor').last()).toHaveAttribute('data-delivery', 'sent');
  return Object.assign(widget, { email: visitor.email });
}

async function formState(demo: DemoPage): Promise<WidgetFrame> {
  await demo.goto();
  const widget = await demo.openChat();
  await expect(widget.preChatForm).toBeVisible();
  await expect(widget.preChatForm.getByLabel('Name', { exact: true })).toBeFocused();
  return widget;
}

const masks = (widget: WidgetFrame) => [widget.messageLog];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`widget look, ${scheme}`, () => {
    test(`form (${scheme})`, async ({ demo }) => {
      const widget = await formState(demo);
      if (scheme === 'dark') await useDarkScheme(widget);
      await expect(demo.widgetIframe).toHaveScreenshot(`form-${scheme}.png`, SCREENSHOT);
    });

    test(`chat (${scheme})`, async ({ demo }) => {
      const widget = await chatState(demo);
      if (scheme === 'dark') await useDarkScheme(widget);
      await expect(demo.widgetIframe).toHaveScreenshot(`chat-${scheme}.png`, { ...SCREENSHOT, mask: masks(widget) });
      await expectBubbles(widget, `chat-${scheme}`);
    });
  });
}

test('ended (light)', async ({ demo, agent }) => {
  const widget = await chatState(demo);
  const conversation = await agent.conversationOf(widget.email);
  await agent.end(conversation.sid);
  await widget.expectEnded();
  await expect(demo.widgetIframe).toHaveScreenshot('ended-light.png', { ...SCREENSHOT, mask: masks(widget) });
});

test.describe('widget look, mobile', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('form (mobile): the panel fills the screen', async ({ demo, page }) => {
    await formState(demo);
    const box = await demo.widgetIframe.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await expect(page).toHaveScreenshot('form-mobile.png', SCREENSHOT);
  });

  test('chat (mobile)', async ({ demo, page }) => {
    const widget = await chatState(demo);
    await expect(page).toHaveScreenshot('chat-mobile.png', { ...SCREENSHOT, mask: masks(widget) });
    await expectBubbles(widget, 'chat-mobile');
  });
});
