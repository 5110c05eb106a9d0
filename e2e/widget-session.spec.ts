// Written by the widget owner against the QA kit (handed over in widget/e2e-handoff/).
import { readFileSync } from 'node:fs';
import { DemoPage, expect, formValues, openClosedShadowRoots, test } from './kit.ts';

test('reload resumes; a second tab joins; visitor ends with transcript; attachments', async ({ demo, agent, visitor, page, context }) => {
  await demo.goto();
  let widget = await demo.openChat();
  await widget.startChat(formValues(visitor));
  await widget.expectMessage('agent', /I'm Alex/);
  await widget.send('before reload');
  await widget.expectMessage('visitor', 'before reload');

  await page.reload();
  await expect(demo.launcher).toBeVisible();
  widget = await demo.openChat();
  await expect(widget.messageLog).toBeVisible();
  await widget.expectMessage('visitor', 'before reload');
  await widget.expectMessage('agent', /I'm Alex/);
  await widget.send('after reload');
  await widget.expectMessage('visitor', 'after reload');

  // A second tab of the same profile joins the same chat.
  const second = await context.newPage();
  await openClosedShadowRoots(second);
  const demo2 = new DemoPage(second);
  await demo2.goto();
  const widget2 = await demo2.openChat();
  await widget2.expectMessage('visitor', 'after reload');
  await page.bringToFront();
  await expect(widget.connectionBanner).toBeHidden({ timeout: 20_000 });

  // Attachment: an mp3 reported as audio/mpga.
  const input = widget.frame.locator('input[type=file]');
  await input.setInputFiles({ name: 'note.mp3', mimeType: 'audio/mpga', buffer: Buffer.from('ID3 fake mp3') });
  await widget.sendButton.click();
  await expect(widget.messages('visitor').filter({ hasText: 'note.mp3' }).first()).toBeVisible();
  const conversation = await agent.conversationOf(visitor.email);
  await expect.poll(async () => (await agent.messages(conversation.sid)).flatMap((m) => m.media.map((x) => x.contentType))).toContain('audio/mpeg');

  // The visitor ends the chat; the other tab ends too; transcript downloads.
  await widget.frame.getByRole('button', { name: 'End chat' }).click();
  await widget.frame.getByRole('alertdialog').getByRole('button', { name: 'End chat' }).click();
  await widget.expectEnded();
  await widget2.expectEnded();
  const download = page.waitForEvent('download');
  await widget.frame.getByRole('button', { name: 'Download transcript' }).click();
  const file = await download;
  const path = await file.path();
  const text = readFileSync(path!, 'utf8');
  expect(text).toContain('You: before reload');
  expect(text).toContain('Attachment: note.mp3');
});
