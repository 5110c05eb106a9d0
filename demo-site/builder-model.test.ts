import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../config/types.ts';
import { describePointer, exportConfig, formatOptions, linksOf, optionsFrom, previewSettingsOf, moveItem, nameFromLabel, nearestPointer, newField, parseOptions, removeField, renameField, validate } from './src/builder/model.ts';

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
