import { createRequire } from 'node:module';
import { expect, formValues, legacyTest as test } from './kit.ts';

// Issue 5 acceptance: legacy Flex (Programmable Chat). The widget is the same
// build; only its token service answers in legacy mode (a second one, started by
// the legacyTokenService fixture), so the widget picks the twilio-chat SDK and
// the chat runs on a /v1/Channels channel in the emulator.
test('legacy mode: a visitor chats through twilio-chat with a Flex agent until the agent ends it', async ({
  demo,
  agent,
  visitor,
  network,
  context,
  legacyTokenService,
}) => {
  const forwarded = await legacyTokenService.routeTokenRequests(context);
  const pinnedChatSdk = createRequire(import.meta.url)('twilio-chat/package.json') as { version: string };

  const widget = await test.step('the visitor opens the widget and starts a chat', async () => {
    await demo.goto();
    const widget = await demo.openChat();
    await widget.startChat(formValues(visitor));
    return widget;
  });

  const conversation = await test.step('the legacy token service made a Flex chat channel', async () => {
    expect(forwarded).toContainEqual({ method: 'POST', path: '/webchat/init', status: 200 });
    const conversation = await agent.conversationOf(visitor.email);
    expect(conversation.sid).toMatch(/^CH/);
    // /v1/Channels records the Flex Flow's channel type and its "ACTIVE" status on the channel.
    expect(conversation.attributes).toMatchObject({ channel_type: 'web', status: 'ACTIVE', from: visitor.name });
    return conversation;
  });

  await test.step('the twilio-chat chunk did the talking, the Conversations chunks never loaded', async () => {
    await widget.expectMessage('agent', /I'm Alex/);
    const scripts = network.urls.filter((url) => url.endsWith('.js')).map((url) => new URL(url).pathname);
    expect(scripts.some((path) => /\/legacy-transport-[\w-]+\.js$/.test(path))).toBe(true);
    // Nor any stage of it (its dependencies' chunks, load-transport.ts).
    expect(scripts.filter((path) => /\/(?:conversations-[\w-]+|sdk-(?:twilsock|notifications|twilio-sync)-[\w-]+)\.js$/.test(path))).toEqual([]);
    // twilio-chat came in its stages (legacy-stages.ts), each stage's chunk once.
    for (const stage of ['twilsock', 'sync-twilsock', 'notifications', 'twilio-sync']) {
      expect(scripts.filter((path) => new RegExp(`/legacy-stage-${stage}-[\\w-]+\\.js$`).test(path))).toHaveLength(1);
      expect(scripts.filter((path) => new RegExp(`/legacy-${stage}-[\\w-]+\\.js$`).test(path))).toHaveLength(1);
    }
    expect(network.twilsockInits).toContainEqual(expect.objectContaining({ type: 'chat', sdk: 'JS', sdkv: pinnedChatSdk.version }));
    expect(network.twilsockInits).not.toContainEqual(expect.objectContaining({ type: 'conversations' }));
  });

  await test.step("the form's question is the visitor's first message, posted once by the widget", async () => {
    await widget.expectMessage('visitor', visitor.question);
    await expect.poll(async () => (await agent.messages(conversation.sid)).filter((m) => m.body === visitor.question).length).toBe(1);
  });

  await test.step('the agent types, then replies', async () => {
    await agent.waitForAgent(conversation.sid);
    await agent.typing(conversation.sid);
    await expect(widget.typingIndicator).toContainText('Alex is typing');
    await agent.send(conversation.sid, 'Let me look that order up.');
    await widget.expectMessage('agent', 'Let me look that order up.');
  });

  await test.step('the visitor answers; it reaches the agent exactly once and is marked read', async () => {
    const text = `It is order ${visitor.email}`;
    await widget.send(text);
    await widget.expectMessage('visitor', text);
    await agent.waitForMessage(conversation.sid, text);
    expect((await agent.messages(conversation.sid)).filter((m) => m.body === text)).toHaveLength(1);
    const own = widget.messages('visitor').filter({ hasText: text });
    await expect(own).toHaveCount(1);
    await expect(own).toContainText('Sent');
    await agent.read(conversation.sid);
    await expect(own).toContainText('Read');
  });

  await test.step('files both ways (legacy: one file per message, text on its own)', async () => {
    await agent.attach(conversation.sid, { filename: 'invoice.pdf', contentType: 'application/pdf', data: '%PDF-1.4\n% invoice\n' });
    await expect(widget.attachment('invoice.pdf')).toBeVisible();

    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await widget.sendFile({ name: 'parcel.png', mimeType: 'image/png', buffer: png }, 'A photo of the parcel');
    await agent.waitForMessage(conversation.sid, 'A photo of the parcel');
    await expect
      .poll(async () => (await agent.messages(conversation.sid)).flatMap((m) => m.media.map(({ filename, contentType }) => ({ filename, contentType }))))
      .toContainEqual({ filename: 'parcel.png', contentType: 'image/png' });
    const messages = await agent.messages(conversation.sid);
    expect(messages.filter((m) => m.body === 'A photo of the parcel')).toHaveLength(1);
    expect(messages.filter((m) => m.media.some((x) => x.filename === 'parcel.png'))).toHaveLength(1);
    // The visitor sees the caption once and the photo delivered.
    await expect(widget.messages('visitor').filter({ hasText: 'A photo of the parcel' })).toHaveCount(1);
    const photo = widget.messages('visitor').filter({ has: widget.frame.getByRole('img', { name: 'parcel.png' }) });
    await expect(photo).toHaveCount(1);
    await expect(photo).toContainText(/Sent|Read/);
  });

  await test.step('the agent ends the chat; the widget shows it has ended', async () => {
    await agent.end(conversation.sid);
    await widget.expectEnded();
  });

  await test.step('only the legacy service answered the widget, and nothing left the machine', async () => {
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.every(({ status }) => status < 400)).toBe(true);
    expect(network.offLoopback()).toEqual([]);
  });
});
