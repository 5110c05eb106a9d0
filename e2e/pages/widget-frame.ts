import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { format } from '../../widget/src/strings.ts';
import { readTranscript, type Transcript } from '../fixtures/transcript.ts';
import { widgetStrings, type WidgetStrings } from '../fixtures/widget-strings.ts';

export type MessageRole = 'visitor' | 'agent' | 'system';

// The chat inside the widget iframe, as a visitor sees and uses it.
//
// Locale-independent: nothing here is found by its English name. Controls are found
// by role where the role is unique in the widget (the log, alerts, the dialog) and
// otherwise by the widget's own structural class names (`fc-*`) and data attributes
// (`data-role` on messages, `data-field-control` on form fields, `lang` on the root),
// so the same spec runs in every language. Texts a spec wants to assert in the
// visitor's language come from `strings()` (the widget's own catalogue for the
// language it shows) or from `widgetStrings(locale)`.
export class WidgetFrame {
  readonly preChatForm: Locator;
  /** The pre-chat form's submit button. */
  readonly submitButton: Locator;
  readonly messageLog: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  /** The widget's own close button (absent full screen on a phone, where the loader draws one). */
  readonly closeButton: Locator;
  /** The header's "End chat" button (only while a chat is open). */
  readonly endChatButton: Locator;
  /** The "End this chat?" confirmation. */
  readonly endDialog: Locator;
  /** The widget's title (its header). */
  readonly title: Locator;
  /** The error view's message (token service down, connection failed…). */
  readonly errorAlert: Locator;
  /** The error view's Retry (or Start a new chat), or the ended panel's Start a new chat. */
  readonly retryButton: Locator;
  /** Shown once the chat has ended (by the agent or the visitor). */
  readonly startNewButton: Locator;
  /** Shown once the chat has ended, if anything was said. */
  readonly downloadTranscriptButton: Locator;
  /** "Alex is typing…" (present only while someone types). */
  readonly typingIndicator: Locator;
  /** "Connection lost. Reconnecting…" (present only while the connection is lost). */
  readonly connectionBanner: Locator;
  /** The widget's root element (data-theme="light|dark|auto", lang, dir). */
  readonly app: Locator;

  constructor(readonly frame: FrameLocator) {
    this.app = frame.locator('.fc-app');
    this.title = frame.locator('.fc-header .fc-title');
    this.preChatForm = frame.locator('form.fc-form');
    this.submitButton = this.preChatForm.locator('button[type="submit"]');
    this.messageLog = frame.getByRole('log');
    this.composer = frame.locator('form.fc-composer textarea');
    this.sendButton = frame.locator('form.fc-composer button[type="submit"]');
    this.closeButton = frame.locator('.fc-header .fc-icon-button');
    this.endChatButton = frame.locator('.fc-header .fc-button--header');
    this.endDialog = frame.getByRole('alertdialog');
    this.errorAlert = frame.getByRole('alert');
    this.retryButton = frame.locator('.fc-status--error .fc-button--primary, .fc-ended .fc-button--primary');
    this.startNewButton = frame.locator('.fc-ended .fc-button--primary');
    this.downloadTranscriptButton = frame.locator('.fc-ended-actions .fc-button--secondary');
    this.typingIndicator = frame.locator('.fc-typing:has(.fc-typing-dots)');
    this.connectionBanner = frame.locator('.fc-banner:not(.fc-banner--hidden)');
  }

  /** The page the widget's iframe is on. */
  page(): Page {
    return this.frame.owner().page();
  }

  /** The language the widget shows (its root's `lang`, e.g. "es"). */
  async locale(): Promise<string> {
    await expect(this.app).toHaveAttribute('lang', /.+/);
    return (await this.app.getAttribute('lang')) ?? 'en';
  }

  /** Waits until the widget shows this language (after `demo.setLocale`, a preview, …). */
  async expectLocale(locale: string): Promise<void> {
    await expect(this.app).toHaveAttribute('lang', locale);
  }

  /** The widget's own texts for the language it shows now (its catalogue, before the deployment's `texts`). */
  async strings(): Promise<WidgetStrings> {
    return widgetStrings(await this.locale());
  }

  /** A form control by the field's `name` in the config (`friendlyName`, `email`, …): the same in every language. */
  field(name: string): Locator {
    return this.preChatForm.locator(`[data-field-control="${name}"]`);
  }

  /**
   * Fills the form. Keys are the fields' config names (`{ friendlyName: 'Zoë', email: … }`,
   * what `formValues(visitor)` gives), so it works in every language; a key that is no
   * field name is taken as the field's visible label (older specs).
   * Text fields are typed into, selects and radios take the option's value, checkboxes 'true'/'false'.
   */
  async fillPreChatForm(values: Record<string, string>): Promise<void> {
    await expect(this.preChatForm).toBeVisible();
    for (const [key, value] of Object.entries(values)) {
      const byName = this.field(key);
      const count = await byName.count();
      if (count === 0) {
        await this.preChatForm.getByLabel(key, { exact: true }).fill(value);
        continue;
      }
      const kind = await byName.first().evaluate((el) => (el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase()));
      if (kind === 'radio') await this.preChatForm.locator(`[data-field-control="${key}"][value="${value}"]`).check();
      else if (kind === 'checkbox') await byName.setChecked(value === 'true');
      else if (kind === 'select') await byName.selectOption(value);
      else await byName.fill(value);
    }
  }

  /** Fills the form and starts the chat (its submit button, whatever it is called). */
  async startChat(values: Record<string, string>): Promise<void> {
    await this.fillPreChatForm(values);
    await this.submitButton.click();
    await expect(this.messageLog).toBeVisible();
  }

  messages(role?: MessageRole): Locator {
    const all = this.messageLog.locator('[data-role]');
    return role ? this.messageLog.locator(`[data-role="${role}"]`) : all;
  }

  /**
   * How the log's drawn rows sit: the `gaps` in pixels between each row's top and the
   * bottom of the one before it (0 when they tile, negative for an overlap), how far the
   * log can still scroll down (`belowView`, 0 at its end), and whether the last row is
   * wholly in view.
   */
  logLayout(): Promise<{ gaps: number[]; belowView: number; lastRowInView: boolean }> {
    return this.messageLog.evaluate((log) => {
      const rows = [...log.querySelectorAll<HTMLElement>('.fc-row')]
        .map((row) => ({ index: Number(row.dataset.index), box: row.getBoundingClientRect() }))
        .sort((a, b) => a.index - b.index);
      const gaps = rows.slice(1).map((row, i) => Math.round(row.box.top - rows[i]!.box.bottom));
      const view = log.getBoundingClientRect();
      const last = rows.at(-1)?.box;
      return {
        gaps,
        belowView: Math.max(0, Math.round(log.scrollHeight - log.scrollTop - log.clientHeight)),
        lastRowInView: last !== undefined && last.top >= view.top - 1 && last.bottom <= view.top + log.clientHeight + 1,
      };
    });
  }

  async expectMessage(role: MessageRole, text: string | RegExp): Promise<void> {
    await expect(this.messages(role).filter({ hasText: text }).first()).toBeVisible();
  }

  /** The name the widget shows (or reads out) for a message's author: "Alex", "You"/"Tú", … */
  authorOf(message: Locator): Promise<string> {
    return message.evaluate((el) => {
      // The group's first message shows the name; the others carry it for screen readers only.
      const shown = el.querySelector('.fc-msg-author') ?? el.querySelector(':scope > .fc-sr-only');
      return shown?.textContent?.trim() ?? '';
    });
  }

  /** Waits for a message with this text and checks who it is from, e.g. `expectMessageFrom('Alex', 'Hola')`. */
  async expectMessageFrom(author: string, text: string | RegExp): Promise<void> {
    const message = this.messages().filter({ hasText: text }).first();
    await expect(message).toBeVisible();
    await expect.poll(() => this.authorOf(message), { message: `author of the message ${String(text)}` }).toBe(author);
  }

  /** The notice "<name> joined the chat", in the language the widget shows. */
  async expectJoined(name: string): Promise<void> {
    await this.expectMessage('system', format((await this.strings()).joined, { name }));
  }

  /** The notice "<name> left the chat", in the language the widget shows. */
  async expectLeft(name: string): Promise<void> {
    await this.expectMessage('system', format((await this.strings()).left, { name }));
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.sendButton.click();
  }

  /** Attaches a file (as the paperclip's file picker would) and sends it, with an optional message. */
  async sendFile(file: { name: string; mimeType: string; buffer: Buffer }, text = ''): Promise<void> {
    await this.frame.locator('input[type="file"]').setInputFiles(file);
    await expect(this.frame.locator('.fc-draft-name', { hasText: file.name })).toBeVisible(); // the draft attachment
    await this.composer.fill(text);
    await this.sendButton.click();
  }

  /** A received or sent file, by name: its download button (a file) or link (an image). */
  attachment(name: string): Locator {
    const file = this.messageLog.locator('.fc-attachment--file').filter({ has: this.frame.locator('.fc-attachment-name', { hasText: name }) }).locator('button');
    const image = this.messageLog.locator('a.fc-attachment--image').filter({ has: this.frame.locator(`img[alt="${name.replace(/"/g, '\\"')}"]`) });
    return file.or(image);
  }

  /** The visitor ends the chat: "End chat", then the confirmation's "End chat". */
  async endChat(): Promise<void> {
    await this.endChatButton.click();
    await expect(this.endDialog).toBeVisible();
    await this.endDialog.locator('.fc-button--danger').click();
    await this.expectEnded();
  }

  /** The chat has ended: no composer, a way to start again. */
  async expectEnded(): Promise<void> {
    await expect(this.startNewButton).toBeVisible();
    await expect(this.composer).toHaveCount(0);
  }

  /** Downloads the transcript from the ended panel and reads it (see fixtures/transcript.ts). */
  async downloadTranscript(): Promise<Transcript> {
    const download = this.page().waitForEvent('download');
    await this.downloadTranscriptButton.click();
    const file = await download;
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    return readTranscript(await readFile(path, 'utf8'), file.suggestedFilename());
  }
}
