// Visible strings a marketer writes can hold one value per locale, with a fallback.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath } from './load.ts';
import { localize, localizeForm, setLocalized } from './localized.ts';
import type { DeploymentConfig, PreEngagementConfig } from './types.ts';
import { validateDeploymentConfig } from './validate.ts';

describe('localize', () => {
  const title = { en: 'Before we start', es: 'Antes de empezar', 'pt-BR': 'Antes de começar' };

  it('picks the exact locale, then its language, then another of the language', () => {
    expect(localize(title, 'es')).toBe('Antes de empezar');
    expect(localize(title, 'es-MX')).toBe('Antes de empezar');
    expect(localize(title, 'PT-br')).toBe('Antes de começar');
    expect(localize(title, 'pt-PT')).toBe('Antes de começar');
  });

  it('falls back to the deployment language, then English, then the first value', () => {
    expect(localize(title, 'de')).toBe('Before we start');
    expect(localize({ es: 'Hola', fr: 'Salut' }, 'de', 'fr')).toBe('Salut');
    expect(localize({ es: 'Hola', fr: 'Salut' }, 'de')).toBe('Hola');
  });

  it('a plain string is the same in every locale; nothing stays nothing', () => {
    expect(localize('Name', 'es')).toBe('Name');
    expect(localize(undefined, 'es')).toBeUndefined();
  });
});

describe('localizeForm', () => {
  const form: PreEngagementConfig = {
    title: { en: 'Before we start', es: 'Antes de empezar' },
    submitLabel: 'Start',
    fields: [
      {
        name: 'topic',
        type: 'select',
        label: { en: 'Topic', es: 'Tema' },
        errorText: { en: 'Pick one', es: 'Elige uno' },
        options: [{ value: 'orders', label: { en: 'Orders', es: 'Pedidos' } }, { value: 'other', label: 'Other' }],
      },
    ],
  };

  it('resolves every visible string of the form for one locale, keeping the rest', () => {
    expect(localizeForm(form, 'es')).toEqual({
      title: 'Antes de empezar',
      submitLabel: 'Start',
      fields: [{ name: 'topic', type: 'select', label: 'Tema', errorText: 'Elige uno', options: [{ value: 'orders', label: 'Pedidos' }, { value: 'other', label: 'Other' }] }],
    });
  });
});

describe('setLocalized (the builder editing one language)', () => {
  it('a plain string stays plain while the deployment language is edited', () => {
    expect(setLocalized('Name', 'en', 'Full name', 'en')).toBe('Full name');
  });

  it('another language turns it into per-locale values, keeping the original as the fallback', () => {
    expect(setLocalized('Name', 'es', 'Nombre', 'en')).toEqual({ en: 'Name', es: 'Nombre' });
    expect(setLocalized({ en: 'Name', es: 'Nombre' }, 'es', 'Nombre completo', 'en')).toEqual({ en: 'Name', es: 'Nombre completo' });
  });

  it('clearing a translation removes it, and a lone fallback becomes plain again', () => {
    expect(setLocalized({ en: 'Name', es: 'Nombre', fr: 'Nom' }, 'es', '', 'en')).toEqual({ en: 'Name', fr: 'Nom' });
    expect(setLocalized({ en: 'Name', es: 'Nombre' }, 'es', '', 'en')).toBe('Name');
    expect(setLocalized('Name', 'en', '', 'en')).toBeUndefined();
  });

  it('clearing the default text while other languages have theirs leaves it empty: invalid, not silently gone', () => {
    expect(setLocalized({ en: 'Name', es: 'Nombre' }, 'en', '', 'en')).toEqual({ en: '', es: 'Nombre' });
    expect(setLocalized({ en: '', es: 'Nombre' }, 'es', '', 'en')).toBeUndefined();
  });
});

describe('per-locale strings in the config file', () => {
  const base = () => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;
  const problems = (config: unknown) => {
    const result = validateDeploymentConfig(config);
    return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
  };

  it('accepts them for the form, its fields and options, and the launcher', () => {
    const c = base();
    c.launcher = { ...c.launcher, label: { en: 'Chat with us', es: 'Chatea con nosotros' } };
    c.preEngagement.title = { en: 'Before we start', es: 'Antes de empezar' };
    c.preEngagement.fields[0]!.label = { en: 'Name', es: 'Nombre' };
    c.preEngagement.fields.push({ name: 'topic', type: 'radio', label: 'Topic', options: [{ value: 'a', label: { en: 'A', es: 'A (es)' } }] });
    expect(problems(c)).toEqual([]);
  });

  it('names one problem for an empty text, not one per way a text can be written', () => {
    const c = base();
    c.preEngagement.fields[0]!.label = '';
    c.preEngagement.fields[1]!.label = { en: '', es: 'Correo' };
    expect(problems(c)).toEqual([
      '/preEngagement/fields/0/label must NOT have fewer than 1 characters',
      '/preEngagement/fields/1/label/en must NOT have fewer than 1 characters',
    ]);
  });

  it('refuses a key that is not a language tag, an empty value, and an empty set', () => {
    const c = base();
    c.preEngagement.fields[0]!.label = { spanish: 'Nombre' };
    c.preEngagement.fields[1]!.label = { es: '' };
    c.preEngagement.fields[2]!.label = {};
    expect(problems(c).filter((p) => p.startsWith('/preEngagement/fields/'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/preEngagement\/fields\/0\/label/),
        expect.stringMatching(/^\/preEngagement\/fields\/1\/label/),
        expect.stringMatching(/^\/preEngagement\/fields\/2\/label/),
      ]),
    );
  });
});
