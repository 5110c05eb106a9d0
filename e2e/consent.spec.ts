import { loadDeploymentConfig } from '../config/load.ts';
import type { DeploymentConfig, FormFieldConfig } from '../config/types.ts';
import { expect, expectNoA11yViolations, formValues, LegacyTokenService, test } from './kit.ts';

// Issue 17, feature 4: a consent field. The widget shows the deployment's form
// with a consent field (laid over it with FlexChat('preview'), as the form builder
// does); a token service with the same form (a second one in the test process, in
// local Conversations mode against the suite's emulator) refuses a chat without
// consent and records the text version and the time in the conversation's
// attributes, where the agent API reads them.

const consent: FormFieldConfig = {
  name: 'privacy',
  type: 'consent',
  label: { en: 'I agree that Acme uses my answers to help me', es: 'Acepto que Acme use mis respuestas para ayudarme' },
  policyUrl: 'https://example.com/privacy',
  version: '2026-12',
};
const withConsent = (config: DeploymentConfig): DeploymentConfig => ({
  ...config,
  preEngagement: { ...config.preEngagement, fields: [...config.preEngagement.fields, consent] },
});

let service: LegacyTokenService;
test.beforeAll(async () => {
  service = await LegacyTokenService.start({
    deployment: withConsent,
    env: {},
  });
});
test.afterAll(async () => {
  await service?.close();
});

type FlexChatWindow = Window & { FlexChat: (command: string, ...args: unknown[]) => void };

test('a consent field must be ticked; its version and time land in the conversation attributes', async ({ demo, agent, visitor, context, page }) => {
  const forwarded = await service.routeTokenRequests(context);
  await demo.goto();
  const widget = await demo.openChat();
  const { preEngagement } = withConsent(loadDeploymentConfig());
  await page.evaluate((form) => (window as unknown as FlexChatWindow).FlexChat('preview', { preEngagement: form }), preEngagement);

  const box = widget.field('privacy');
  await test.step('the form shows a required checkbox and the policy link (http/https, new tab)', async () => {
    await expect(box).toBeVisible();
    await expect(box).not.toBeChecked();
    await expect(box).toHaveAttribute('aria-required', 'true');
    const link = widget.preChatForm.getByRole('link', { name: /Privacy policy/ });
    await expect(link).toHaveAttribute('href', 'https://example.com/privacy');
    await expect(link).toHaveAttribute('target', '_blank');
    await expectNoA11yViolations(page);
  });

  await test.step('without consent the form says so and nothing reaches the token service', async () => {
    await widget.fillPreChatForm(formValues(visitor));
    await widget.submitButton.click();
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(widget.preChatForm.getByText('Please accept to continue.')).toBeVisible();
    expect(forwarded.filter((r) => r.path === '/webchat/init')).toEqual([]);
    await expectNoA11yViolations(page);
  });

  await test.step('ticked with the keyboard, the chat starts', async () => {
    await box.focus();
    await page.keyboard.press('Space');
    await expect(box).toBeChecked();
    await widget.submitButton.click();
    await expect(widget.messageLog).toBeVisible();
    expect(forwarded).toContainEqual({ method: 'POST', path: '/webchat/init', status: 200 });
  });

  await test.step('the conversation attributes hold the accepted version and the time', async () => {
    const conversation = await agent.conversationOf(visitor.email);
    const data = (conversation.attributes as { pre_engagement_data: Record<string, unknown> }).pre_engagement_data;
    expect(data.privacy).toBe(true);
    const [record] = data._consent as Array<{ field: string; version: string; policyUrl: string; acceptedAt: string }>;
    expect(record).toMatchObject({ field: 'privacy', version: '2026-12', policyUrl: 'https://example.com/privacy' });
    expect(Math.abs(Date.parse(record!.acceptedAt) - Date.now())).toBeLessThan(60_000);
  });
});
