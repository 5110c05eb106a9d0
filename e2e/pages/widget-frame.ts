import { expect, type FrameLocator, type Locator } from '@playwright/test';

export type MessageRole = 'visitor' | 'agent' | 'system';

// The chat inside the widget iframe, as a visitor sees and uses it.
export class WidgetFrame {
  readonly preChatForm: Locator;
  readonly messageLog: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly closeButton: Locator;
  /** The error view's message (token service down, connection failed…). */
  readonly errorAlert: Locator;
  readonly retryButton: Locator;
  /** Shown once the chat has ended (by the agent or the visitor). */
  readonly startNewButton: Locator;
  /** "Alex is typing…" */
  readonly typingIndicator: Locator;
  /** "Connection lost. Reconnecting…" */
  readonly connectionBanner: Locator;
  /** The widget's root element (data-theme="light|dark|auto"). */
  readonly app: Locator;

  constructor(readonly frame: FrameLocator) {
    this.preChatForm = frame.getByRole('form', { name: 'Pre-chat form' });
    this.messageLog = frame.getByRole('log', { name: 'Messages' });
    this.composer = frame.getByRole('textbox', { name: 'Message' });
    this.sendButton = frame.getByRole('button', { name: 'Send' });
    this.closeButton = frame.getByRole('button', { name: 'Close chat' });
    this.errorAlert = frame.getByRole('alert');
    this.retryButton = frame.getByRole('button', { name: /Retry|Start a new chat/ });
    this.startNewButton = frame.getByRole('button', { name: 'Start a new chat' });
    this.typingIndicator = frame.getByText(/is typing…/);
    this.connectionBanner = frame.getByText(/Connection lost/);
    this.app = frame.locator('.fc-app');
  }

  /** Fills fields by their visible labels, e.g. { Name: 'Zoë', Email: 'z@example.com' }. */
  async fillPreChatForm(values: Record<string, string>): Promise<void> {
    await expect(this.preChatForm).toBeVisible();
    for (const [label, value] of Object.entries(values)) {
      await this.preChatForm.getByLabel(label, { exact: true }).fill(value);
    }
  }

  async startChat(values: Record<string, string>, submitLabel = 'Start chat'): Promise<void> {
    await this.fillPreChatForm(values);
    await this.preChatForm.getByRole('button', { name: submitLabel }).click();
    await expect(this.messageLog).toBeVisible();
  }

  messages(role?: MessageRole): Locator {
    const all = this.messageLog.locator('[data-role]');
    return role ? this.messageLog.locator(`[data-role="${role}"]`) : all;
  }

  async expectMessage(role: MessageRole, text: string | RegExp): Promise<void> {
    await expect(this.messages(role).filter({ hasText: text }).first()).toBeVisible();
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.sendButton.click();
  }

  /** Attaches a file (as the paperclip's file picker would) and sends it, with an optional message. */
  async sendFile(file: { name: string; mimeType: string; buffer: Buffer }, text = ''): Promise<void> {
    await this.frame.locator('input[type="file"]').setInputFiles(file);
    await expect(this.frame.getByText(file.name).first()).toBeVisible(); // the draft attachment
    await this.composer.fill(text);
    await this.sendButton.click();
  }

  /** A received or sent file, by name (its download button). */
  attachment(name: string): Locator {
    return this.messageLog.getByRole('button', { name: `Download ${name}` });
  }

  /** The chat has ended: no composer, a way to start again. */
  async expectEnded(): Promise<void> {
    await expect(this.startNewButton).toBeVisible();
    await expect(this.composer).toHaveCount(0);
  }
}
