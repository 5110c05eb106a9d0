import type { WebChatInitResponse } from '../contracts/token-service.ts';
import { chatWithAgent, expect, expectNoA11yViolations, localOrigins, test } from './kit.ts';

// Issue 17, feature 2: the post-chat survey (survey.enabled in the demo's
// flexchat.config.json). The agent ends the chat through the agent console; the
// visitor rates it with the keyboard on the ended screen; the token service records
// it on the chat's task (the closed conversation refuses updates: Twilio 50377), and
// the agent console shows it. Through the real SDK against the emulator.

test('the agent ends the chat; the visitor rates it with the keyboard, once; the agent console shows it', async ({ demo, agent, visitor, page, agentConsole }) => {
  test.slow(); // two pages and four axe scans
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  await agentConsole.goto();
  await agentConsole.open(visitor.name);
  await agentConsole.end();
  await widget.expectEnded();

  const stars = widget.app.getByRole('radiogroup', { name: 'How was your chat?' });
  await test.step('the ended screen asks for a rating (axe-clean)', async () => {
    await expect(stars).toBeVisible();
    await expect(stars.getByRole('radio')).toHaveCount(5);
    await expectNoA11yViolations(page);
  });

  await test.step('sending without a rating says so at the group (axe-clean)', async () => {
    await widget.app.getByRole('button', { name: 'Send rating' }).click();
    await expect(widget.app.getByRole('alert').filter({ hasText: 'Choose a rating first.' })).toBeVisible();
    await expect(stars.getByRole('radio', { name: '1 star' })).toBeFocused();
    await expectNoA11yViolations(page);
  });

  await test.step('with the keyboard: arrows choose 4 stars, a comment, Enter sends; the thanks is announced (axe-clean)', async () => {
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(stars.getByRole('radio', { name: '4 stars' })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(widget.app.getByLabel('Comment (optional)')).toBeFocused();
    await page.keyboard.type('Quick and kind.');
    await page.keyboard.press('Tab');
    await expect(widget.app.getByRole('button', { name: 'Send rating' })).toBeFocused();
    await page.keyboard.press('Enter');
    const thanks = widget.app.getByRole('status').filter({ hasText: 'Thank you for your feedback.' });
    await expect(thanks).toBeVisible();
    await expect(thanks).toBeFocused();
    await expect(stars).toHaveCount(0);
    await expectNoA11yViolations(page);
  });

  await test.step("it is on the chat's task, and the agent console shows it", async () => {
    await expect.poll(async () => (await agent.conversation(conversation.sid)).task?.attributes?.survey).toMatchObject({ scale: 'stars', rating: 4, comment: 'Quick and kind.' });
    await expect(agentConsole.page.locator('#chat-survey')).toHaveText("Visitor's rating: 4 of 5 stars — “Quick and kind.”");
  });

  await test.step('after a reload the survey is not offered again', async () => {
    await page.reload();
    const again = await demo.openChat();
    await expect(again.app.getByRole('radiogroup', { name: 'How was your chat?' })).toHaveCount(0);
  });
});

test('the visitor may skip the survey: nothing is recorded, focus goes to "Start a new chat" (axe-clean)', async ({ demo, agent, visitor, page }) => {
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  await widget.endChat();
  await expect(widget.app.getByRole('radiogroup', { name: 'How was your chat?' })).toBeVisible();
  await widget.app.getByRole('button', { name: 'Skip' }).click();
  await expect(widget.app.getByRole('radiogroup')).toHaveCount(0);
  await expect(widget.startNewButton).toBeFocused();
  await expectNoA11yViolations(page);
  expect((await agent.conversation(conversation.sid)).task?.attributes?.survey).toBeUndefined();
});

test("a survey is sent once, and visitor B cannot rate visitor A's chat", async ({ request }) => {
  const tokenUrl = localOrigins.tokenService;
  const origin = localOrigins.widget;
  const init = async (name: string) => {
    const response = await request.post(`${tokenUrl}/webchat/init`, {
      headers: { origin },
      data: { preEngagementData: { friendlyName: name, email: `${name}@example.com`, question: `Question of ${name}` } },
    });
    expect(response.status()).toBe(200);
    return (await response.json()) as WebChatInitResponse;
  };
  const a = await init('ana-survey');
  const b = await init('ben-survey');
  const session = (s: typeof a) => ({ sessionProof: s.sessionProof, identity: s.identity, conversationSid: s.conversationSid });
  expect((await request.post(`${tokenUrl}/webchat/end`, { headers: { origin }, data: session(a) })).status()).toBe(200);

  const foreign = await request.post(`${tokenUrl}/webchat/survey`, { headers: { origin }, data: { ...session(b), conversationSid: a.conversationSid, scale: 'stars', rating: 1 } });
  expect([foreign.status(), ((await foreign.json()) as { error: { code: string } }).error.code]).toEqual([401, 'token_invalid']);

  const first = await request.post(`${tokenUrl}/webchat/survey`, { headers: { origin }, data: { ...session(a), scale: 'stars', rating: 5 } });
  expect(first.status()).toBe(200);
  const second = await request.post(`${tokenUrl}/webchat/survey`, { headers: { origin }, data: { ...session(a), scale: 'stars', rating: 2 } });
  expect([second.status(), ((await second.json()) as { error: { code: string } }).error.code]).toEqual([409, 'survey_already_sent']);
});
