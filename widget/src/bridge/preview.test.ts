import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFieldsConfig } from '../testing/fixtures.ts';
import { parsePreview } from './preview.ts';
import { previewSchemaOf } from './preview-schema.ts';
import { previewValidatorSource } from './preview-validator-plugin.ts';

const schemaPath = resolve(import.meta.dirname, '../../../config/schema.json');

describe('parsePreview', () => {
  it('accepts every setting a preview may change, as the deployment config has them', () => {
    const { locale, theme, texts, preEngagement } = allFieldsConfig;
    const settings = {
      locale,
      theme: { ...theme, mode: 'dark' },
      texts,
      textsByLocale: { de: { title: 'Hallo' } },
      preEngagement,
      messages: { markdown: true },
      attachments: { enabled: false },
      businessHours: { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '17:00']] }, closedDates: ['2026-12-25'] },
      offline: { mode: 'closedMessage' },
    };
    expect(parsePreview(settings)).toEqual({ ok: true, preview: settings });
  });

  it('accepts an empty preview (everything from the deployment)', () => {
    expect(parsePreview({})).toEqual({ ok: true, preview: {} });
  });

  it.each([
    ['a key a preview may not change', { tokenUrl: 'https://evil.example' }, '/'],
    ['an unknown field type', { preEngagement: { fields: [{ name: 'a', type: 'file', label: 'A' }] } }, '/preEngagement/fields/0/type'],
    ['a field without label', { preEngagement: { fields: [{ name: 'a', type: 'text' }] } }, '/preEngagement/fields/0'],
    ['an unknown string key', { texts: { nope: 'x' } }, '/texts'],
    ['a bad colour', { theme: { primaryColor: 'red' } }, '/theme/primaryColor'],
    ['a bad colour scheme', { theme: { mode: 'sepia' } }, '/theme/mode'],
    ['a bad locale', { locale: 'EN_us' }, '/locale'],
  ])('refuses %s (schema)', (_, settings, path) => {
    const result = parsePreview(settings as never);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('preview_invalid');
      expect(result.problems[0]!.path).toBe(path);
    }
  });

  it.each([
    ['duplicate field names', [{ name: 'a', type: 'text', label: 'A' }, { name: 'a', type: 'email', label: 'B' }], '/preEngagement/fields/1/name'],
    ['a select without options', [{ name: 'a', type: 'select', label: 'A' }], '/preEngagement/fields/0/options'],
    ['a pattern that does not compile', [{ name: 'a', type: 'text', label: 'A', pattern: '([' }], '/preEngagement/fields/0/pattern'],
    ['minLength above maxLength', [{ name: 'a', type: 'text', label: 'A', minLength: 5, maxLength: 2 }], '/preEngagement/fields/0/minLength'],
  ])('refuses %s (cross-field)', (_, fields, path) => {
    const result = parsePreview({ preEngagement: { fields } });
    expect(result).toMatchObject({ ok: false, code: 'preview_invalid', problems: [{ path }] });
  });

  it('refuses a friendly-name field that is not in the form, and broken business hours', () => {
    const result = parsePreview({
      preEngagement: { friendlyNameField: 'name', fields: [{ name: 'email', type: 'email', label: 'Email' }] },
      businessHours: { timezone: 'Mars/Olympus', weekly: { mon: [['10:00', '09:00']], tue: [['09:00', '12:00'], ['11:00', '13:00']] } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.path)).toEqual([
        '/preEngagement/friendlyNameField',
        '/businessHours/timezone',
        '/businessHours/weekly/mon/0',
        '/businessHours/weekly/tue/1',
      ]);
    }
  });
});

describe('the generated validator module', () => {
  it('is plain code: no eval, no new Function, no require', () => {
    const source = previewValidatorSource(schemaPath);
    expect(source).not.toMatch(/new Function|\beval\(|require\(/);
    expect(source).toMatch(/^import __rt0 from "ajv\/dist\/runtime\//);
  });
});

describe('previewSchemaOf', () => {
  it('keeps only what validates: annotations go, properties named like them stay', () => {
    const schema = previewSchemaOf({
      properties: Object.fromEntries(
        ['locale', 'theme', 'texts', 'textsByLocale', 'preEngagement', 'messages', 'attachments', 'composer', 'businessHours', 'offline', 'survey'].map((k) => [
          k,
          { description: 'for people', type: 'object', default: {}, properties: { description: { type: 'string', title: 'x' } }, required: ['description'] },
        ]),
      ),
      definitions: { text: { type: 'string', description: 'y' } },
    });
    expect(schema.properties).toMatchObject({ preEngagement: { type: 'object', properties: { description: { type: 'string' } }, required: ['description'] } });
    expect(JSON.stringify(schema)).not.toMatch(/for people|"title"|"default"|"y"/);
    expect(schema.definitions).toEqual({ text: { type: 'string' } });
  });

  it('fails the build when the config schema lacks a key previews may change', () => {
    expect(() => previewSchemaOf({ properties: {} })).toThrow(/no "locale"/);
  });
});
