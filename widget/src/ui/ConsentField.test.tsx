// A consent field in the pre-engagement form: rendering, the policy link, and that
// nothing (skip-form, a host prefill, a default) gives consent for the visitor.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeploymentConfig, FormFieldConfig } from '../../../config/types.ts';
import { harness, testConfig, type Harness } from '../testing/fixtures.ts';
import { PreEngagementForm } from './PreEngagementForm.tsx';
import { SessionContext } from './session-context.ts';

const consent: FormFieldConfig = {
  name: 'privacy',
  type: 'consent',
  label: 'I agree that my data is used to answer me',
  policyUrl: 'https://example.com/privacy',
  version: 'v3',
};
const hidden: FormFieldConfig = { name: 'source', type: 'hidden', label: 'Source', defaultValue: 'web' };
const withFields = (fields: FormFieldConfig[]): DeploymentConfig => ({ ...testConfig, preEngagement: { fields } });

const controllers: Harness[] = [];
afterEach(() => {
  cleanup();
  for (const h of controllers.splice(0)) h.controller.dispose();
});

function started(options: Parameters<typeof harness>[0]): Harness {
  const h = harness(options);
  controllers.push(h);
  h.controller.start();
  return h;
}

describe('consent field', () => {
  it('renders a required checkbox with its label and a safe link to the policy in a new tab', () => {
    const h = started({ config: withFields([consent]) });
    render(
      <SessionContext.Provider value={h.controller}>
        <PreEngagementForm />
      </SessionContext.Provider>,
    );
    const box = screen.getByRole('checkbox', { name: consent.label as string });
    expect([box.getAttribute('required'), box.getAttribute('aria-required'), (box as HTMLInputElement).checked]).toEqual(['', 'true', false]);
    const link = screen.getByRole('link', { name: 'Privacy policy (opens in a new tab)' });
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual(['https://example.com/privacy', '_blank', 'noopener noreferrer']);

    fireEvent.submit(box.closest('form')!);
    const field = box.closest('.fc-field') as HTMLElement;
    expect(within(field).getByText('Please accept to continue.')).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(h.http.calls).toHaveLength(0);
  });

  it('draws no link for a policy URL that is not http(s) (a preview could send one)', () => {
    const h = started({ config: withFields([{ ...consent, policyUrl: 'javascript:alert(1)' }]) });
    render(
      <SessionContext.Provider value={h.controller}>
        <PreEngagementForm />
      </SessionContext.Provider>,
    );
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('skip-form does not skip it; a host prefill or a default cannot tick it; the visitor can', async () => {
    const h = started({ config: withFields([hidden, { ...consent, defaultValue: true }]), controller: { options: { skipForm: true } } });
    h.controller.applyPrefill({ privacy: 'true', source: 'ads' });
    await Promise.resolve();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.form.values.privacy).toBe(false);
    expect(h.http.calls).toHaveLength(0);

    h.controller.setFieldValue('privacy', true);
    await h.controller.submitForm();
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(h.http.calls[0]?.body).toMatchObject({ preEngagementData: { source: 'ads', privacy: true } });
  });
});
