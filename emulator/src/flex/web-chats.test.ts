import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { RunningEmulator } from '../emulator.ts';
import { SPEC_DIR } from '../../test/openapi.ts';

// POST /v2/WebChats as Twilio documents it in emulator/specs/twilio-oai.

const spec = JSON.parse(readFileSync(resolve(SPEC_DIR, 'twilio_flex_v2.json'), 'utf8')) as {
  components: { schemas: Record<string, object> };
};
const ajv = new Ajv({ strict: false });
ajv.addKeyword('x-twilio');
const validateWebChannel = ajv.compile({ ...spec.components.schemas['flex.v2.web_channel'], additionalProperties: false });
const twilioErrorShape = ajv.compile({
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, more_info: { type: 'string' }, status: { type: 'integer' } },
  additionalProperties: false,
});

// These cases fire more requests than the Webchat rate limit allows per second; rate-limit.test.ts covers the limit.
const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

function post(emulator: RunningEmulator, fields: Record<string, string>, auth = `${emulator.credentials.accountSid}:${emulator.credentials.authToken}`) {
  return fetch(`${emulator.url}/flex-api/v2/WebChats`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

describe('POST /flex-api/v2/WebChats', () => {
  it('creates a conversation with the visitor in it and answers 201 in the spec shape', async ({ emulator }) => {
    const response = await post(emulator, {
      AddressSid: emulator.credentials.webChatAddressSid,
      ChatFriendlyName: 'Web chat',
      CustomerFriendlyName: '李小龍',
      PreEngagementData: JSON.stringify({ email: 'l@example.com' }),
      Identity: 'visitor-abc',
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(validateWebChannel(body), JSON.stringify(validateWebChannel.errors)).toBe(true);
    expect(body.identity).toBe('visitor-abc');
    const conversation = emulator.model.get(body.conversation_sid);
    expect(conversation.attributes.pre_engagement_data).toEqual({ email: 'l@example.com' });
    expect([...conversation.participants.values()].map((p) => p.identity)).toEqual(['visitor-abc']);
  });

  it.for<[string, Record<string, string>, string | undefined, number, number]>([
    ['wrong password', { AddressSid: 'IG' + '0'.repeat(31) + '1' }, 'AC00000000000000000000000000000001:nope', 401, 20003],
    ['missing AddressSid', {}, undefined, 400, 20001],
    ['an IS… SID as AddressSid', { AddressSid: 'IS' + '0'.repeat(31) + '1' }, undefined, 400, 20001],
    ['an unknown address', { AddressSid: 'IG' + 'f'.repeat(32) }, undefined, 404, 20404],
    ['an unknown parameter', { AddressSid: 'IG' + '0'.repeat(31) + '1', Bogus: 'x' }, undefined, 400, 20001],
    ['a ChatFriendlyName over 256 characters', { AddressSid: 'IG' + '0'.repeat(31) + '1', ChatFriendlyName: 'x'.repeat(257) }, undefined, 400, 50003],
    ['an Identity over 256 characters', { AddressSid: 'IG' + '0'.repeat(31) + '1', Identity: 'x'.repeat(257) }, undefined, 400, 50207],
  ])('answers %s with a Twilio error', async ([, fields, auth, status, code], { emulator }) => {
    const response = await post(emulator, fields, auth);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(twilioErrorShape(body), JSON.stringify(twilioErrorShape.errors)).toBe(true);
    expect(body.code).toBe(code);
  });

  it('keeps PreEngagementData that is not a JSON object as the text it is (the spec types it as a plain string)', async ({ emulator }) => {
    for (const text of ['Where is my order?', '[1,2]', '"quoted"']) {
      const response = await post(emulator, { AddressSid: 'IG' + '0'.repeat(31) + '1', PreEngagementData: text });
      expect(response.status).toBe(201);
      const { conversation_sid: sid } = (await response.json()) as { conversation_sid: string };
      expect(emulator.model.get(sid).attributes.pre_engagement_data).toBe(text);
    }
  });

  it('creates nothing when it refuses a request', async ({ emulator }) => {
    const before = emulator.model.conversations.size;
    expect((await post(emulator, { AddressSid: 'IG' + '0'.repeat(31) + '1', Identity: 'x'.repeat(257) })).status).toBe(400);
    expect(emulator.model.conversations.size).toBe(before);
  });

  it('answers unknown routes with a Twilio 404 and keeps serving', async ({ emulator }) => {
    const response = await fetch(`${emulator.url}/flex-api/v9/Nope`);
    expect(response.status).toBe(404);
    expect((await response.json()).code).toBe(20404);
    expect((await fetch(`${emulator.url}/healthz`)).status).toBe(200);
  });
});

describe('malformed requests', () => {
  it('answers a malformed percent-escape in the path with a Twilio 400, not a crash', async ({ emulator }) => {
    const response = await fetch(`${emulator.url}/agent/conversations/%E0%A4%A/messages`);
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe(20001);
  });
});
