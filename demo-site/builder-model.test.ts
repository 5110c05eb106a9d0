import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../config/types.ts';
import { validateDeploymentConfig } from '../config/validate.ts';
import { changeFieldType, clone, type PreEngagementField, contrastRatio, defaultBusinessHours, describePointer, exportConfig, formatDayHours, formatOptions, launcherContrastWarning, parseDates, parseDayHours, linksOf, optionsFrom, previewSettingsOf, moveItem, nameFromLabel, nearestPointer, newField, parseOptions, removeField, renameField, validate } from './src/builder/model.ts';

const base: DeploymentConfig = {
  widgetOrigin: 'https://chat.example.com',
  tokenUrl: 'https://chat.example.com/api',
  allowedDomains: ['https://www.example.com'],
  preEngagement: { fields: [{ name: 'friendlyName', type: 'text', label: 'Name', required: true }] },
};

describe('form builder model', () => {
  it('derives unique field keys from labels', () => {
    expect(nameFromLabel('Order number', new Set())).toBe('orderNumber');
    expect(nameFromLabel('Order number', new Set(['orderNumber']))).toBe('orderNumber2');
    expect(nameFromLabel('123 go', new Set())).toBe('field123Go');
    expect(newField(base.preEngagement.fields, 'radio')).toMatchObject({ type: 'radio', options: [{ value: 'yes' }, { value: 'no' }] });
  });

  it('parses options as value | label or label only', () => {
    expect(parseOptions('a | Apple\n\n Banana split \n')).toEqual([
      { value: 'a', label: 'Apple' },
      { value: 'banana-split', label: 'Banana split' },
    ]);
  });

  it('options per language: the same values everywhere, a label typed in one language keeps the others', () => {
    const existing = [{ value: 'orders', label: 'Orders' }, { value: 'other', label: 'Other' }];
    expect(formatOptions(existing, 'es', 'en')).toBe('orders | \nother | ');
    const spanish = optionsFrom(existing, parseOptions('orders | Pedidos\nother |\nnew | Nuevo'), 'es', 'en');
    expect(spanish).toEqual([
      { value: 'orders', label: { en: 'Orders', es: 'Pedidos' } },
      { value: 'other', label: 'Other' },
      { value: 'new', label: { es: 'Nuevo' } },
    ]);
    expect(formatOptions(spanish, 'es', 'en')).toBe('orders | Pedidos\nother | \nnew | Nuevo');
    expect(formatOptions(spanish, 'en', 'en')).toBe('orders | Orders\nother | Other\nnew | ');
    expect(validate({ ...base, preEngagement: { fields: [{ name: 'topic', type: 'select', label: 'Topic', options: spanish }] } })).toEqual([]);
  });

  it('refuses duplicate option values, naming the options counted from 1', () => {
    const config: DeploymentConfig = { ...base, preEngagement: { fields: [{ name: 'topic', type: 'radio', label: 'Topic', options: parseOptions('a | A\nb | B\na | Again') }] } };
    const problems = validate(config);
    expect(problems).toEqual([{ path: '/preEngagement/fields/0/options/2/value', message: 'repeats the value "a" of option 1; each option needs its own' }]);
    expect(describePointer(problems[0]!.path, config)).toBe('Field 1 (Topic): option 3 value');
  });

  it('previews the language being written, without writing locale into the config', () => {
    const settings = previewSettingsOf(base, { locale: 'es' });
    expect(settings.locale).toBe('es');
    expect(base.locale).toBeUndefined();
    expect(previewSettingsOf(base).locale).toBeUndefined();
  });

  it('moves items within bounds only', () => {
    expect(moveItem([1, 2, 3], 2, 0)).toEqual([3, 1, 2]);
    expect(moveItem([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
  });

  it('exports $schema first, pointing at the published schema', () => {
    const text = exportConfig(base);
    expect(text.startsWith('{\n  "$schema": "https://chat.example.com/flexchat.config.schema.json",')).toBe(true);
    expect(validate(base)).toEqual([]);
  });

  it('reports every problem with a pointer and plain words', () => {
    const broken: DeploymentConfig = {
      ...base,
      theme: { primaryColor: 'blue' },
      preEngagement: { fields: [{ name: '1st', type: 'text', label: '', pattern: '([' }] },
    };
    expect(validate(broken)).toEqual(
      expect.arrayContaining([
        { path: '/theme/primaryColor', message: 'must be a colour like #0b57d0' },
        { path: '/preEngagement/fields/0/name', message: expect.stringMatching(/^must start with a letter/) },
        { path: '/preEngagement/fields/0/label', message: 'must not be empty' },
        { path: '/preEngagement/fields/0/pattern', message: 'is not a valid regular expression' },
      ]),
    );
    expect(describePointer('/preEngagement/fields/0/label', broken)).toBe('Field 1: label');
    expect(nearestPointer('/preEngagement/fields/0/options/1/value', new Set(['/preEngagement/fields/0']))).toBe('/preEngagement/fields/0');
  });
});

describe('renaming and removing fields', () => {
  const form = (): DeploymentConfig['preEngagement'] => ({
    friendlyNameField: 'friendlyName',
    firstMessageField: 'question',
    fields: [
      { name: 'friendlyName', type: 'text', label: 'Name' },
      { name: 'email', type: 'email', label: 'Email' },
      { name: 'question', type: 'textarea', label: 'How can we help?' },
    ],
  });

  it("a setting follows its own field's new key", () => {
    const f = form();
    const links = linksOf(f);
    renameField(f, links, 0, 'fullName');
    renameField(f, links, 2, 'topic');
    expect(f).toMatchObject({ friendlyNameField: 'fullName', firstMessageField: 'topic' });
  });

  it("a key typed over another field's and corrected leaves that field's settings alone", () => {
    const f = form();
    const links = linksOf(f);
    for (const typed of ['friendlyName', 'friendlyNam', 'question']) renameField(f, links, 2, typed);
    expect(f.fields.map((x) => x.name)).toEqual(['friendlyName', 'email', 'question']);
    expect(f.friendlyNameField).toBe('friendlyName');
    expect(f.firstMessageField).toBe('question'); // the question's own setting came back with it
    renameField(f, links, 1, 'question2');
    expect(f).toMatchObject({ friendlyNameField: 'friendlyName', firstMessageField: 'question' });
  });

  it('removing a field removes the settings that named it', () => {
    const f = form();
    removeField(f, linksOf(f), 0);
    expect(f.friendlyNameField).toBeUndefined();
    expect(f.firstMessageField).toBe('question');
  });
});

describe('limits in our own words', () => {
  it('the 30-field limit names the form and how many fields to remove, not the validator', () => {
    const fields = Array.from({ length: 31 }, (_, i) => ({ name: `q${i}`, type: 'text' as const, label: `Question ${i + 1}` }));
    const config: DeploymentConfig = { ...base, preEngagement: { fields } };
    const problems = validate(config);
    expect(problems).toEqual([{ path: '/preEngagement/fields', message: 'has 31 fields; a form can have at most 30. Remove one.' }]);
    expect(`${describePointer(problems[0]!.path, config)} ${problems[0]!.message}`).toBe('The pre-chat form has 31 fields; a form can have at most 30. Remove one.');
    expect(validate({ ...config, preEngagement: { fields: fields.slice(0, 30) } })).toEqual([]);
  });
});

describe("the chat button's colour", () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#0b57d0', '#ffffff')).toBeGreaterThan(5);
    expect(contrastRatio('blue', '#fff')).toBeNull();
  });

  it('warns when its white icon would be hard to see (below 3:1), not for the default or dark colours', () => {
    expect(launcherContrastWarning('#ffd400')).toMatch(/^The chat button's white icon is hard to see on #ffd400: contrast 1\.[0-9]:1, at least 3:1 is needed/);
    expect(launcherContrastWarning('#8ab4f8')).not.toBeNull(); // the dark example page's light blue: 2.0:1
    expect(launcherContrastWarning('#0b57d0')).toBeNull();
    expect(launcherContrastWarning('#8a2be2')).toBeNull();
    expect(launcherContrastWarning(undefined)).toBeNull(); // the default colour
    expect(launcherContrastWarning('#zzz')).toBeNull(); // invalid: the validator says so
  });
});

describe('business hours', () => {
  it('reads and writes a day as "09:00-12:00, 13:00-17:30"; empty is closed', () => {
    expect(parseDayHours('9:00-12:00, 13:00 - 17:30')).toEqual([['09:00', '12:00'], ['13:00', '17:30']]);
    expect(parseDayHours('  ')).toEqual([]);
    expect(formatDayHours([['09:00', '12:00'], ['13:00', '17:30']])).toBe('09:00-12:00, 13:00-17:30');
    expect(parseDates('2026-12-25\n2026-12-26, 2026-12-25')).toEqual(['2026-12-25', '2026-12-26']);
  });

  it('a default that validates, and problems named by weekday and in plain words', () => {
    const hours = defaultBusinessHours('Europe/Madrid');
    expect(validate({ ...base, businessHours: hours })).toEqual([]);
    const broken: DeploymentConfig = { ...base, businessHours: { timezone: 'Mars/Olympus', weekly: { tue: parseDayHours('9-5') }, closedDates: ['25/12/2026'] } };
    const problems = validate(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/businessHours/weekly/tue/0/0', message: 'must be times like 09:00-17:30 (24-hour clock; 24:00 may close the day)' },
        { path: '/businessHours/closedDates/0', message: 'must be a date like 2026-12-25' },
      ]),
    );
    expect(describePointer('/businessHours/weekly/tue/0/0', broken)).toBe('Business hours on Tuesday (opening 1)');
    expect(nearestPointer('/businessHours/weekly/tue/0/0', new Set(['/businessHours/weekly/tue']))).toBe('/businessHours/weekly/tue');
    const late: DeploymentConfig = { ...base, businessHours: { timezone: 'Mars/Olympus', weekly: { mon: parseDayHours('17:00-09:00') } } };
    expect(validate(late)).toEqual(
      expect.arrayContaining([
        { path: '/businessHours/timezone', message: 'is not an IANA time zone ("Mars/Olympus")' },
        { path: '/businessHours/weekly/mon/0', message: 'must close after it opens' },
      ]),
    );
  });
});

describe('consent fields in the builder', () => {
  it('a new consent field validates as it comes: policy link, version, required', () => {
    const config = clone(base);
    const field = newField(config.preEngagement.fields, 'consent');
    expect(field).toMatchObject({ type: 'consent', required: true, version: '1', policyUrl: 'https://example.com/privacy' });
    config.preEngagement.fields.push(field);
    expect(validateDeploymentConfig(config)).toMatchObject({ ok: true });
  });

  it('switching a field to consent and back drops what the other type does not take', () => {
    const field: PreEngagementField = { name: 'code', type: 'text', label: 'Code', pattern: '[0-9]+', placeholder: '123', defaultValue: 'x' };
    changeFieldType(field, 'consent');
    expect(field).toEqual({ name: 'code', type: 'consent', label: 'Code', policyUrl: 'https://example.com/privacy', version: '1', required: true });
    changeFieldType(field, 'checkbox');
    expect(field).toEqual({ name: 'code', type: 'checkbox', label: 'Code', required: true });
  });

  it('a policy link that is not http(s) is reported at the field', () => {
    const config = clone(base);
    config.preEngagement.fields.push({ ...newField(config.preEngagement.fields, 'consent'), policyUrl: 'javascript:alert(1)' });
    const result = validateDeploymentConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.some((p) => p.path === `/preEngagement/fields/${config.preEngagement.fields.length - 1}/policyUrl`)).toBe(true);
  });
});
