// The pre-engagement form: validation, submission, the token service's field errors, skip-form.
import { describe, expect, it, vi, afterEach } from 'vitest';
import { allFieldsConfig, fillValidForm, harness, testConfig } from '../../testing/fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('form submission', () => {
  it('invalid values never reach the token service', async () => {
    const h = harness();
    h.controller.start();
    h.controller.setFieldValue('email', 'not-an-email');
    await h.controller.submitForm();
    const { phase, form } = h.controller.state;
    expect(phase).toBe('pre-engagement');
    expect(form.errors).toEqual({
      friendlyName: 'Please tell us your name.',
      email: 'Enter a valid email address.',
      question: 'This field is required.',
    });
    expect(form.rejectedSubmits).toBe(1);
    expect(h.http.calls).toHaveLength(0);
  });

  it('editing a field clears its error', async () => {
    const h = harness();
    h.controller.start();
    await h.controller.submitForm();
    h.controller.setFieldValue('friendlyName', 'Ana');
    expect(h.controller.state.form.errors.friendlyName).toBeUndefined();
    expect(h.controller.state.form.errors.email).toBeDefined();
  });

  it('posts preEngagementData and context to {tokenUrl}/webchat/init', async () => {
    const h = harness();
    h.controller.start();
    h.controller.setContext({ pageUrl: 'http://127.0.0.1:4040/pricing' });
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.http.calls).toEqual([
      {
        url: 'http://127.0.0.1:4020/webchat/init',
        body: {
          preEngagementData: { friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order?' },
          context: { pageUrl: 'http://127.0.0.1:4040/pricing', locale: 'en' },
        },
      },
    ]);
    expect(h.controller.state.visitorName).toBe('Zoë Ångström');
  });

  it("a host prefill fills what the visitor left empty, never over what they typed", () => {
    const h = harness();
    h.controller.start();
    h.controller.applyPrefill({ friendlyName: 'Ana', email: 'ana@example.com' });
    h.controller.setFieldValue('friendlyName', 'Zoë'); // typed over the first prefill
    h.controller.setFieldValue('email', 'zoe@example.com');
    h.controller.setFieldValue('email', ''); // and cleared again
    h.controller.applyPrefill({ friendlyName: 'Ana Again', email: 'ana@example.com', question: 'From the page' });
    expect(h.controller.state.form.values).toMatchObject({ friendlyName: 'Zoë', email: 'ana@example.com', question: 'From the page' });
  });

  it('sends every field type, hidden ones included, and host prefill lands in the form', async () => {
    const h = harness({ config: allFieldsConfig });
    h.controller.applyPrefill({ friendlyName: 'Ana', email: 'ana@example.com', consent: 'true', unknown: 'x' });
    h.controller.start();
    h.controller.setFieldValue('question', 'Hi');
    h.controller.setFieldValue('topic', 'tech');
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toMatchObject({
      preEngagementData: {
        friendlyName: 'Ana',
        email: 'ana@example.com',
        question: 'Hi',
        phone: '',
        topic: 'tech',
        contact: 'chat',
        consent: true,
        source: 'pricing-page',
      },
    });
    expect(h.controller.state.form.values).not.toHaveProperty('unknown');
  });

  it('field errors from the token service go back to the form', async () => {
    const h = harness({
      responses: [
        {
          status: 400,
          body: { error: { code: 'invalid_pre_engagement', message: 'Invalid', fields: { email: 'Domain not accepted' } } },
        },
      ],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    const { phase, form } = h.controller.state;
    expect(phase).toBe('pre-engagement');
    expect(form.errors).toEqual({ email: 'Domain not accepted' });
    expect(form.message).toBe('Please correct the highlighted fields.');
    expect(form.rejectedSubmits).toBe(1);
    expect(form.values.email).toBe('zoe@example.com');
  });

  it('field errors given as a list of paths are mapped too, and errorText wins', async () => {
    const h = harness({
      responses: [
        {
          status: 422,
          body: { error: { code: 'x', message: 'y', fields: [{ path: '/preEngagementData/friendlyName', message: 'bad' }] } },
        },
      ],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.form.errors).toEqual({ friendlyName: 'Please tell us your name.' });
  });

  it('field errors about fields the visitor cannot change become an error with a restart', async () => {
    const h = harness({
      responses: [{ status: 400, body: { error: { code: 'unknown_field', message: 'no', fields: { utm: 'unknown' } } } }],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code: 'rejected', recovery: 'restart' });
  });
});

describe('skip-form mode', () => {
  const hiddenOnly = {
    ...testConfig,
    preEngagement: { fields: [{ name: 'source', type: 'hidden' as const, label: 'Source', defaultValue: 'web' }] },
  };

  it('starts the chat at once when the form needs nothing from the visitor', async () => {
    const h = harness({ config: hiddenOnly, controller: { options: { skipForm: true } } });
    h.controller.start();
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(h.http.calls[0]?.body).toMatchObject({ preEngagementData: { source: 'web' } });
  });

  it('shows the form when required fields are empty, and starts once the host prefills them', async () => {
    const h = harness({ controller: { options: { skipForm: true } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.form.errors).toEqual({}); // no errors shown for an untouched form
    h.controller.applyPrefill({ friendlyName: 'Ana', email: 'ana@example.com', question: 'Hi' });
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
  });
});
