import { expect, type Locator, type Page } from '@playwright/test';
import { localOrigins } from '../../scripts/local-origins.ts';

// demo-site/agent.html: a person (or a spec) plays the Flex agent.
export class AgentConsole {
  readonly queue: Locator;
  readonly chat: Locator;
  readonly chatName: Locator;
  readonly chatStatus: Locator;
  readonly preEngagement: Locator;
  readonly messageLog: Locator;
  readonly visitorTyping: Locator;
  readonly reply: Locator;
  readonly sendButton: Locator;
  readonly acceptButton: Locator;
  readonly takeOverButton: Locator;
  readonly transferTo: Locator;
  readonly transferButton: Locator;
  readonly endButton: Locator;
  readonly fileInput: Locator;
  readonly sendFileButton: Locator;
  readonly template: Locator;
  readonly sendTemplateButton: Locator;
  readonly status: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    // By id: the console is the agent's tool (English only), but its ids are its stable contract.
    this.queue = page.locator('nav:has(#queue-list)');
    this.chat = page.locator('#chat');
    this.chatName = page.locator('#chat-name');
    this.chatStatus = page.locator('#chat-status');
    this.preEngagement = page.locator('#pre-engagement');
    this.messageLog = page.locator('#messages');
    this.visitorTyping = page.locator('#visitor-typing');
    this.reply = page.locator('#reply');
    this.sendButton = page.locator('#reply-form button[type="submit"]');
    this.acceptButton = page.locator('#accept');
    this.takeOverButton = page.locator('#take-over');
    this.transferTo = page.locator('#transfer-to');
    this.transferButton = page.locator('#transfer-form button[type="submit"]');
    this.endButton = page.locator('#end');
    this.fileInput = page.locator('#attachment');
    this.sendFileButton = page.locator('#send-file');
    this.template = page.locator('#template');
    this.sendTemplateButton = page.locator('#send-template');
    this.status = page.locator('#console-status');
    this.error = page.locator('#console-error');
  }

  /** Opens the console, signed in as `agent` (default: the emulator's Alex). */
  async goto(agent: { identity: string; name: string } = { identity: 'agent.alex', name: 'Alex' }): Promise<void> {
    await this.page.addInitScript((me) => localStorage.setItem('flexchat-demo:agent', JSON.stringify(me)), agent);
    await this.page.goto(`${localOrigins.demo}/agent.html`);
    await expect(this.queue).toBeVisible();
  }

  queueItem(visitorName: string): Locator {
    return this.page.locator('#queue-list').getByRole('button', { name: new RegExp(escapeRegExp(visitorName)) });
  }

  /** Selects the visitor's chat from the queue (waits for it to arrive). */
  async open(visitorName: string): Promise<void> {
    await this.queueItem(visitorName).click();
    await expect(this.chatName).toHaveText(visitorName);
  }

  /**
   * Makes the chat ours: Accept when it waits, Take over when another agent has it. The
   * simulated agent may accept between our look and our click (Accept then gives way to
   * Take over), so this clicks whichever is there until neither is.
   */
  async pickUp(): Promise<void> {
    await expect(this.chatStatus).not.toHaveText('');
    await expect(async () => {
      if (await this.acceptButton.isVisible()) await this.acceptButton.click({ timeout: 1000 });
      else if (await this.takeOverButton.isVisible()) await this.takeOverButton.click({ timeout: 1000 });
      await expect(this.acceptButton).toBeHidden({ timeout: 1000 });
      await expect(this.takeOverButton).toBeHidden({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
  }

  async send(text: string): Promise<void> {
    await this.reply.fill(text);
    await this.reply.press('Enter');
    await this.expectMessage('agent', text);
  }

  /** Sends the Content template whose option label matches `label` (e.g. "Quick reply: topic (quick-reply)"). */
  async sendTemplate(label: string): Promise<void> {
    await this.template.selectOption({ label });
    await this.sendTemplateButton.click();
    await expect(this.status).toHaveText(`Template sent: ${label}.`);
  }

  messages(role?: 'visitor' | 'agent'): Locator {
    return role ? this.messageLog.locator(`[data-role="${role}"]`) : this.messageLog.locator('[data-role]');
  }

  async expectMessage(role: 'visitor' | 'agent', text: string | RegExp): Promise<void> {
    await expect(this.messages(role).filter({ hasText: text }).first()).toBeVisible();
  }

  async sendFile(file: { name: string; mimeType: string; buffer: Buffer }, caption?: string): Promise<void> {
    if (caption) await this.reply.fill(caption);
    await this.fileInput.setInputFiles(file);
    await this.sendFileButton.click();
    await expect(this.messageLog.getByRole('link', { name: new RegExp(escapeRegExp(file.name)) })).toBeVisible();
  }

  async transfer(toAgentName: string): Promise<void> {
    const value = await this.transferTo.locator('option', { hasText: new RegExp(`^${escapeRegExp(toAgentName)} \\(`) }).getAttribute('value');
    await this.transferTo.selectOption(value ?? toAgentName);
    await this.transferButton.click();
    await expect(this.chatStatus).toHaveText(`With ${toAgentName}`);
  }

  async end(): Promise<void> {
    await this.endButton.click();
    await expect(this.chatStatus).toHaveText('Ended');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
