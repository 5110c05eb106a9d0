import type { APIRequestContext, Page, Route } from '@playwright/test';
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

interface EmulatorConnection {
  id: string;
  identity: string | null;
  tokenUpdates: number;
  forcedExpiryAt: string | null;
}

/** The emulator's live Twilsock sockets of `identity` (GET /faults/connections). */
async function socketsOf(request: APIRequestContext, emulatorUrl: string, identity: string): Promise<EmulatorConnection[]> {
  const response = await request.get(`${emulatorUrl}/faults/connections`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { connections: EmulatorConnection[] }).connections.filter((c) => c.identity === identity);
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

test('token about to expire: the widget renews ahead of the deadline and the connection never drops', async ({ demo, agent, faults, visitor }) => {
  const closeInMs = 4000;
  const request = demo.page.request;
  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat(formValues(visitor));
  await widget.expectMessage('agent', /I'm Alex/);
  const conversation = await agent.conversationOf(visitor.email);
  const identity = conversation.participants.find((p) => p.role === 'customer')?.identity ?? '';
  expect(identity).not.toBe('');
  const [socket] = await socketsOf(request, faults.baseUrl, identity);
  expect(socket, 'the widget is connected').toBeDefined();

  const deadline = await test.step('Twilsock warns: token about to expire, closed unless renewed', async () => {
    const response = await request.post(`${faults.baseUrl}/faults/expire-tokens`, { data: { inMs: closeInMs } });
    expect(response.ok(), await response.text()).toBe(true);
    expect(((await response.json()) as { warned: number }).warned).toBeGreaterThan(0);
    const [warned] = await socketsOf(request, faults.baseUrl, identity);
    // Unless the renewal already won the race, the emulator shows when it will close the socket.
    return warned?.forcedExpiryAt ? Date.parse(warned.forcedExpiryAt) : Date.now() + closeInMs;
  });

  await test.step('the widget renews on the same socket: the emulator cancels the close', async () => {
    await expect
      .poll(async () => (await socketsOf(request, faults.baseUrl, identity)).map((c) => ({ id: c.id, renewed: c.tokenUpdates > 0, closing: c.forcedExpiryAt !== null })), {
        timeout: 15_000,
      })
      .toEqual([{ id: socket?.id, renewed: true, closing: false }]);
  });

  await test.step('after the deadline: same socket, no Reconnecting banner', async () => {
    // The emulator closes at its deadline, so wait for its clock to pass it rather than for a fixed time.
    await expect.poll(() => Date.now() > deadline, { timeout: closeInMs + 10_000 }).toBe(true);
    expect((await socketsOf(request, faults.baseUrl, identity)).map((c) => c.id)).toEqual([socket?.id]);
    await expect(widget.connectionBanner).toHaveCount(0);
  });

  await test.step('messages keep flowing both ways', async () => {
    await widget.send('Still here after the warning?');
    await agent.waitForMessage(conversation.sid, 'Still here after the warning?');
    await agent.send(conversation.sid, 'Yes, your token was renewed in time');
    await widget.expectMessage('agent', 'Yes, your token was renewed in time');
  });

  await expectExactlyOnce(agent, conversation.sid, widget, ['Still here after the warning?']);
  await expect(widget.connectionBanner).toHaveCount(0);
  await expect(widget.errorAlert).toHaveCount(0);
});
