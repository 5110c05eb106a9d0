import type { Locator } from '@playwright/test';
import { chatWithAgent, expect, test } from './kit.ts';

// Issue 16, item 12: the demo's landing page on a 390 px phone, and the widget's header there.

/** How many lines a block's text takes (its text's line boxes). */
function lineCount(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
}

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the landing page fits the screen: nothing wider than the phone, the launcher on screen', async ({ demo, page }) => {
    await demo.goto();
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && getComputedStyle(el).position !== 'fixed')
        .filter((el) => !el.closest('pre')) // code blocks scroll inside themselves
        .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
      return { width, scrollWidth: document.documentElement.scrollWidth, wide: [...new Set(wide)].slice(0, 5) };
    });
    expect(overflow.wide, 'elements wider than the screen').toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1); // not zoomed out to fit
    await expect(demo.launcher).toBeInViewport({ ratio: 1 });
  });

  for (const locale of ['en-US', 'es-ES']) {
    test.describe(locale, () => {
      test.use({ locale });

      test('in a chat, the widget title stays on one line next to "End chat"', async ({ demo, agent, visitor }) => {
        const { widget } = await chatWithAgent(demo, agent, visitor);
        await expect(widget.endChatButton).toBeVisible();
        await expect(widget.title).toHaveText(locale === 'es-ES' ? 'Chatea con el soporte de Acme' : 'Chat with Acme support');
        expect(await lineCount(widget.title)).toBe(1);
        expect(await lineCount(widget.endChatButton)).toBe(1);
        // Nothing of the header is pushed out of the phone's width.
        const header = await widget.frame.locator('.fc-header').boundingBox();
        const end = await widget.endChatButton.boundingBox();
        expect(end!.x + end!.width).toBeLessThanOrEqual(header!.x + header!.width);
      });
    });
  }
});
