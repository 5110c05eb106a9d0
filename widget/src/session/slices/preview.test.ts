// SessionController.applyPreview: unsaved settings from the form builder.
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../../../config/types.ts';
import { activeHarness, harness, testConfig } from '../../testing/fixtures.ts';

const alwaysClosed: DeploymentConfig['businessHours'] = { timezone: 'UTC', weekly: {} };

describe('applyPreview', () => {
  it('swaps fields, strings, theme and options; keeps what was typed into fields still there', () => {
    const h = harness();
    h.controller.start();
    h.controller.setFieldValue('friendlyName', 'Zoë');
    h.controller.setFieldValue('question', 'Where is my order?');
    // One store update carries the new settings: the UI's one subscription sees them together.
    const updates: Array<[string | undefined, string]> = [];
    h.controller.store.subscribe((state, previous) => {
      if (state.config !== previous.config) updates.push([state.strings.title, state.preEngagement.fields[1]!.label]);
    });
    h.controller.applyPreview({
      theme: { primaryColor: '#aa0000', mode: 'dark' },
      texts: { title: 'Preview title', submitLabel: 'Go' },
      messages: { markdown: true },
      preEngagement: {
        fields: [
          { name: 'friendlyName', type: 'text', label: 'Your name' },
          { name: 'orderId', type: 'text', label: 'Order number', required: true },
          { name: 'question', type: 'checkbox', label: 'Urgent?' },
        ],
      },
    });
    expect(h.controller.config.theme).toEqual({ primaryColor: '#aa0000', mode: 'dark' });
    expect(h.controller.config.preEngagement.fields.map((f) => f.label)).toEqual(['Your name', 'Order number', 'Urgent?']);
    expect(h.controller.strings.title).toBe('Preview title');
    expect(h.controller.options.markdown).toBe(true);
    expect(h.controller.state.form.values).toEqual({ friendlyName: 'Zoë', orderId: '', question: false });
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(updates).toEqual([['Preview title', 'Order number']]);
  });

  it('never changes where the widget connects', () => {
    const h = harness();
    h.controller.applyPreview({ tokenUrl: 'https://evil.example', widgetOrigin: 'https://evil.example', allowedDomains: [] });
    expect(h.controller.config.tokenUrl).toBe(testConfig.tokenUrl);
    expect(h.controller.config.widgetOrigin).toBe(testConfig.widgetOrigin);
    expect(h.controller.config.allowedDomains).toEqual(testConfig.allowedDomains);
  });

  it('validates and submits against the previewed form', async () => {
    const h = harness();
    h.controller.start();
    h.controller.applyPreview({ preEngagement: { fields: [{ name: 'orderId', type: 'text', label: 'Order', required: true }] } });
    await h.controller.submitForm();
    expect(Object.keys(h.controller.state.form.errors)).toEqual(['orderId']);
    h.controller.setFieldValue('orderId', '1042');
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toMatchObject({ preEngagementData: { orderId: '1042' } });
  });

  it('previewed hours that say closed show the offline view; null goes back to the form', () => {
    const h = harness();
    h.controller.start();
    h.controller.applyPreview({ businessHours: alwaysClosed, offline: { mode: 'closedMessage' } });
    expect(h.controller.state.phase).toBe('offline');
    expect(h.controller.options.offlineMode).toBe('closedMessage');
    h.controller.applyPreview(null);
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.options.businessHours).toBeNull();
    expect(h.controller.config).toBe(testConfig);
    h.controller.dispose();
  });

  it('switches language and direction; null goes back to the host locale, else the config', () => {
    const h = harness();
    h.controller.applyPreview({ locale: 'ar' });
    expect(h.controller.state).toMatchObject({ locale: 'ar', dir: 'rtl' });
    h.controller.applyPreview(null);
    expect(h.controller.state).toMatchObject({ locale: 'en', dir: 'ltr' });
    h.controller.setLocale('de');
    h.controller.applyPreview({ texts: { title: 'T' } });
    expect(h.controller.state.locale).toBe('de');
    h.controller.applyPreview(null);
    expect(h.controller.state.locale).toBe('de');
    expect(h.controller.strings.title).toBe('Chat with Acme support');
  });

  it('texts by locale of the preview apply', () => {
    const h = harness();
    h.controller.applyPreview({ locale: 'fr', textsByLocale: { fr: { title: 'Bonjour' } } });
    expect(h.controller.strings.title).toBe('Bonjour');
  });

  it('an ended chat gives way to the previewed form', async () => {
    const h = await activeHarness();
    h.transport.closeConversation();
    expect(h.controller.state.phase).toBe('ended');
    h.controller.applyPreview({ preEngagement: { fields: [{ name: 'orderId', type: 'text', label: 'Order' }] } });
    expect(h.controller.state.phase).toBe('pre-engagement');
  });

  it('a chat in progress keeps going: only look and strings change', async () => {
    const h = await activeHarness();
    const messages = h.controller.state.messages;
    h.controller.applyPreview({ businessHours: alwaysClosed, texts: { sendLabel: 'Go' }, theme: { mode: 'dark' } });
    expect(h.controller.state.phase).toBe('active');
    expect(h.controller.state.messages).toBe(messages);
    expect(h.controller.strings.sendLabel).toBe('Go');
    await h.controller.send('still here');
    expect(h.transport.sent.map((m) => m.body)).toContain('still here');
  });

  it('never starts a chat by itself, even when the previewed form could be skipped', () => {
    const h = harness();
    h.controller.start();
    h.controller.applyPreview({ preEngagement: { skipForm: true, fields: [] } });
    h.controller.applyPrefill({});
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.http.calls).toHaveLength(0);
  });

  it('applies before start: the widget starts with the preview', () => {
    const h = harness();
    h.controller.applyPreview({ businessHours: alwaysClosed });
    h.controller.start();
    expect(h.controller.state.phase).toBe('offline');
    h.controller.dispose();
  });
});
