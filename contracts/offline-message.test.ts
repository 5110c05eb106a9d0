import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { OFFLINE_MESSAGE_LIMITS, offlineMessageFieldProblems, offlineMessageRequestSchema, type OfflineMessageField } from './offline-message.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['uuid', 'uri']);
const validate = ajv.compile(offlineMessageRequestSchema);

/** The fields ajv refuses, for a body whose values are already trimmed. */
function refusedBySchema(values: Record<OfflineMessageField, string>): OfflineMessageField[] {
  if (validate(values)) return [];
  return [...new Set((validate.errors ?? []).map((error) => error.instancePath.slice(1) as OfflineMessageField))].sort();
}

const good = { name: 'Zoë 李', email: 'zoe@example.com', message: 'Call me back,\nplease.' };

describe('offline message rules: the widget function and the schema agree', () => {
  it.each([
    ['a good message', good, {}],
    ['an empty name', { ...good, name: '' }, { name: 'required' }],
    ['a name without a letter', { ...good, name: '1234' }, { name: 'nameLetters' }],
    ['a name on two lines', { ...good, name: 'Zoë\nLi' }, { name: 'nameLetters' }],
    ['a name in another script', { ...good, name: 'Дарья' }, {}],
    ['a name too long (code points)', { ...good, name: '李'.repeat(OFFLINE_MESSAGE_LIMITS.name + 1) }, { name: 'tooLong' }],
    ['a name exactly at the limit in astral letters', { ...good, name: '𝒜'.repeat(OFFLINE_MESSAGE_LIMITS.name) }, {}],
    ['an address without a domain dot', { ...good, email: 'zoe@localhost' }, { email: 'email' }],
    ['an address with a space', { ...good, email: 'zo e@example.com' }, { email: 'email' }],
    ['an upper-case address', { ...good, email: 'ZOE@EXAMPLE.COM' }, {}],
    ['an address too long', { ...good, email: `${'a'.repeat(250)}@example.com` }, { email: 'email' }],
    ['an empty message', { ...good, message: '' }, { message: 'required' }],
    ['a message with a tab', { ...good, message: 'a\tb' }, {}],
    ['a message with a bell character', { ...good, message: 'a\u0007b' }, { message: 'invalid' }],
    ['a message too long', { ...good, message: 'x'.repeat(OFFLINE_MESSAGE_LIMITS.message + 1) }, { message: 'tooLong' }],
  ] as const)('%s', (_label, values, problems) => {
    expect(offlineMessageFieldProblems(values)).toEqual(problems);
    expect(refusedBySchema(values)).toEqual(Object.keys(problems).sort());
  });

  it('trims before checking, as the token service does', () => {
    expect(offlineMessageFieldProblems({ name: '  Zoë ', email: ' zoe@example.com ', message: '\n hi \n' })).toEqual({});
    expect(offlineMessageFieldProblems({ name: '   ', email: ' ', message: '\n' })).toEqual({ name: 'required', email: 'required', message: 'required' });
  });
});
