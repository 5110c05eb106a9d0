// The session with Twilio's hosted Webchat 3 init as its token source (no token
// service): what it sends, how it refreshes, what it turns off, and the clear
// errors for a wrong key, a refused origin and an oversized form.
import { describe, expect, it, vi } from 'vitest';
import type { DeploymentConfig } from '../../../config/types.ts';
import { resolveWidgetOptions } from '../widget-options.ts';
import { agentAna, fillValidForm, harness, testConfig, type ScriptedResponse } from '../testing/fixtures.ts';

const KEY = 'CV' + 'ab'.repeat(16);
const sid = 'CH' + '1'.repeat(32);

const hostedConfig: DeploymentConfig = {
  ...testConfig,
  tokenUrl: undefined,
  tokenSource: { type: 'hosted', deploymentKey: KEY, region: 'ie1' },
  preEngagement: { ...testConfig.preEngagement, firstMessageField: 'question' },
};

const initOk: ScriptedResponse = {
  body: { token: 'token-1', conversation_sid: sid, identity: 'visitor-x', expiration: new Date(Date.UTC(2025, 0, 1, 13)).toISOString() },
};
const twilioError = (status: number, code: number, message: string): ScriptedResponse => ({ status, body: { code, message, more_info: '', status } });

async function submitted(responses: ScriptedResponse[]) {
  const h = harness({ config: hostedConfig, responses, transport: { participants: [agentAna] } });
  h.controller.start();
  fillValidForm(h.controller);
  await h.controller.submitForm();
  return h;
}

describe('hosted token source', () => {
  it("calls the region's hosted init with Webchat 3's fields and headers, then chats on the Conversations SDK", async () => {
    const h = await submitted([initOk]);
    expect(h.controller.state.phase).toBe('active');
    expect(h.http.calls[0]).toEqual({
      url: 'https://flex-api.ie1.twilio.com/v2/Webchat/Init',
      body: {
        DeploymentKey: KEY,
        CustomerFriendlyName: 'Zoë Ångström',
        PreEngagementData: JSON.stringify({ friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order?' }),
      },
    });
    const headers = h.http.headers[0]!;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(headers['x-twilio-sec-webchatinfo']!)).toEqual({ loginTimestamp: expect.stringMatching(/^\d{13}$/) });
    expect(Object.keys(JSON.parse(headers['x-twilio-sec-usersettings']!))).toEqual(['language', 'cookieEnabled', 'userTimezone']);
    expect(Object.keys(JSON.parse(headers['x-twilio-sec-decoders']!))).toEqual(['audio', 'video']);
    expect(headers).toHaveProperty('ui-version');
    expect(headers).toHaveProperty('webchat-version');
    expect(h.loads).toEqual(['conversations']);
    expect(h.transport.credentials).toMatchObject({ token: 'token-1', identity: 'visitor-x', conversationSid: sid });
    // No server posted the question: the widget sends it as the first message, as Webchat 3 does.
    await vi.waitFor(() => expect(h.transport.sent.map((m) => m.body)).toEqual(['Where is my order?']));
  });

  it('refreshes with the deployment key and the same login timestamp (the fingerprint Twilio recorded)', async () => {
    const h = await submitted([initOk, { body: { token: 'token-2', identity: 'visitor-x', expiration: new Date(Date.UTC(2025, 0, 1, 14)).toISOString() } }]);
    h.transport.emit({ type: 'tokenAboutToExpire' });
    await vi.waitFor(() => expect(h.transport.tokenUpdates).toEqual(['token-2']));
    expect(h.http.calls[1]).toEqual({ url: 'https://flex-api.ie1.twilio.com/v2/Webchat/Tokens/Refresh', body: { DeploymentKey: KEY, Token: 'token-1' } });
    expect(h.http.headers[1]!['x-twilio-sec-webchatinfo']).toBe(h.http.headers[0]!['x-twilio-sec-webchatinfo']);
    expect(h.controller.state.session?.expiresAt).toBe(Date.UTC(2025, 0, 1, 14));
  });

  it('offers no End chat button and no leave-a-message form: both need the token service', async () => {
    const h = await submitted([initOk]);
    expect(h.controller.visitorCanEnd).toBe(false);
    expect(harness().controller.visitorCanEnd).toBe(true);
    expect(resolveWidgetOptions({ ...hostedConfig, offline: { mode: 'closedMessage' } }).offlineMode).toBe('closedMessage');
    expect(resolveWidgetOptions({ ...hostedConfig, businessHours: { timezone: 'UTC', weekly: {} } }).offlineMode).toBe('closedMessage');
    expect(resolveWidgetOptions({ ...testConfig, businessHours: { timezone: 'UTC', weekly: {} } }).offlineMode).toBe('leaveMessage');
  });

  it('a wrong deployment key is a clear error that keeps the answers; retrying sends them again', async () => {
    const h = await submitted([twilioError(404, 45778, 'Configuration not found for provided Deployment Key.')]);
    expect(h.controller.state.phase).toBe('error');
    expect(h.controller.state.error).toMatchObject({ code: 'deployment-key', recovery: 'retry-init' });
    expect(h.controller.state.error?.message).toContain('deployment key');
    expect(h.controller.state.form.values).toMatchObject({ email: 'zoe@example.com', question: 'Where is my order?' });
    expect(h.hostEvents).toContainEqual({ type: 'error', code: 'deployment-key' });
    h.http.push(initOk);
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.http.calls[1]?.body).toEqual(h.http.calls[0]?.body);
  });

  it('a disallowed origin is a clear error that keeps the answers', async () => {
    const h = await submitted([twilioError(403, 20403, 'Origin https://evil.example is not an allowed origin')]);
    expect(h.controller.state.error).toMatchObject({ code: 'origin-not-allowed', recovery: 'retry-init' });
    expect(h.controller.state.error?.message).toContain('origin not allowed');
    expect(h.controller.state.form.values).toMatchObject({ friendlyName: '  Zoë Ångström ', question: 'Where is my order?' });
  });

  it('an oversized form goes back to the form, answers kept, saying to shorten them', async () => {
    const h = await submitted([twilioError(400, 45731, 'Failed to create webchat conversation. Pre-engagement data too large.')]);
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.form.message).toBe('Your answers are too long to send. Please shorten them.');
    expect(h.controller.state.form.values).toMatchObject({ email: 'zoe@example.com', question: 'Where is my order?' });
    expect(h.controller.state.error).toBeNull();
  });

  it('Twilio answering 429 is "busy", a network failure "network": both retried with the same answers', async () => {
    const busy = await submitted([{ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '1' } }]);
    expect(busy.controller.state.error).toMatchObject({ code: 'busy', recovery: 'retry-init' });
    const offline = await submitted([{ networkError: true }]);
    expect(offline.controller.state.error).toMatchObject({ code: 'network', recovery: 'retry-init' });
  });

  it('a refused refresh ends the session as expired (as Webchat 3, which then starts anew)', async () => {
    const h = await submitted([initOk, twilioError(403, 20403, 'fingerprint differs')]);
    h.transport.emit({ type: 'tokenExpired' });
    await vi.waitFor(() => expect(h.controller.state.error).toMatchObject({ code: 'session-expired', recovery: 'restart' }));
  });

  it('against the local emulator: its URL, the local mode and its Twilsock', async () => {
    const config: DeploymentConfig = { ...hostedConfig, tokenSource: { type: 'hosted', deploymentKey: KEY, emulatorUrl: 'http://127.0.0.1:5410' } };
    const h = harness({ config, responses: [initOk] });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.http.calls[0]?.url).toBe('http://127.0.0.1:5410/flex-api/v2/Webchat/Init');
    expect(h.loads.at(-1)).toBe('local');
    expect(h.transport.credentials).toMatchObject({ twilsockUri: 'ws://127.0.0.1:5410/v3/wsconnect' });
  });
});
