import type { Page, Route } from '@playwright/test';
import { expect, formValues, test, type AgentApi, type WidgetFrame } from './kit.ts';

// Token expiry through the iframe, with the real SDK and the emulator: Twilsock
// closes the socket with 410, the widget renews the token at the token service
// (within its grace period) and carries on. Faults are global to the emulator,
// so this file runs in the serial global-faults project.
test.describe.configure({ mode: 'serial' });

/** Holds every /webchat/refresh of the page until `release` (the widget stays offline meanwhile). */
async function holdRefresh(page: Page, answer: (route: Route) => Promise<void> = (route) => route.continue()): Promise<{ requested: Promise<void>; release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let requested = () => {};
  const seen = new Promise<void>((resolve) => (requested = resolve));
  await page.route('**/webchat/refresh', async (route) => {
    requested();
    await released;
    await answer(route);
  });
  return { requested: seen, release };
}

/** Each body is in the conversation exactly once, on the agent's side and in the widget. */
async function expectExactlyOnce(agent: AgentApi, conversationSid: string, widget: WidgetFrame, bodies: string[]): Promise<void> {
  const onServer = (await agent.messages(conversationSid)).map((m) => m.body);
  for (const body of bodies) {
    expect(onServer.filter((b) => b === body), `"${body}" on the server`).toHaveLength(1);
    await expect(widget.messages('visitor').filter({ hasText: body })).toHaveCount(1);
  }
}

test('token expiry: the widget renews the token, reconnects, and what was typed meanwhile reaches the agent once', async ({ demo, agent, faults, visitor }) => {
  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat(formValues(visitor));
  await widget.expectMessage('agent', /I'm Alex/);
  const conversation = await agent.conversationOf(visitor.email);
  const refresh = await holdRefresh(demo.page);

  await test.step('Twilsock closes the socket: token expired', async () => {
    expect(await faults.expireTokens()).toBeGreaterThan(0);
    await refresh.requested;
    await expect(widget.connectionBanner).toBeVisible();
  });

  await test.step('a message typed while the connection is down waits', async () => {
    await widget.send('Typed while the token had expired');
    await expect(widget.messages('visitor').filter({ hasText: 'Typed while the token had expired' })).toContainText('Waiting for connection');
  });

  await test.step('the token service renews the token: the widget recovers and sends the waiting message', async () => {
    refresh.release();
    await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
    await expect(widget.messages('visitor').filter({ hasText: 'Typed while the token had expired' })).toHaveAttribute('data-delivery', 'sent');
    await agent.waitForMessage(conversation.sid, 'Typed while the token had expired');
  });

  await test.step('the chat goes on both ways', async () => {
    await widget.send('Still there after the renewal?');
    await agent.waitForMessage(conversation.sid, 'Still there after the renewal?');
    await agent.send(conversation.sid, 'Yes, still here after your token was renewed');
    await widget.expectMessage('agent', 'Yes, still here after your token was renewed');
  });

  await expectExactlyOnce(agent, conversation.sid, widget, ['Typed while the token had expired', 'Still there after the renewal?']);
  await expect(widget.errorAlert).toHaveCount(0);
});

test('token expiry, renewed with the very token the widget already holds: a new client takes over the chat', async ({ demo, agent, faults, visitor }) => {
  // The token service mints identical tokens within one second, and the SDK ignores an
  // update to the token it holds: answer the refresh with the /webchat/init token to make
  // that case certain.
  await demo.goto();
  const widget = await demo.openChat();
  const init = demo.page.waitForResponse((response) => response.url().endsWith('/webchat/init') && response.ok());
  await widget.startChat(formValues(visitor));
  const initToken = ((await (await init).json()) as { token: string }).token;
  await widget.expectMessage('agent', /I'm Alex/);
  const conversation = await agent.conversationOf(visitor.email);
  const refresh = await holdRefresh(demo.page, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...((await response.json()) as object), token: initToken } });
  });

  expect(await faults.expireTokens()).toBeGreaterThan(0);
  await refresh.requested;
  await expect(widget.connectionBanner).toBeVisible();
  await widget.send('Typed before the same token came back');
  refresh.release();

  await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
  await agent.waitForMessage(conversation.sid, 'Typed before the same token came back');
  await widget.send('And after it');
  await agent.waitForMessage(conversation.sid, 'And after it');
  await agent.send(conversation.sid, 'Got both of them');
  await widget.expectMessage('agent', 'Got both of them');

  await expectExactlyOnce(agent, conversation.sid, widget, ['Typed before the same token came back', 'And after it']);
  await expect(widget.errorAlert).toHaveCount(0);
});
