import { expect, test } from '@playwright/test';

// Without the test-only patch in fixtures/test.ts: the launcher really lives in
// a closed shadow root, and the host page sees nothing of it but its host element.
test('the launcher is isolated in a closed shadow root and adds only FlexChat to window', async ({ page }) => {
  await page.goto('/');
  // The inline queue stub defines FlexChat before the loader runs: wait for the launcher's host element instead.
  await expect(page.locator('flex-chat')).toHaveCount(1);
  const shadowHosts = await page.evaluate(() =>
    [...document.body.querySelectorAll('*')].filter((element) => element.shadowRoot !== null || element.tagName.includes('-')).map((element) => ({
      tag: element.tagName.toLowerCase(),
      openRoot: element.shadowRoot !== null,
    })),
  );
  expect(shadowHosts.length).toBeGreaterThan(0);
  expect(shadowHosts.every((host) => !host.openRoot)).toBe(true);
  // Nothing from the launcher is reachable from the host document.
  await expect(page.getByRole('button', { name: 'Chat with us' })).toHaveCount(0);
  const added = await page.evaluate(() => {
    const pristine = document.createElement('iframe');
    document.body.append(pristine);
    const baseline = new Set(Object.keys(pristine.contentWindow as Window));
    pristine.remove();
    return Object.keys(window).filter((key) => !baseline.has(key));
  });
  expect(added).toEqual(['FlexChat']);
});
