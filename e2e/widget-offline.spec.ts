// Written by the widget owner against the QA kit (handed over in widget/e2e-handoff/).
import { chatWithAgent, expect, test } from './kit.ts';

test('offline: typed messages are queued and reach the agent exactly once; agent end offers the transcript', async ({ demo, agent, visitor, context }) => {
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);

  await context.setOffline(true);
  await expect(widget.connectionBanner).toBeVisible({ timeout: 30_000 });
  await widget.send('offline one');
  await widget.send('offline two');
  await expect(widget.messages('visitor').filter({ hasText: 'offline two' })).toContainText('Waiting for connection');
  await context.setOffline(false);
  await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
  await expect(widget.messages('visitor').last()).toHaveAttribute('data-delivery', 'sent', { timeout: 30_000 });
  await expect.poll(async () => (await agent.messages(conversation.sid)).map((m) => m.body).filter((b) => b?.startsWith('offline'))).toEqual(['offline one', 'offline two']);

  await agent.end(conversation.sid);
  await widget.expectEnded();
  await expect(widget.frame.getByText('The agent ended the chat.')).toBeVisible();
  await expect(widget.frame.getByRole('button', { name: 'Download transcript' })).toBeVisible();
});
