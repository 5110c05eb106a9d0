import { describe, expect, it } from 'vitest';
import type { FetchLike } from './token-service.ts';
import {
  buildLeaveMessageRequest,
  LeaveMessageForm,
  LeaveMessageSendError,
  mapLeaveMessageResponse,
  sendLeaveMessage,
  validateLeaveMessage,
} from './leave-message.ts';

const TOKEN_URL = 'http://127.0.0.1:4020';
const valid = { name: 'Zoë 李', email: 'zoe@example.com', message: 'Please call me back.' };

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network' | Promise<never>;

/** A fetch answering from a queue, recording the requests. */
function fakeFetch(...answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit; body: Record<string, unknown> }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init, body: JSON.parse(String(init.body)) as Record<string, unknown> });
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request to ${url}`);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (answer instanceof Promise) return answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: answer.headers ?? {} });
  };
  return { fetch, calls };
}

const error = (status: number, code: string, field?: string, headers?: Record<string, string>): Answer => ({
  status,
  body: { error: { code, message: `${code} from the service`, ...(field ? { field } : {}) } },
  ...(headers ? { headers } : {}),
});

function form(...answers: Answer[]) {
  const http = fakeFetch(...answers);
  let ids = 0;
  const f = new LeaveMessageForm({
    tokenUrl: TOKEN_URL,
    fetch: http.fetch,
    createId: () => `00000000-0000-4000-8000-00000000000${++ids}`,
    context: () => ({ locale: 'fr', pageUrl: 'https://shop.example.com/cart?x=1' }),
  });
  return { f, http };
}

function fill(f: LeaveMessageForm, values = valid) {
  f.setValue('name', values.name);
  f.setValue('email', values.email);
  f.setValue('message', values.message);
}

describe('validateLeaveMessage (the token service rules, before sending)', () => {
  it('accepts names in any script and counts code points', () => {
    expect(validateLeaveMessage(valid)).toEqual({});
    expect(validateLeaveMessage({ ...valid, name: '龍'.repeat(80), message: '😀'.repeat(2000) })).toEqual({});
  });

  it.each([
    [{ name: ' ', email: '', message: '\n' }, { name: 'required', email: 'required', message: 'required' }],
    [{ ...valid, name: '龍'.repeat(81) }, { name: 'tooLong' }],
    [{ ...valid, name: '1234' }, { name: 'nameLetters' }],
    [{ ...valid, name: 'Zoë\u2028Li' }, { name: 'nameLetters' }],
    [{ ...valid, email: 'zoe@' }, { email: 'email' }],
    [{ ...valid, email: `${'a'.repeat(250)}@x.io` }, { email: 'email' }],
    [{ ...valid, message: 'a'.repeat(2001) }, { message: 'tooLong' }],
    [{ ...valid, message: 'bell\u0007' }, { message: 'invalid' }],
  ])('%j → %j', (values, errors) => {
    expect(validateLeaveMessage(values)).toEqual(errors);
  });
});

describe('buildLeaveMessageRequest', () => {
  it('trims, carries the message id, and adds the locale and an http(s) page URL', () => {
    expect(buildLeaveMessageRequest({ name: ' Zoë ', email: ' z@e.io ', message: ' Hi\n ' }, 'id-1', { locale: 'fr', pageUrl: 'https://a.example/p' })).toEqual({
      name: 'Zoë',
      email: 'z@e.io',
      message: 'Hi',
      messageId: 'id-1',
      context: { locale: 'fr', pageUrl: 'https://a.example/p' },
    });
    expect(buildLeaveMessageRequest(valid, 'id-2', { pageUrl: 'javascript:alert(1)' })).toEqual({ ...valid, messageId: 'id-2' });
  });
});

describe('mapLeaveMessageResponse / sendLeaveMessage', () => {
  const mapped = async (answer: Response) => {
    try {
      await mapLeaveMessageResponse(answer);
      return 'delivered';
    } catch (failure) {
      return failure instanceof LeaveMessageSendError ? { ...failure.error, field: failure.field } : failure;
    }
  };
  const response = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers });

  it('maps every typed error of the service to what the widget can do about it', async () => {
    expect(await mapped(response(202, { status: 'delivered', messageId: 'x' }))).toBe('delivered');
    expect(await mapped(response(202))).toBe('delivered');
    expect(await mapped(response(429, { error: { code: 'rate_limited' } }, { 'retry-after': '12' }))).toEqual({
      kind: 'busy',
      retryable: true,
      retryAfterSeconds: 12,
      code: 'rate_limited',
      field: null,
    });
    expect(await mapped(response(502, { error: { code: 'delivery_failed' } }))).toMatchObject({ kind: 'delivery', retryable: true, code: 'delivery_failed' });
    expect(await mapped(response(503))).toMatchObject({ kind: 'delivery', retryable: true, code: null });
    expect(await mapped(response(501, { error: { code: 'not_configured' } }))).toMatchObject({ kind: 'unavailable', retryable: false });
    expect(await mapped(response(403, { error: { code: 'origin_not_allowed' } }))).toMatchObject({ kind: 'unavailable', retryable: false });
    expect(await mapped(response(413, { error: { code: 'payload_too_large' } }))).toMatchObject({ kind: 'fields', field: { name: 'message', problem: 'tooLong' } });
    expect(await mapped(response(400, { error: { code: 'invalid_body', field: 'email' } }))).toMatchObject({ kind: 'fields', field: { name: 'email', problem: 'email' } });
    expect(await mapped(response(400, { error: { code: 'invalid_body', field: 'name' } }))).toMatchObject({ field: { name: 'name', problem: 'nameLetters' } });
    expect(await mapped(response(400, { error: { code: 'invalid_body', field: 'context.pageUrl' } }))).toMatchObject({ kind: 'rejected', retryable: false, field: null });
    expect(await mapped(response(415, 'not json {'))).toMatchObject({ kind: 'rejected', code: null });
  });

  it('posts JSON to {tokenUrl}/webchat/message without credentials; a network failure is retryable', async () => {
    const ok = fakeFetch({ status: 202, body: { status: 'delivered' } }, 'network');
    const body = buildLeaveMessageRequest(valid, 'id-1');
    await sendLeaveMessage(ok.fetch, TOKEN_URL, body);
    expect(ok.calls[0]).toMatchObject({ url: `${TOKEN_URL}/webchat/message`, init: { method: 'POST', credentials: 'omit' }, body });
    await expect(sendLeaveMessage(ok.fetch, TOKEN_URL, body)).rejects.toMatchObject({ error: { kind: 'network', retryable: true } });
  });
});

describe('LeaveMessageForm', () => {
  it('refuses invalid input without sending, then sends and confirms; the message text is cleared only once delivered', async () => {
    const { f, http } = form({ status: 202, body: { status: 'delivered' } });
    await f.submit();
    expect(f.state).toMatchObject({ status: 'editing', errors: { name: 'required', email: 'required', message: 'required' }, rejectedSubmits: 1 });
    expect(http.calls).toHaveLength(0);

    fill(f);
    expect(f.state.errors).toEqual({});
    const sending = f.submit();
    expect(f.state.status).toBe('sending');
    f.setValue('message', 'changed while sending'); // ignored: the text being sent stays as it is
    await f.submit(); // a second click while sending does nothing
    await sending;
    expect(http.calls).toHaveLength(1);
    expect(http.calls[0]?.body).toEqual({
      ...valid,
      messageId: '00000000-0000-4000-8000-000000000001',
      context: { locale: 'fr', pageUrl: 'https://shop.example.com/cart?x=1' },
    });
    expect(f.state).toMatchObject({ status: 'sent', error: null, values: { name: valid.name, email: valid.email, message: '' } });

    f.writeAnother();
    expect(f.state.status).toBe('editing');
  });

  it('keeps the text after a failure and retries with the same message id; a changed text gets a new one', async () => {
    const { f, http } = form(error(502, 'delivery_failed'), 'network', error(429, 'rate_limited', undefined, { 'retry-after': '3' }), { status: 202 });
    fill(f);
    await f.submit();
    expect(f.state).toMatchObject({ status: 'editing', values: valid, error: { kind: 'delivery', retryable: true } });
    await f.submit();
    expect(f.state.error).toMatchObject({ kind: 'network' });
    expect(http.calls.map((c) => c.body.messageId)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001']);

    f.setValue('message', 'Please call me back tomorrow.');
    await f.submit();
    expect(f.state.error).toMatchObject({ kind: 'busy', retryAfterSeconds: 3 });
    expect(http.calls[2]?.body.messageId).toBe('00000000-0000-4000-8000-000000000002');
    await f.submit();
    expect(f.state.status).toBe('sent');
  });

  it('puts a field the service refused on that field (and counts it as a refused submit)', async () => {
    const { f } = form(error(400, 'invalid_body', 'email'));
    fill(f, { ...valid, email: 'zoe@example.invalid' });
    await f.submit();
    expect(f.state).toMatchObject({ errors: { email: 'email' }, error: { kind: 'fields', retryable: false }, rejectedSubmits: 1, values: { message: valid.message } });
    f.setValue('email', 'zoe@example.com');
    expect(f.state.errors).toEqual({});
  });

  it('says when the deployment cannot take messages (501), keeping the text', async () => {
    const { f } = form(error(501, 'not_configured'));
    fill(f);
    await f.submit();
    expect(f.state).toMatchObject({ status: 'editing', values: valid, error: { kind: 'unavailable', retryable: false, code: 'not_configured' } });
  });

  it('prefills empty fields only, never what the visitor typed', () => {
    const { f } = form();
    f.setValue('name', 'Typed');
    f.prefill({ name: 'From host', email: 'host@example.com' });
    expect(f.state.values).toEqual({ name: 'Typed', email: 'host@example.com', message: '' });
    f.prefill({ email: 'other@example.com' });
    expect(f.state.values.email).toBe('host@example.com');
  });
});
