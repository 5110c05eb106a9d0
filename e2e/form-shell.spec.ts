import type { Page } from '@playwright/test';
import { expect, expectNoA11yViolations, localOrigins, newVisitor, test, WIDGET_KNOWN_ISSUES, type DemoPage } from './kit.ts';

// The form shell (widget/src/shell): index.html carries the pre-chat form, prerendered at
// build time, and a small boot script shows it before the app's chunk has run. Here that
// chunk is held back while the visitor types: nothing typed may be lost when the app
// takes over, a submit made in the shell starts the chat, and the shell is as accessible
// as the app's form. (Held less than the loader's 5 s handshake limit, after which it
// shows "The chat could not be loaded" instead of the frame: api-timings.ts.)

/** Holds the widget's main chunk (the app: React, the session) until `release()`. */
async function holdAppChunk(page: Page): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.origin === localOrigins.widget && /^\/assets\/index-[\w-]+\.js$/.test(url.pathname),
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return { release };
}

async function openShell(demo: DemoPage) {
  await demo.goto();
  const widget = await demo.openChat();
  // The shell, not the app: the app's chunk has not arrived.
  await expect(widget.frame.locator('#root[data-fc-shell] form.fc-form')).toBeVisible();
  return widget;
}

test.describe('form shell', () => {
  test('a visitor types and submits before the app runs: nothing is lost, the chat starts', async ({ demo, agent }) => {
    const visitor = newVisitor();
    const app = await holdAppChunk(demo.page);
    const widget = await openShell(demo);

    // As the app does when the panel opens: the first field has focus.
    await expect(widget.field('friendlyName')).toBeFocused();
    await demo.page.keyboard.type(visitor.name);
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.type(visitor.email);
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.type('Before the app');
    // Submitted in the shell: held (no navigation), for the app to replay.
    await widget.submitButton.click();
    await expect(widget.frame.locator('#root[data-fc-shell] form[data-fc-submitted]')).toHaveCount(1);
    expect(demo.page.frames().some((frame) => frame.url().includes('?'))).toBe(false);

    app.release();
    await expect(widget.messageLog).toBeVisible();
    const conversation = await agent.conversationOf(visitor.email);
    expect(conversation.attributes.pre_engagement_data).toMatchObject({ friendlyName: visitor.name, question: 'Before the app' });
  });

  test("the app takes over the answers, the focused field and its caret; the page's identify fills only the rest", async ({ demo }) => {
    const app = await holdAppChunk(demo.page);
    const widget = await openShell(demo);
    await expect(widget.field('friendlyName')).toBeFocused();
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.type('In the shell');
    await demo.page.keyboard.press('Shift+Tab');
    await demo.page.keyboard.press('Shift+Tab');
    await demo.page.keyboard.type('Ada Lovelace');
    // The caret between "Love" and "lace" (e-mail inputs have no caret position to read).
    for (let i = 0; i < 4; i++) await demo.page.keyboard.press('ArrowLeft');

    // The page identifies the visitor meanwhile: its values fill only what the visitor left empty.
    await demo.page.evaluate(() => {
      (window as unknown as { FlexChat: (...args: unknown[]) => void }).FlexChat('identify', { friendlyName: 'From the page', email: 'page@example.com' });
    });

    app.release();
    await expect(widget.frame.locator('#root[data-fc-shell]')).toHaveCount(0);
    await expect(widget.preChatForm).toBeVisible();
    await expect(widget.field('friendlyName')).toBeFocused();
    await demo.page.keyboard.type('-');
    await expect(widget.field('friendlyName')).toHaveValue('Ada Love-lace');
    await expect(widget.field('question')).toHaveValue('In the shell');
    await expect(widget.field('email')).toHaveValue('page@example.com');
    // The app's own form: its validation runs (the e-mail emptied is required), focus goes there.
    await widget.field('email').fill('');
    await widget.submitButton.click();
    await expect(widget.field('email')).toHaveAttribute('aria-invalid', 'true');
    await expect(widget.field('email')).toBeFocused();
  });

  test('the shell has no axe violations, and its fields are labelled and required as the app has them', async ({ page }) => {
    // The widget document on its own (no host page, so no handshake limit), its app held back.
    await holdAppChunk(page);
    await page.goto(`${localOrigins.widget}/`, { waitUntil: 'domcontentloaded' }); // load waits for the held chunk
    const form = page.locator('#root[data-fc-shell] form.fc-form');
    await expect(form).toBeVisible();
    await expect(form).toHaveAttribute('aria-label', 'Pre-chat form');
    for (const name of ['Name', 'Email', 'How can we help?']) await expect(form.getByRole('textbox', { name })).toHaveAttribute('required', '');
    await expectNoA11yViolations(page, { knownIssues: WIDGET_KNOWN_ISSUES });
    await expect(page.locator('#root[data-fc-shell]')).toHaveCount(1); // still the shell that was checked
  });
});

test.describe('form shell, another language', () => {
  // The deployment pins no language: a Spanish browser gets the Spanish form, so the
  // English shell must not show, not even for a moment.
  test.use({ locale: 'es-ES' });

  test('the shell stays out; the app shows the visitor language', async ({ demo }) => {
    const app = await holdAppChunk(demo.page);
    await demo.goto();
    const widget = await demo.openChat();
    await expect(widget.frame.locator('html')).toHaveAttribute('lang', /.+/);
    await expect(widget.frame.locator('#root > *')).toHaveCount(0);
    app.release();
    await widget.expectLocale('es');
    await expect(widget.preChatForm).toBeVisible();
  });
});
