import { expect, type Locator, type Page } from '@playwright/test';
import { localOrigins } from '../../scripts/local-origins.ts';
import { WidgetFrame } from './widget-frame.ts';

/** The loader's chat iframe: the widget document, `<widget origin>/`. */
export const WIDGET_IFRAME = `iframe[src="${localOrigins.widget}/"]`;
/** A frame of the page holds the widget document (not the idle prefetch's page). */
export const isWidgetDocument = (url: string): boolean => url === `${localOrigins.widget}/`;

// A host page that embeds flexchat with the one-line snippet.
//
// The launcher is the loader's button in its <flex-chat> element (the kit attaches the
// loader's shadow root open, see openClosedShadowRoots), found by that structure and
// its aria-expanded, not by its name: its name is the deployment's launcher label in
// the visitor's language ("Chat with us", "Chatea con nosotros", …).
export class DemoPage {
  readonly launcher: Locator;

  /** `launcherLabel`: only for a page whose launcher must also carry this exact name. */
  constructor(
    readonly page: Page,
    readonly launcherLabel?: string,
  ) {
    const button = page.locator('flex-chat button[aria-expanded]');
    this.launcher = launcherLabel ? button.and(page.getByRole('button', { name: launcherLabel })) : button;
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.launcher).toBeVisible();
  }

  /** The widget iframe, wherever the loader put it (not the idle prefetch's prefetch.html). */
  get widgetIframe(): Locator {
    return this.page.locator(WIDGET_IFRAME);
  }

  /** The chat inside the iframe (open or not). */
  widget(): WidgetFrame {
    return new WidgetFrame(this.page.frameLocator(WIDGET_IFRAME));
  }

  async openChat(): Promise<WidgetFrame> {
    await this.launcher.click();
    await expect(this.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(this.widgetIframe).toBeVisible();
    return this.widget();
  }

  /** The launcher's accessible name (its label in the visitor's language). */
  launcherName(): Promise<string | null> {
    return this.launcher.getAttribute('aria-label');
  }

  /**
   * Switches the widget's language as a host page does: `FlexChat('setLocale', locale)`.
   * (A visitor whose BROWSER speaks the language: `test.use({ locale: 'es-ES' })`, which
   * sets navigator.languages; the deployment must not pin `locale`.) With the chat open,
   * waits until the widget shows it.
   */
  async setLocale(locale: string): Promise<void> {
    await this.page.evaluate((tag) => {
      (window as unknown as { FlexChat: (command: string, ...args: unknown[]) => void }).FlexChat('setLocale', tag);
    }, locale);
    if (await this.widgetIframe.isVisible()) await this.widget().expectLocale(locale);
  }
}
