// A consent pre-engagement field in the deployment config: schema and cross-field rules.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localizeForm } from './localized.ts';
import { defaultConfigPath } from './load.ts';
import type { DeploymentConfig, FormFieldConfig } from './types.ts';
import { validateDeploymentConfig } from './validate.ts';

const base = (): DeploymentConfig => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;
const consent: FormFieldConfig = { name: 'privacy', type: 'consent', label: { en: 'I agree', fr: "J'accepte" }, policyUrl: 'https://example.com/privacy', version: '2026-01' };

const problemsWith = (field: Record<string, unknown>) => {
  const config = base();
  config.preEngagement = { ...config.preEngagement, fields: [...config.preEngagement.fields.filter((f) => f.type !== 'consent'), field as unknown as FormFieldConfig] };
  const result = validateDeploymentConfig(config);
  const at = `/preEngagement/fields/${config.preEngagement.fields.length - 1}`;
  return result.ok ? [] : result.problems.map((p) => `${p.path.replace(at, '@')} ${p.message}`);
};

describe('consent field', () => {
  it('is accepted with a policy URL and a version', () => {
    expect(problemsWith({ ...consent })).toEqual([]);
    expect(problemsWith({ ...consent, required: true, linkText: { en: 'Privacy policy', de: 'Datenschutz' } })).toEqual([]);
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,x'],
    ['//example.com/privacy'],
    ['https://user@example.com/privacy'],
  ])('refuses the policy URL %s', (policyUrl) => {
    expect(problemsWith({ ...consent, policyUrl }).some((p) => p.startsWith('@/policyUrl'))).toBe(true);
  });

  it('needs a policy URL and a version, and cannot be optional or ticked in advance', () => {
    const { policyUrl: _p, version: _v, ...bare } = consent;
    expect(problemsWith(bare)).toEqual([
      '@/policyUrl is required for a consent field (the policy the text refers to)',
      '@/version is required for a consent field (recorded with each acceptance)',
    ]);
    expect(problemsWith({ ...consent, required: false })).toEqual(['@/required cannot be false: a consent field is always required']);
    expect(problemsWith({ ...consent, defaultValue: true })).toEqual(['@/defaultValue is not allowed: consent is never given in advance']);
    expect(problemsWith({ ...consent, version: 'has space' }).length).toBe(1);
  });

  it('keeps consent settings off other fields', () => {
    expect(problemsWith({ name: 'x', type: 'checkbox', label: 'X', policyUrl: 'https://example.com/' })).toEqual(['@/policyUrl is only for a consent field']);
  });

  it('resolves the label and link text per locale', () => {
    const form = localizeForm({ fields: [{ ...consent, linkText: { en: 'Privacy policy', fr: 'Confidentialité' } }] }, 'fr');
    expect(form.fields[0]).toMatchObject({ label: "J'accepte", linkText: 'Confidentialité', version: '2026-01', policyUrl: 'https://example.com/privacy' });
  });
});
