// Issue 12: a second visitor, holding only their own token and session proof,
// tries to refresh and end the first visitor's chat through the token service.
// Every attempt is refused, and the first chat stays open and working both ways.
import type { WebChatInitResponse } from '../contracts/token-service.ts';
import { chatWithAgent, DemoPage, expect, formValues, isWidgetDocument, localOrigins, newVisitor, openClosedShadowRoots, test } from './kit.ts';

test("a second visitor cannot refresh or end the first visitor's chat", async ({ demo, agent, visitor, browser }) => {
  const first = await chatWithAgent(demo, agent, visitor);

  // Visitor B: another browser profile, their own chat and credentials (read off their own init).
  const contextB = await browser.newContext({ baseURL: localOrigins.demo });
  try {
    const pageB = await contextB.newPage();
    await openClosedShadowRoots(pageB);
    const demoB = new DemoPage(pageB);
    const initB = pageB.waitForResponse((r) => r.url() === `${localOrigins.tokenService}/webchat/init` && r.request().method() === 'POST');
    await demoB.goto();
    const widgetB = await demoB.openChat();
    await widgetB.startChat(formValues(newVisitor()));
    const own = (await (await initB).json()) as WebChatInitResponse;
    expect(own.conversationSid).not.toBe(first.conversation.sid);

    // B calls the token service from inside their own widget frame (the origin it allows), as anyone with devtools could.
    const frameB = pageB.frames().find((frame) => isWidgetDocument(frame.url()));
    if (!frameB) throw new Error('visitor B has no widget frame');
    const answers = await frameB.evaluate(
      async ({ tokenUrl, own, victim }) => {
        const attempts: Array<[string, Record<string, unknown>]> = [
          ['refresh', { token: own.token, identity: own.identity, conversationSid: victim }],
          ['refresh', { token: own.token, sessionProof: own.sessionProof, identity: own.identity, conversationSid: victim }],
          ['end', { token: own.token, identity: own.identity, conversationSid: victim }],
          ['end', { token: own.token, conversationSid: victim }],
          ['end', { sessionProof: own.sessionProof, identity: own.identity, conversationSid: victim }],
        ];
        const results: Array<{ path: string; status: number; body: unknown }> = [];
        for (const [path, body] of attempts) {
          const response = await fetch(`${tokenUrl}/webchat/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          results.push({ path, status: response.status, body: await response.json() });
        }
        return results;
      },
      { tokenUrl: localOrigins.tokenService, own, victim: first.conversation.sid },
    );
    for (const answer of answers) {
      expect(answer, answer.path).toEqual({
        path: answer.path,
        status: 401,
        body: { error: { code: 'token_invalid', message: 'The token is invalid or has expired; start a new chat' } },
      });
    }
    // B's own chat is untouched by B's failed attempts.
    await expect(widgetB.composer).toBeVisible();
  } finally {
    await contextB.close();
  }

  // A's chat is still open in Flex, and still works both ways.
  expect((await agent.conversation(first.conversation.sid)).state).toBe('active');
  await first.widget.send('Are you still there?');
  await agent.waitForMessage(first.conversation.sid, 'Are you still there?');
  await agent.send(first.conversation.sid, 'Yes, still here.');
  await first.widget.expectMessage('agent', 'Yes, still here.');
  await expect(first.widget.startNewButton).toBeHidden();
});
