import type { BrowserContext, Page } from '@playwright/test';
import { buildLoaderVariant, serveLoaderVariant, type LoaderVariant } from './fixtures/loader-variant.ts';
import { agents, expect, expectNoA11yViolations, formValues, localOrigins, openClosedShadowRoots, tabUntilFocused, test, WIDGET_IFRAME } from './kit.ts';

// Issue 17, feature 3: teaser rules from flexchat.config.json (off in the served demo config),
// through the real loader built with rules (fixtures/loader-variant.ts): time on page, the
// page's path (an SPA route), scroll depth; once per visitor or per session; a dismissal
// holds. Choosing the teaser opens the chat with its text as the first agent-side message,
// through the real widget and Conversations SDK against the emulator; the agent sees it in
// the conversation's attributes.

const ORDER = 'Questions about your order? We reply in minutes.';
const LONG = 'Still reading? Ask us anything.';
const HOME = 'Need a hand? We are online.';
const RULES = {
  teaser: {
    rules: [
      { text: { en: ORDER, es: '¿Dudas sobre tu pedido? Respondemos en minutos.' }, urlPattern: '/spa/orders/*' },
      { text: LONG, urlPattern: '/examples/long-page.html', scrollDepth: 60, frequency: 'session' },
      { text: HOME, urlPattern: '/', timeOnPage: 20 },
    ],
  },
};

type FlexChatWindow = Window & { FlexChat: (command: string, ...args: unknown[]) => void };

let variant: LoaderVariant;
test.beforeAll(async () => {
  variant = await buildLoaderVariant(RULES);
});
test.beforeEach(async ({ context }) => {
  await serveLoaderVariant(context, variant);
});

/** Another tab of the same visitor (its own session storage), its shadow roots open for locators as `page`'s. */
async function newTab(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await openClosedShadowRoots(tab);
  return tab;
}
const bubble = (page: Page) => page.locator('flex-chat-teaser [role=status]');
/** Resolves once the API chunk has arrived and run (its rules checked once). */
const chunkReady = (page: Page) => page.evaluate(() => new Promise((r) => (window as unknown as FlexChatWindow).FlexChat('stats', r)));
/** Scrolls to `percent` of the page's scrollable height; resolves after the page's scroll listeners ran. */
const scrollPage = (page: Page, percent: number) =>
  page.evaluate(
    (p) =>
      new Promise<void>((resolve) => {
        addEventListener('scroll', () => resolve(), { once: true });
        window.scrollTo(0, Math.ceil((p / 100) * (document.documentElement.scrollHeight - innerHeight)));
      }),
    percent,
  );

test('time on page: the teaser after 20 s on the page, not before; the chunk without the iframe; axe-clean', async ({ page, demo }) => {
  // What the page itself fetches (the idle prefetch's frame fetches the form's files for
  // the widget frame's cache, and runs nothing: loader-cost.spec.ts).
  const widgetRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(localOrigins.widget) && r.frame() === page.mainFrame()) widgetRequests.push(new URL(r.url()).pathname);
  });
  await page.clock.install();
  await demo.goto('/');
  await chunkReady(page);
  await page.clock.runFor(15_000);
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  await page.clock.runFor(5_000);
  await expect(bubble(page).getByRole('button', { name: HOME })).toBeVisible();
  await expect(bubble(page).getByRole('button', { name: 'Dismiss' })).toBeVisible();
  await expect(demo.widgetIframe).toHaveCount(0);
  expect(widgetRequests).toEqual(['/loader.js', `/${variant.apiName}`]);
  await expectNoA11yViolations(page);
});

test('URL pattern on an SPA route; by keyboard it opens the chat with the teaser as the first agent-side message, which the agent sees', async ({ page, demo, agent, visitor }) => {
  await demo.goto('/spa/help');
  await chunkReady(page);
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  await page.getByRole('navigation', { name: 'App' }).getByRole('link', { name: 'Order #1042' }).click();
  await expect(page).toHaveURL(/\/spa\/orders\/1042$/);
  const open = bubble(page).getByRole('button', { name: ORDER });
  await expect(open).toBeVisible(); // the route change is seen within the rules' one-second check
  await expect(demo.widgetIframe).toHaveCount(0);
  await expectNoA11yViolations(page);

  await tabUntilFocused(page, open);
  await page.keyboard.press('Enter');
  await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  const widget = demo.widget();
  await widget.startChat(formValues(visitor));
  await expect(widget.messages().first()).toHaveAttribute('data-role', 'agent');
  await expect(widget.messages().first()).toContainText(ORDER);
  expect(await widget.authorOf(widget.messages().first())).toBe((await widget.strings()).agentFallbackName);

  const conversation = await agent.conversationOf(visitor.email);
  expect((conversation.attributes.pre_engagement_data as { _context?: { teaser?: string } })._context?.teaser).toBe(ORDER);
  await agent.waitForAgent(conversation.sid, agents.alex.identity);
  await widget.expectMessage('agent', /I'm Alex/);
  await expect(widget.messages().first()).toContainText(ORDER); // still first
  await expectNoA11yViolations(page);

  // A reload mid-chat resumes it with the teaser still first (it is kept with the session).
  await page.reload();
  const again = await demo.openChat();
  await again.expectMessage('agent', /I'm Alex/);
  await expect(again.messages().first()).toHaveAttribute('data-role', 'agent');
  await expect(again.messages().first()).toContainText(ORDER);
});

test('once per visitor: not again after a reload nor in another tab', async ({ page, context, demo }) => {
  await demo.goto('/spa/orders/1042');
  await expect(bubble(page).getByRole('button', { name: ORDER })).toBeVisible();

  await page.reload();
  await expect(demo.launcher).toBeVisible();
  await chunkReady(page); // the rules were checked when the chunk arrived
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);

  const tab = await newTab(context);
  await tab.goto('/spa/orders/1042');
  await chunkReady(tab);
  await expect(tab.locator('flex-chat-teaser')).toHaveCount(0);
});

test('scroll depth, once per session: at 60 % of a long page, not again in this tab, again in a new one; a dismissal holds for all', async ({ page, context, demo }) => {
  await demo.goto('/examples/long-page.html');
  await chunkReady(page);
  await scrollPage(page, 40);
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0);
  await scrollPage(page, 70);
  await expect(bubble(page).getByRole('button', { name: LONG })).toBeVisible();
  await expectNoA11yViolations(page);

  await page.reload();
  await expect(demo.launcher).toBeVisible();
  await chunkReady(page);
  await scrollPage(page, 90);
  await expect(page.locator('flex-chat-teaser')).toHaveCount(0); // this session saw it

  const tab = await newTab(context); // a new tab: a new session
  await tab.goto('/examples/long-page.html');
  await chunkReady(tab);
  await scrollPage(tab, 90);
  const again = tab.locator('flex-chat-teaser [role=status]');
  await expect(again.getByRole('button', { name: LONG })).toBeVisible();
  await again.getByRole('button', { name: LONG }).focus();
  await tab.keyboard.press('Escape'); // dismissed, by keyboard
  await expect(tab.locator('flex-chat-teaser')).toHaveCount(0);

  const third = await newTab(context);
  await third.goto('/examples/long-page.html');
  await chunkReady(third);
  await scrollPage(third, 90);
  await expect(third.locator('flex-chat-teaser')).toHaveCount(0);
  await third.goto('/spa/orders/1042'); // another rule: the dismissal holds for it too
  await chunkReady(third);
  await expect(third.locator('flex-chat-teaser')).toHaveCount(0);
  await expect(third.locator(WIDGET_IFRAME)).toHaveCount(0);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });
  test('the rule’s Spanish text and close button', async ({ page, demo }) => {
    await demo.goto('/spa/orders/1042');
    await expect(bubble(page).getByRole('button', { name: '¿Dudas sobre tu pedido? Respondemos en minutos.' })).toBeVisible();
    await expect(bubble(page).getByRole('button', { name: 'Descartar' })).toBeVisible();
    await expectNoA11yViolations(page);
  });
});

test('the form builder edits teaser rules (per language), exports them valid, and shows a rule’s text on its page', async ({ page, demo }) => {
  await demo.goto('/builder.html');
  const config = page.getByLabel('flexchat.config.json');
  const valid = page.getByText('No problems: the config is valid and ready to export.');
  await expect(valid).toBeVisible();
  expect(JSON.parse(await config.inputValue())).not.toHaveProperty('teaser'); // off by default

  await page.getByRole('button', { name: 'Add a teaser rule' }).click();
  const rule = page.getByRole('group', { name: 'Rule 1' });
  await expect(rule.getByLabel('Text', { exact: true })).toBeFocused();
  await rule.getByLabel('Text', { exact: true }).fill('Questions about pricing?');
  await rule.getByLabel('After seconds on the page').fill('');
  await expect(valid).toHaveCount(0); // a rule needs a trigger
  await rule.getByLabel('On pages whose path matches').fill('/pricing*');
  await rule.getByLabel('How often').selectOption('session');
  await expect(valid).toBeVisible();
  expect(JSON.parse(await config.inputValue()).teaser).toEqual({ rules: [{ text: 'Questions about pricing?', urlPattern: '/pricing*', frequency: 'session' }] });

  await page.getByLabel('Write the visitors\' texts in').selectOption('es');
  await rule.getByLabel('Text', { exact: true }).fill('¿Dudas sobre los precios?');
  await expect(valid).toBeVisible();
  expect(JSON.parse(await config.inputValue()).teaser.rules[0].text).toEqual({ en: 'Questions about pricing?', es: '¿Dudas sobre los precios?' });

  await rule.getByRole('button', { name: 'Show on this page' }).click();
  await expect(bubble(page).getByRole('button', { name: '¿Dudas sobre los precios?' })).toBeVisible();
  await expectNoA11yViolations(page);

  await rule.getByRole('button', { name: 'Remove rule 1' }).click();
  await expect(page.getByRole('button', { name: 'Add a teaser rule' })).toBeFocused();
  expect(JSON.parse(await config.inputValue())).not.toHaveProperty('teaser');
});
