// Which form answer becomes the visitor's first chat message (preEngagement.firstMessageField).
import { describe, expect, it } from 'vitest';
import { firstMessageFieldOf } from './first-message.ts';
import type { PreEngagementConfig } from './types.ts';
import { validateDeploymentConfig } from './validate.ts';
import { readFileSync } from 'node:fs';
import { defaultConfigPath } from './load.ts';

const form = (extra: Partial<PreEngagementConfig> = {}): PreEngagementConfig => ({
  fields: [
    { name: 'friendlyName', type: 'text', label: 'Name' },
    { name: 'consent', type: 'checkbox', label: 'OK?' },
    { name: 'question', type: 'textarea', label: 'How can we help?' },
    { name: 'details', type: 'textarea', label: 'Anything else?' },
  ],
  ...extra,
});

describe('firstMessageFieldOf', () => {
  it("defaults to the form's first multi-line field: the visitor's question", () => {
    expect(firstMessageFieldOf(form())).toBe('question');
    expect(firstMessageFieldOf({ fields: [{ name: 'friendlyName', type: 'text', label: 'Name' }] })).toBeNull();
  });

  it('follows the setting: a field name, or false for none', () => {
    expect(firstMessageFieldOf(form({ firstMessageField: 'details' }))).toBe('details');
    expect(firstMessageFieldOf(form({ firstMessageField: false }))).toBeNull();
  });
});

describe('preEngagement.firstMessageField in the config', () => {
  const config = () => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as { preEngagement: PreEngagementConfig };
  const problems = (pre: Partial<PreEngagementConfig>) => {
    const c = config();
    const result = validateDeploymentConfig({ ...c, preEngagement: { ...c.preEngagement, ...pre } });
    return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
  };

  it('accepts a text field or false', () => {
    expect(problems({ firstMessageField: 'question' })).toEqual([]);
    expect(problems({ firstMessageField: false })).toEqual([]);
  });

  it('refuses a field that does not exist, a checkbox, or true', () => {
    expect(problems({ firstMessageField: 'questoin' })).toEqual(['/preEngagement/firstMessageField names no field ("questoin")']);
    const withCheckbox = config().preEngagement.fields.concat({ name: 'consent', type: 'checkbox', label: 'OK?' });
    expect(problems({ fields: withCheckbox, firstMessageField: 'consent' })).toEqual([
      '/preEngagement/firstMessageField names a checkbox ("consent"); choose a text field such as the question',
    ]);
    expect(problems({ firstMessageField: true as unknown as false })).not.toEqual([]);
  });
});
