import { describe, expect, it } from 'vitest';
import { MediaStore } from '../media/media-store.ts';
import { SyncStore } from '../sync/sync-store.ts';
import type { TunnelledRequest } from '../twilsock/tunnel.ts';
import { AIM_HOST, createClientRoutes } from './client-routes.ts';
import { ConversationsModel } from './model.ts';

// The conversation resource the SDKs read over twilsock (getMessagesCount() among
// others): its caller must be a participant, and only of its own service.

const SERVICE = 'IS00000000000000000000000000000001';

function setup() {
  const model = new ConversationsModel(new SyncStore(), SERVICE);
  const routes = createClientRoutes({ model, media: new MediaStore('secret', () => 'http://127.0.0.1'), httpBaseUrl: () => 'http://127.0.0.1' });
  const conversation = model.createConversation({ serviceSid: SERVICE });
  model.addParticipant(conversation, { identity: 'visitor-a', role: 'customer' });
  model.addParticipant(conversation, { identity: 'agent-1', role: 'agent' });
  model.postMessage(conversation, { author: 'visitor-a', body: 'hello' });
  model.postMessage(conversation, { author: 'agent-1', body: 'hi, how can I help?' });
  const get = (identity: string, serviceSid = SERVICE) =>
    routes({
      host: AIM_HOST,
      method: 'GET',
      path: `/Client/v2/Conversations/${conversation.sid}`,
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      identity,
      serviceSid,
      connectionId: 'TC1',
    } satisfies TunnelledRequest);
  return { get };
}

describe('GET /Client/v2/Conversations/{sid}', () => {
  it("gives a participant the conversation with its messages_count (both SDKs' getMessagesCount)", () => {
    expect(setup().get('visitor-a')).toMatchObject({ status: 200, body: { messages_count: 2 } });
  });

  it('refuses another visitor (403 50107) and tells nothing of the conversation', () => {
    const answer = setup().get('visitor-b');
    expect(answer).toMatchObject({ status: 403, body: { code: 50107 } });
    expect(JSON.stringify(answer)).not.toContain('messages_count');
  });

  it('answers a token of another service as if the conversation did not exist (404)', () => {
    expect(setup().get('visitor-a', 'IS00000000000000000000000000000002')).toMatchObject({ status: 404, body: { code: 20404 } });
  });
});
