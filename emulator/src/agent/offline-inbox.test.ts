import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';

const it = emulatorTest({ logLevel: 'silent' });

const inbox = async (url: string) => ((await (await fetch(`${url}/agent/offline-messages`)).json()) as { messages: Array<Record<string, unknown>> }).messages;
const leave = (url: string, body: unknown) =>
  fetch(`${url}/agent/offline-messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const message = {
  type: 'offline_message',
  id: '7d1f6a0e-3c1b-4a57-9e3f-8a2b5c4d6e7f',
  receivedAt: '2030-01-01T22:00:00.000Z',
  name: 'Zoë 李',
  email: 'zoe@example.com',
  message: 'Call me back,\nplease.',
  context: { pageUrl: 'https://shop.example.com/cart', locale: 'en' },
};

describe('offline inbox (agent API)', () => {
  it('stores messages in order, keeps one copy of a retried id, and forgets them on /faults/reset', async ({ emulator }) => {
    expect(await inbox(emulator.url)).toEqual([]);
    expect((await leave(emulator.url, message)).status).toBe(201);
    const again = await leave(emulator.url, message);
    expect([again.status, ((await again.json()) as { duplicate?: boolean }).duplicate]).toEqual([200, true]);
    expect((await leave(emulator.url, { name: 'Ivo', email: 'ivo@example.com', message: 'Second' })).status).toBe(201);
    const stored = await inbox(emulator.url);
    expect(stored).toHaveLength(2);
    expect(stored[0]).toEqual({ id: message.id, receivedAt: message.receivedAt, name: message.name, email: message.email, message: message.message, context: message.context });
    expect(stored[1]).toMatchObject({ name: 'Ivo', id: expect.any(String), receivedAt: expect.any(String) });

    await fetch(`${emulator.url}/faults/reset`, { method: 'POST' });
    expect(await inbox(emulator.url)).toEqual([]);
  });

  it.for([
    [[1, 2], 'JSON object'],
    [{ ...message, name: '' }, 'name'],
    [{ ...message, email: 'nope' }, 'email'],
    [{ ...message, message: 'x'.repeat(2001) }, 'message'],
    [{ ...message, receivedAt: 'yesterday' }, 'receivedAt'],
    [{ ...message, context: { n: 1 } }, 'context.n'],
    [{ ...message, type: 'other' }, 'type'],
    [{ ...message, extra: true }, 'Unknown property'],
  ])('refuses %j with 400 invalid_body', async ([body, mentions], { emulator }) => {
    const response = await leave(emulator.url, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_body');
    expect(error.message).toContain(mentions);
  });

  it('answers a broken JSON body with invalid_json, and CORS only for loopback pages', async ({ emulator }) => {
    const broken = await fetch(`${emulator.url}/agent/offline-messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
    const fromConsole = await fetch(`${emulator.url}/agent/offline-messages`, { headers: { Origin: 'http://127.0.0.1:4040' } });
    expect(fromConsole.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4040');
    const fromElsewhere = await fetch(`${emulator.url}/agent/offline-messages`, { headers: { Origin: 'https://evil.example' } });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
