// The builder's side of FlexChat('preview'): which settings it sends, and when.
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../../config/types.ts';
import { ALWAYS_CLOSED, clone, moveItem, newField, previewProblems, previewSettingsOf, validate } from './model.ts';

const base: DeploymentConfig = {
  widgetOrigin: 'http://127.0.0.1:4030',
  tokenUrl: 'http://127.0.0.1:4020',
  allowedDomains: ['http://127.0.0.1:4040'],
  previewOrigins: ['http://127.0.0.1:4040'],
  locale: 'en',
  theme: { primaryColor: '#0b57d0', mode: 'light' },
  launcher: { position: 'right', label: 'Chat with us' },
  texts: { title: 'Chat with Acme support' },
  preEngagement: {
    friendlyNameField: 'friendlyName',
    fields: [
      { name: 'friendlyName', type: 'text', label: 'Name', required: true },
      { name: 'email', type: 'email', label: 'Email', required: true },
    ],
  },
};

describe('previewSettingsOf', () => {
  it('sends how the widget looks and what the form asks, never where it connects or the launcher', () => {
    const settings = previewSettingsOf(base);
    expect(settings).toEqual({
      locale: 'en',
      theme: { primaryColor: '#0b57d0', mode: 'light' },
      texts: { title: 'Chat with Acme support' },
      preEngagement: base.preEngagement,
    });
    expect(Object.keys(settings)).not.toContain('tokenUrl');
  });

  it('follows field edits: add, reorder, remove, type, label, required, pattern, options', () => {
    const config = clone(base);
    const fields = config.preEngagement.fields;
    fields.push(newField(fields, 'select'));
    fields[2]!.label = 'Topic';
    fields[0]!.required = false;
    fields[1]!.pattern = '^.+@acme\\.com$';
    config.preEngagement.fields = moveItem(fields, 2, 0);
    config.preEngagement.fields.splice(2, 1);
    config.preEngagement.fields[1]!.type = 'textarea';
    const sent = previewSettingsOf(config).preEngagement!.fields;
    expect(sent.map((f) => [f.label, f.type, f.required ?? false])).toEqual([
      ['Topic', 'select', false],
      ['Name', 'textarea', false],
    ]);
    expect(sent[0]!.options).toEqual([{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]);
  });

  it('is a copy: later edits do not change what was sent', () => {
    const config = clone(base);
    const settings = previewSettingsOf(config);
    config.preEngagement.fields[0]!.label = 'Changed';
    config.theme!.mode = 'dark';
    expect(settings.preEngagement!.fields[0]!.label).toBe('Name');
    expect(settings.theme!.mode).toBe('light');
  });

  it('previews the closed-hours screen with hours that never open, keeping the offline mode', () => {
    const config = { ...clone(base), offline: { mode: 'closedMessage' as const } };
    expect(previewSettingsOf(config, { closedHours: true })).toMatchObject({ businessHours: ALWAYS_CLOSED, offline: { mode: 'closedMessage' } });
    expect(previewSettingsOf(config)).not.toHaveProperty('businessHours');
  });
});

describe('previewProblems', () => {
  it('holds the preview back for problems in previewed settings only', () => {
    const brokenForm = clone(base);
    brokenForm.preEngagement.fields[0]!.label = '';
    expect(previewProblems(validate(brokenForm)).map((p) => p.path)).toEqual(['/preEngagement/fields/0/label']);

    const brokenOrigin = { ...clone(base), tokenUrl: 'not a url' };
    expect(validate(brokenOrigin)).not.toEqual([]);
    expect(previewProblems(validate(brokenOrigin))).toEqual([]);
  });
});
