import { loadDeploymentConfig } from '../config/load.ts';
import type { FormFieldConfig } from '../config/types.ts';
import { agents, expect, expectNoA11yViolations, formValues, localOrigins, tabUntilFocused, test } from './kit.ts';

// Issue 17, feature 3 (the part the page triggers): FlexChat('teaser', {text}) shows a small
// bubble over the launcher, drawn by the loader's API chunk without the iframe. Choosing it
// opens the chat (the real widget and SDK against the emulator); a dismissal is remembered.

type FlexChatWindow = Window & { FlexChat: (command: string, ...args: unknown[]) => void };
const TEXT = 'Questions about shipping? We reply in minutes.';

const showTeaser = (page: import('@playwright/test').Page, text = TEXT) =>
  page.evaluate((t) => (window as unknown as FlexChatWindow).FlexChat('teaser', { text: t }), text);

test('a teaser the page triggers: announced, no iframe, keyboard-reachable, opens the chat; the form still asks for consent', async ({ page, demo, agent, visitor }) => {
  // What the page itself fetches (the idle prefetch's frame only caches the form's files: loader-cost.spec.ts).
  const widgetRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(localOrigins.widget) && r.frame() === page.mainFrame()) widgetRequests.push(new URL(r.url()).pathname);
  });
  await demo.goto();
  await showTeaser(page);
  const bubble = page.locator('flex-chat-teaser [role=status]');
  const open = bubble.getByRole('button', { name: TEXT });

  await test.step('the bubble is a polite status with the text and a Dismiss button; no iframe was loaded', async () => {
    await expect(open).toBeVisible();
    await expect(bubble.getByRole('button', { name: 'Dismiss' })).toBeVisible();
    await expect(demo.widgetIframe).toHaveCount(0);
    expect(widgetRequests.filter((p) => !/^\/(loader\.js|loader-api\.[0-9a-f]{10}\.js)$/.test(p))).toEqual([]);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true); // focus not taken
    await expectNoA11yViolations(page);
  });

  await test.step('Tab reaches it; Enter opens the chat, and the bubble goes', async () => {
    await tabUntilFocused(page, open);
    await page.keyboard.press('Enter');
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(demo.widgetIframe).toBeVisible();
    await expect(page.locator('flex-chat-teaser')).toHaveCount(0);
  });

  const widget = demo.widget();
  await test.step('a consent field the deployment has is still required', async () => {
    const consent: FormFieldConfig = { name: 'privacy', type: 'consent', label: 'I agree that Acme uses my answers to help me', policyUrl: 'https://example.com/privacy', version: '2026-12' };
    const { preEngagement } = loadDeploymentConfig();
    await page.evaluate((form) => (window as unknown as FlexChatWindow).FlexChat('preview', { preEngagement: form }), { ...preEngagement, fields: [...preEngagement.fields, consent] });
    await widget.fillPreChatForm(formValues(visitor));
    await widget.submitButton.click();
    await expect(widget.field('privacy')).toHaveAttribute('aria-invalid', 'true');
    await expect(widget.messageLog).toHaveCount(0);
    await expectNoA11yViolations(page);
    await page.evaluate(() => (window as unknown as FlexChatWindow).FlexChat('preview', null));
  });

  await test.step('the chat starts through the real SDK and the agent answers', async () => {
    await widget.startChat(formValues(visitor));
    const conversation = await agent.conversationOf(visitor.email);
    await agent.waitForAgent(conversation.sid, agents.alex.identity);
    await expect(widget.messages('agent').first()).toBeVisible();
  });
});

test('a dismissed teaser (close button or Escape) stays dismissed after a reload', async ({ page, demo }) => {
  await demo.goto();
  await showTeaser(page);
  const bubble = page.locator('flex-chat-teaser [role=status]');
  await expect(bubble.getByRole('button', { name: TEXT })).toBeVisible();
  await bubble.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  await page.reload();
  await expect(demo.launcher).toBeVisible();
  await showTeaser(page, 'Still there?');
  // The API chunk has arrived and handled the command: nothing is drawn.
  await page.evaluate(() => new Promise((r) => (window as unknown as FlexChatWindow).FlexChat('stats', r)));
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  await page.evaluate(() => localStorage.clear()); // a new visitor
  await page.reload();
  await expect(demo.launcher).toBeVisible();
  await showTeaser(page);
  const open = page.locator('flex-chat-teaser').getByRole('button', { name: TEXT });
  await open.focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);
  await expect(demo.widgetIframe).toHaveCount(0);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });
  test('the close button speaks the visitor’s language', async ({ page, demo }) => {
    await demo.goto();
    await showTeaser(page, '¿Dudas sobre el envío?');
    await expect(page.locator('flex-chat-teaser').getByRole('button', { name: 'Descartar' })).toBeVisible();
    await expectNoA11yViolations(page);
  });
});

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('the bubble appears without animation', async ({ page, demo }) => {
    await demo.goto();
    await showTeaser(page);
    const box = page.locator('flex-chat-teaser [role=status]');
    await expect(box).toBeVisible();
    expect(await box.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  });
});
