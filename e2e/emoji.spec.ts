import { validateDeploymentConfig } from '../config/validate.ts';
import { chatWithAgent, expect, expectNoA11yViolations, openClosedShadowRoots, test } from './kit.ts';

// Issue 17, feature 6: emoji. The visitor puts emoji into a message with the
// keyboard alone, through the picker and through `:shortcode:` completion, sends
// it through the real SDK, and the agent receives it (the emulator's agent API).
// The picker and the suggestions are a chunk of their own, loaded on first use.

type FlexChatPage = Window & { FlexChat: (command: string, ...args: unknown[]) => void };

test('with the keyboard only, the visitor inserts emoji by picker and by shortcode, sends, the agent receives them', async ({ demo, agent, visitor, page }) => {
  const emojiChunk: string[] = [];
  page.on('request', (r) => {
    if (/\/assets\/EmojiLayer-[^/]*\.js$/.test(new URL(r.url()).pathname)) emojiChunk.push(r.url());
  });
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  const frame = widget.frame;
  const button = frame.getByRole('button', { name: 'Insert emoji' });
  const picker = frame.getByRole('dialog', { name: 'Emoji' });
  const suggestions = frame.getByRole('listbox', { name: 'Emoji suggestions' });

  await test.step('the emoji chunk is not loaded before it is wanted', async () => {
    await expect(button).toBeVisible();
    expect(emojiChunk).toEqual([]);
  });

  await test.step('Tab from the message box reaches the emoji button; Enter opens the picker, focus in its search (axe-clean)', async () => {
    await widget.composer.focus();
    await page.keyboard.type('Great ');
    await page.keyboard.press('Tab');
    await expect(button).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(picker).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
    expect(emojiChunk).toHaveLength(1);
    await expectNoA11yViolations(page);
  });

  await test.step('arrows move through the grid; Enter inserts at the caret, closes, focus back in the message box', async () => {
    await page.keyboard.press('ArrowDown');
    await expect(picker.getByRole('button', { name: 'grinning' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(picker.getByRole('button', { name: 'smile', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(picker).toHaveCount(0);
    await expect(widget.composer).toBeFocused();
    await expect(widget.composer).toHaveValue('Great 😄');
    await expect(frame.getByRole('status').filter({ hasText: 'smile inserted' })).toBeAttached();
  });

  await test.step('":tad" offers suggestions the message box points at (axe-clean); Enter inserts the chosen one', async () => {
    await page.keyboard.type(' thanks :tad');
    await expect(suggestions).toBeVisible();
    const first = suggestions.getByRole('option').first();
    await expect(first).toHaveText('🎉 :tada:');
    await expect(first).toHaveAttribute('aria-selected', 'true');
    await expect(widget.composer).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
    await expectNoA11yViolations(page);
    await page.keyboard.press('Enter');
    await expect(suggestions).toHaveCount(0);
    await expect(widget.composer).toHaveValue('Great 😄 thanks 🎉');
  });

  await test.step('Escape dismisses the suggestions, and leaves the widget open', async () => {
    await page.keyboard.type(' :hea');
    await expect(suggestions).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(suggestions).toHaveCount(0);
    await expect(widget.composer).toBeFocused();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
  });

  await test.step('a complete ":+1:" becomes 👍 as it is typed; Enter sends; the agent receives the emoji', async () => {
    await page.keyboard.type(' :+1:');
    await expect(widget.composer).toHaveValue('Great 😄 thanks 🎉 👍');
    await page.keyboard.press('Enter');
    await widget.expectMessage('visitor', 'Great 😄 thanks 🎉 👍');
    await expect.poll(async () => (await agent.messages(conversation.sid)).map((m) => m.body)).toContain('Great 😄 thanks 🎉 👍');
  });

  await test.step('a preview with composer.emoji false takes the button away; ending the preview brings it back', async () => {
    await page.evaluate(() => (window as unknown as FlexChatPage).FlexChat('preview', { composer: { emoji: false } }));
    await expect(button).toHaveCount(0);
    await page.evaluate(() => (window as unknown as FlexChatPage).FlexChat('preview', null));
    await expect(button).toBeVisible();
  });
});

test.describe('Arabic visitor', () => {
  test.use({ locale: 'ar' });

  test('the picker speaks Arabic and runs right to left (axe-clean)', async ({ demo, agent, visitor, page }) => {
    const { widget } = await chatWithAgent(demo, agent, visitor);
    await expect(widget.app).toHaveAttribute('dir', 'rtl');
    await widget.frame.getByRole('button', { name: 'إدراج رمز تعبيري' }).click();
    const picker = widget.frame.getByRole('dialog', { name: 'الرموز التعبيرية' });
    await expect(picker.getByRole('searchbox', { name: 'ابحث عن رمز تعبيري' })).toBeFocused();
    await expect(picker.getByRole('tab', { name: 'الوجوه والمشاعر' })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft'); // the next emoji, right to left
    await expect(picker.getByRole('button', { name: 'smiley', exact: true })).toBeFocused();
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');
    await expect(picker).toHaveCount(0);
    await expect(widget.composer).toBeFocused();
  });
});

test('the form builder turns emoji off and exports composer.emoji false', async ({ page }) => {
  await openClosedShadowRoots(page);
  await page.goto('/builder.html');
  const toggle = page.getByLabel('Emoji button and :shortcode: suggestions');
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  const exported = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
  expect(exported.composer).toEqual({ emoji: false });
  expect(validateDeploymentConfig(exported)).toMatchObject({ ok: true });
  await toggle.check();
  const after = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
  expect(after.composer).toBeUndefined();
});
