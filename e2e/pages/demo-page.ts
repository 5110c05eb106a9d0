import { expect, type Locator, type Page } from '@playwright/test';
import { localOrigins } from '../../scripts/local-origins.ts';
import { WidgetFrame } from './widget-frame.ts';

// A host page that embeds flexchat with the one-line snippet.
export class DemoPage {
  readonly launcher: Locator;

  constructor(
    readonly page: Page,
    readonly launcherLabel = 'Chat with us',
  ) {
    this.launcher = page.getByRole('button', { name: launcherLabel });
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.launcher).toBeVisible();
  }

  /** The widget iframe, wherever the loader put it. */
  get widgetIframe(): Locator {
    return this.page.locator(`iframe[src^="${localOrigins.widget}"]`);
  }

  /** The chat inside the iframe (open or not). */
  widget(): WidgetFrame {
    return new WidgetFrame(this.page.frameLocator(`iframe[src^="${localOrigins.widget}"]`));
  }

  async openChat(): Promise<WidgetFrame> {
    await this.launcher.click();
    await expect(this.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(this.widgetIframe).toBeVisible();
    return this.widget();
  }
}
