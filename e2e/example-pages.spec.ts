import { DemoPage, expect, formValues, localOrigins, openClosedShadowRoots, test } from './kit.ts';

// The example host pages of demo-site/: the widget must work on each unchanged.
test.describe('example host pages', () => {
  test('strict CSP page: nonce-based policy, no violations, the chat works', async ({ page, demo, visitor }) => {
    const violations: string[] = [];
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportCspViolation: (t: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });

    const response = await page.goto('/examples/strict-csp.html');
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{16,}' /);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain(`frame-src ${localOrigins.widget}`);
    // A fresh nonce per response.
    const again = await page.request.get('/examples/strict-csp.html');
    expect(again.headers()['content-security-policy']).not.toBe(policy);

    await expect(demo.launcher).toBeVisible();
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    await widget.expectMessage('agent', /I'm Alex/);
    await expect(page.locator('#csp-violations')).toHaveText('No CSP violations so far.');
    expect(violations).toEqual([]);
  });

  test('single-page app: the chat survives client-side route changes', async ({ page, demo, agent, visitor }) => {
    await demo.goto('/spa/orders/1042'); // a deep link: the server answers with the app
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Order #1042');
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    await widget.expectMessage('agent', /I'm Alex/);

    const frameHandle = await demo.widgetIframe.elementHandle();
    await page.getByRole('navigation', { name: 'App' }).getByRole('link', { name: 'Help' }).click();
    await expect(page).toHaveURL(/\/spa\/help$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help');
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Order #1042');

    // Same iframe, still open, same conversation.
    expect(await demo.widgetIframe.elementHandle().then((h) => h?.evaluate((el, old) => el === old, frameHandle))).toBe(true);
    await expect(demo.launcher).toHaveAttribute('aria-expanded', 'true');
    await widget.send('Still here after two route changes');
    const conversation = await agent.conversationOf(visitor.email);
    await agent.waitForMessage(conversation.sid, 'Still here after two route changes');
  });

  test('long page: the launcher stays in view while scrolling, and the chat opens there', async ({ page, demo }) => {
    await demo.goto('/examples/long-page.html');
    await page.getByRole('link', { name: 'Back to top' }).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    await expect(demo.launcher).toBeInViewport();
    await demo.openChat();
    await expect(demo.widgetIframe).toBeInViewport({ ratio: 0.99 });
  });

  test('dark page: launcher on the left with per-page colour and label', async ({ page }) => {
    const demo = new DemoPage(page, 'Ask Night Trails');
    await openClosedShadowRoots(page);
    await demo.goto('/examples/dark-left.html');
    const box = await demo.launcher.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x).toBeLessThan(viewport.width / 2);
    await expect(demo.launcher).toHaveCSS('background-color', 'rgb(138, 180, 248)');
    await page.getByRole('button', { name: 'Ask about headlamps' }).click();
    await expect(demo.widgetIframe).toBeVisible();
    const panel = await demo.widgetIframe.boundingBox();
    expect(panel!.x).toBeLessThan(viewport.width / 2);
  });
});
