import type { WebChatInitResponse } from '../contracts/token-service.ts';
import type { TranscriptDelivery } from '../contracts/transcript-email.ts';
import { chatWithAgent, expect, expectNoA11yViolations, localOrigins, test } from './kit.ts';

// Issue 17, feature 5: the transcript by e-mail. After the chat, the visitor
// gives an address on the ended screen; the token service builds the transcript
// from the conversation itself (through the real SDK's chat against the emulator)
// and, in local mode without a webhook, delivers it to the emulator's transcript
// inbox, which the agent console lists.

test('after the chat the visitor has the transcript e-mailed; the service builds it from the conversation', async ({ demo, agent, visitor, page, agentConsole, request }) => {
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  await agent.send(conversation.sid, 'Your order ships tomorrow.');
  await widget.expectMessage('agent', 'Your order ships tomorrow.');
  await widget.send('Thanks!');
  await expect.poll(async () => (await agent.messages(conversation.sid)).some((m) => m.body === 'Thanks!')).toBe(true);
  await widget.endChat();

  const form = widget.app.getByRole('form', { name: 'Get the transcript by e-mail' });
  const address = widget.app.getByLabel('Your e-mail address');
  await test.step('the ended screen offers the form (axe-clean)', async () => {
    await expect(form).toBeVisible();
    await expectNoA11yViolations(page);
  });

  await test.step('a wrong address is said at the field (axe-clean), nothing is sent', async () => {
    await address.fill('zoe@');
    await address.press('Enter');
    await expect(form.getByRole('alert')).toHaveText('Enter a valid e-mail address.');
    await expect(address).toHaveAttribute('aria-invalid', 'true');
    await expect(address).toBeFocused();
    await expectNoA11yViolations(page);
  });

  await test.step('with the keyboard, a valid address sends it once; the widget says where (axe-clean)', async () => {
    await address.fill(visitor.email);
    await address.press('Enter');
    await expect(widget.app.getByRole('status').filter({ hasText: `The transcript is on its way to ${visitor.email}.` })).toBeVisible();
    await expect(form).toHaveCount(0);
    await expectNoA11yViolations(page);
  });

  await test.step('the emulator inbox holds the transcript the service built from the conversation', async () => {
    const inbox = (await (await request.get(`${localOrigins.emulator}/agent/transcripts`)).json()) as { transcripts: TranscriptDelivery[] };
    const mine = inbox.transcripts.filter((t) => t.conversationSid === conversation.sid);
    expect(mine).toHaveLength(1);
    const [transcript] = mine;
    expect(transcript!.email).toBe(visitor.email);
    const lines = transcript!.lines.map((l) => [l.from, l.body]);
    expect(lines).toContainEqual(['visitor', visitor.question]);
    expect(lines).toContainEqual(['agent', 'Your order ships tomorrow.']);
    expect(lines).toContainEqual(['visitor', 'Thanks!']);
    expect(transcript!.text).toContain('Support: Your order ships tomorrow.');
  });

  await test.step('the agent console lists it', async () => {
    await agentConsole.goto();
    const list = agentConsole.page.locator('#transcript-list');
    await expect(list.getByText(visitor.email).first()).toBeVisible();
    await expect(list.getByText(/Support: Your order ships tomorrow\./).first()).toBeVisible();
  });
});

test("a visitor cannot have another visitor's transcript sent (the session proof binds the chat)", async ({ request }) => {
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
  const a = await init('alice');
  const b = await init('bob');
  const response = await request.post(`${tokenUrl}/webchat/transcript`, {
    headers: { origin },
    data: { sessionProof: b.sessionProof, identity: b.identity, conversationSid: a.conversationSid, email: 'bob@example.com' },
  });
  expect(response.status()).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('token_invalid');
});
