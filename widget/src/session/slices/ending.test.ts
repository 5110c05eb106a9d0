// Ending a chat: by the visitor (through the token service) or by the agent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, initOk } from '../../testing/fixtures.ts';
import { browserProfile } from '../../testing/storage.ts';
import { storageKey } from '../persistence.ts';
import { sessionTranscript } from '../transcript.ts';

let profile: ReturnType<typeof browserProfile> | undefined;
afterEach(() => profile?.close());

const sid = 'CH00000000000000000000000000000001';

describe('the visitor ends the chat', () => {
  it('asks the token service to close the conversation, then shows the ended state', async () => {
    const h = await activeHarness({ responses: [initOk, { body: { status: 'closed' } }] });
    h.transport.pushAgentMessage('Anything else?');
    const ending = h.controller.endChat();
    expect(h.controller.state.ending).toBe(true);
    await ending;
    expect(h.http.calls[1]).toEqual({ url: 'http://127.0.0.1:4020/webchat/end', body: { token: 'token-1', identity: 'visitor-identity', conversationSid: sid } });
    expect(h.controller.state).toMatchObject({ phase: 'ended', endedBy: 'visitor', ending: false });
    expect(h.controller.state.messages.at(-1)).toMatchObject({ role: 'system', body: 'You ended the chat.' });
    expect(h.transport.connected).toBe(false);
    expect(h.hostEvents.at(-1)).toEqual({ type: 'sessionEnd' });
  });

  it('the close event arriving before the HTTP answer still reads as ended by the visitor', async () => {
    const h = await activeHarness({ responses: [initOk, { body: {} }] });
    const ending = h.controller.endChat();
    h.transport.closeConversation();
    await ending;
    expect(h.controller.state).toMatchObject({ phase: 'ended', endedBy: 'visitor' });
    expect(h.controller.state.messages.filter((m) => m.notice === 'ended')).toHaveLength(1);
  });

  it.each([
    [404, 'not_found'],
    [410, 'conversation_closed'],
  ])('a %i (%s) from the service still ends the chat here', async (status, code) => {
    const h = await activeHarness({ responses: [initOk, { status, body: { error: { code, message: 'x' } } }] });
    await h.controller.endChat();
    expect(h.controller.state).toMatchObject({ phase: 'ended', endedBy: 'visitor' });
  });

  it('when the service cannot be reached the chat goes on, with an explanation', async () => {
    const h = await activeHarness({ responses: [initOk, { networkError: true }] });
    await h.controller.endChat();
    expect(h.controller.state).toMatchObject({
      phase: 'active',
      ending: false,
      endError: 'We could not end the chat. Please try again.',
    });
    h.http.push({ body: {} });
    await h.controller.endChat();
    expect(h.controller.state.phase).toBe('ended');
    expect(h.controller.state.endError).toBeNull();
  });

  it('every tab ends, and the chat is not resumed after a reload', async () => {
    profile = browserProfile();
    const a = await activeHarness({ sync: profile.tab(), responses: [initOk, { body: {} }] });
    const b = await activeHarness({ sync: profile.tab(), responses: [] }); // resumes A's chat
    expect(b.controller.state.session?.conversationSid).toBe(sid);
    await vi.waitFor(() => expect(b.controller.state.phase).not.toBe('connecting')); // B has resumed
    await a.controller.endChat();
    await vi.waitFor(() => expect(b.controller.state).toMatchObject({ phase: 'ended', endedBy: 'visitor' }));
    expect(JSON.parse(profile.storage.getItem(storageKey)!)).toMatchObject({ endedBy: 'visitor' });
    expect(profile.tab().load()).toBeNull();
  });

  it('does nothing outside a chat, and only once while a request is in flight', async () => {
    const h = await activeHarness({ responses: [initOk, { body: {} }] });
    const first = h.controller.endChat();
    await h.controller.endChat();
    await first;
    await h.controller.endChat();
    expect(h.http.calls.filter((c) => c.url.endsWith('/webchat/end'))).toHaveLength(1);
  });
});

describe('the agent ends the chat', () => {
  it('ends with a notice, keeps the conversation for the transcript, and "start new" clears it', async () => {
    const h = await activeHarness();
    h.transport.pushAgentMessage('Bye!', 'agent-1', 'Ana');
    h.transport.closeConversation();
    expect(h.controller.state).toMatchObject({ phase: 'ended', endedBy: 'agent' });
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Bye!', 'The agent ended the chat.']);
    expect(sessionTranscript(h.controller)).toContain('Ana: Bye!');
    expect(sessionTranscript(h.controller)).toContain('* The agent ended the chat.');
    h.controller.restart();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.messages).toEqual([]);
  });
});

describe('the conversation closes', () => {
  it('a closed conversation ends the session; a new chat keeps unsent text in the composer', async () => {
    const h = await activeHarness();
    h.transport.failNextSend();
    await h.controller.send('unsent words');
    h.controller.setDraft('half typed');
    h.transport.closeConversation();
    expect(h.controller.state.phase).toBe('ended');
    expect(h.hostEvents.at(-1)).toEqual({ type: 'sessionEnd' });
    expect(h.transport.listenerCount).toBe(0);

    h.controller.restart();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.messages).toEqual([]);
    expect(h.controller.state.draft).toBe('unsent words\n\nhalf typed');
    expect(h.controller.state.form.values.friendlyName).toBe('  Zoë Ångström ');
  });
});
