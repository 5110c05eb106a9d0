import type { APIRequestContext, Request } from '@playwright/test';
import { localDeploymentKey } from '../../contracts/local-account.ts';
import { expect, formValues, localOrigins, test } from '../kit.ts';

// Issue 19 acceptance: the widget with no token service, on Twilio's hosted
// Webchat init (served by the emulator), through the real @twilio/conversations
// SDK: the form, the init, a chat both ways, a token refresh, a reload that
// resumes; and the three refusals (wrong key, disallowed origin, oversized form),
// each a clear error that keeps the visitor's answers.

const emulator = localOrigins.emulator;
/** The iframe's origin: what the deployment key must allow (npm start -- hosted creates it so). */
const widgetOrigin = localOrigins.widget;
const KEYS = `${emulator}/agent/deployment-keys`;

/** The hosted init requests the widget's iframe made. */
function hostedRequests(page: import('@playwright/test').Page): Request[] {
  const seen: Request[] = [];
  page.context().on('request', (request) => {
    if (request.url().includes('/v2/Webchat/')) seen.push(request);
  });
  return seen;
}

async function setAllowedOrigins(request: APIRequestContext, origins: string[]): Promise<void> {
  const response = await request.post(`${KEYS}/${localDeploymentKey}`, { data: { allowedOrigins: origins } });
  expect(response.ok(), await response.text()).toBe(true);
}

test('hosted mode: form, init at Twilio\'s hosted endpoint, chat both ways, token refresh, reload resume', async ({ demo, agent, visitor, page }) => {
  const requests = hostedRequests(page);
  await demo.goto();
  const widget = await demo.openChat();

  await test.step('the visitor fills in the form; the iframe calls the hosted init with the deployment key and security headers', async () => {
    await widget.startChat(formValues(visitor));
    await expect.poll(() => requests.filter((r) => r.url().endsWith('/flex-api/v2/Webchat/Init')).length).toBe(1);
    const init = requests[0]!;
    const fields = new URLSearchParams(init.postData() ?? '');
    expect(fields.get('DeploymentKey')).toBe(localDeploymentKey);
    expect(fields.get('CustomerFriendlyName')).toBe(visitor.name);
    expect(JSON.parse(fields.get('PreEngagementData') ?? '{}')).toMatchObject({ email: visitor.email });
    const headers = await init.allHeaders();
    for (const name of ['x-twilio-sec-usersettings', 'x-twilio-sec-webchatinfo', 'x-twilio-sec-decoders']) expect(() => JSON.parse(headers[name] ?? '')).not.toThrow();
    expect(headers.origin).toBe(widgetOrigin);
  });

  const conversation = await agent.conversationOf(visitor.email);

  await test.step('no token service was asked; the question is the first message, posted by the widget', async () => {
    const tokenService = requests.filter((r) => r.url().startsWith(localOrigins.tokenService));
    expect(tokenService).toEqual([]);
    await agent.waitForMessage(conversation.sid, visitor.question);
    await expect(widget.endChatButton).toHaveCount(0);
  });

  await test.step('chat both ways', async () => {
    await widget.expectMessage('agent', /I'm Alex/);
    await agent.send(conversation.sid, 'Hosted init works, how can I help?');
    await widget.expectMessage('agent', 'Hosted init works, how can I help?');
    await widget.send('Through Twilio\'s hosted init, no server');
    await agent.waitForMessage(conversation.sid, 'Through Twilio\'s hosted init, no server');
  });

  await test.step('token about to expire: the widget refreshes at the hosted endpoint with the same fingerprint', async () => {
    const response = await page.request.post(`${emulator}/faults/expire-tokens`, { data: { inMs: 4000 } });
    expect(response.ok(), await response.text()).toBe(true);
    await expect.poll(() => requests.filter((r) => r.url().endsWith('/v2/Webchat/Tokens/Refresh')).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const refresh = requests.find((r) => r.url().endsWith('/v2/Webchat/Tokens/Refresh'))!;
    expect((await refresh.response())?.status()).toBe(200);
    expect((await refresh.allHeaders())['x-twilio-sec-webchatinfo']).toBe((await requests[0]!.allHeaders())['x-twilio-sec-webchatinfo']);
    await widget.send('After the refresh');
    await agent.waitForMessage(conversation.sid, 'After the refresh');
  });

  await test.step('a reload resumes the same conversation without a new init', async () => {
    await page.reload();
    const again = await demo.openChat();
    await again.expectMessage('visitor', 'After the refresh');
    await agent.send(conversation.sid, 'Still here after your reload');
    await again.expectMessage('agent', 'Still here after your reload');
    expect(requests.filter((r) => r.url().endsWith('/v2/Webchat/Init'))).toHaveLength(1);
  });
});

test('a wrong deployment key, a disallowed origin and an oversized form each end in a clear error, answers kept', async ({ demo, visitor, page }) => {
  const request = page.request;
  await demo.goto();
  const widget = await demo.openChat();
  const values = formValues(visitor);

  await test.step('disallowed origin: the key allows another site only', async () => {
    await setAllowedOrigins(request, ['https://elsewhere.example']);
    try {
      await widget.fillPreChatForm(values);
      await widget.submitButton.click();
      await expect(widget.errorAlert).toContainText('origin not allowed');
    } finally {
      await setAllowedOrigins(request, [widgetOrigin]);
    }
  });

  await test.step('wrong key: the key is gone from the account', async () => {
    expect((await request.delete(`${KEYS}/${localDeploymentKey}`)).status()).toBe(204);
    try {
      await widget.retryButton.click();
      await expect(widget.errorAlert).toContainText('unknown deployment key');
    } finally {
      const created = await request.post(KEYS, { data: { key: localDeploymentKey, allowedOrigins: [widgetOrigin] } });
      expect(created.status()).toBe(201);
    }
  });

  await test.step('oversized form: the answers grow past 16 KB on the way (the form itself caps them lower)', async () => {
    await page.reload();
    const fresh = await demo.openChat();
    await page.route('**/v2/Webchat/Init', async (route) => {
      const fields = new URLSearchParams(route.request().postData() ?? '');
      fields.set('PreEngagementData', JSON.stringify({ ...JSON.parse(fields.get('PreEngagementData') ?? '{}'), padding: 'x'.repeat(17_000) }));
      await route.continue({ postData: fields.toString() });
    });
    await fresh.fillPreChatForm(values);
    await fresh.submitButton.click();
    await expect(fresh.preChatForm).toContainText('Your answers are too long to send');
    await expect(fresh.field('email')).toHaveValue(visitor.email);
    await expect(fresh.field('question')).toHaveValue(visitor.question);
    await page.unroute('**/v2/Webchat/Init');
  });
});
