// Visible strings a marketer writes (form texts, field labels, the launcher's
// name) are either one string for every language or one value per locale, e.g.
// { "en": "Name", "es": "Nombre" }. Pure: the widget, the loader's API chunk, the
// token service and the form builder resolve them the same way.
import type { FormField, LocalizedText, PreEngagementConfig, PreEngagementForm } from './types.ts';

const own = (text: Readonly<Record<string, string>>, key: string) => Object.prototype.hasOwnProperty.call(text, key);

/** The key of `text` that serves `locale`: the exact tag, else its language, else another tag of that language. */
function keyFor(text: Readonly<Record<string, string>>, locale: string): string | undefined {
  const keys = Object.keys(text).filter((k) => own(text, k) && text[k] !== '');
  const wanted = locale.toLowerCase();
  const language = wanted.split('-')[0]!;
  return (
    keys.find((k) => k.toLowerCase() === wanted) ??
    keys.find((k) => k.toLowerCase() === language) ??
    keys.find((k) => k.toLowerCase().split('-')[0] === language)
  );
}

/**
 * The value of `text` for `locale`; failing that the deployment's language (`fallback`,
 * i.e. config `locale`), then English, then the first value there is.
 */
export function localize(text: LocalizedText | undefined, locale: string, fallback = 'en'): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const key = keyFor(text, locale) ?? keyFor(text, fallback) ?? keyFor(text, 'en') ?? Object.keys(text).find((k) => own(text, k) && text[k] !== '');
  return key === undefined ? undefined : text[key];
}

/** Every visible string of the form resolved for one locale; everything else as it is. */
export function localizeForm(form: PreEngagementConfig, locale: string, fallback = 'en'): PreEngagementForm {
  const text = (value: LocalizedText | undefined) => localize(value, locale, fallback);
  const { title, description, submitLabel, fields, ...rest } = form;
  const resolved: PreEngagementForm = {
    ...rest,
    fields: fields.map((field) => {
      const { label, placeholder, description: help, errorText, options, linkText, ...plain } = field;
      const out: FormField = { ...plain, label: text(label) ?? '' };
      if (placeholder !== undefined) out.placeholder = text(placeholder)!;
      if (help !== undefined) out.description = text(help)!;
      if (errorText !== undefined) out.errorText = text(errorText)!;
      if (linkText !== undefined) out.linkText = text(linkText)!;
      if (options !== undefined) out.options = options.map((o) => ({ value: o.value, label: text(o.label) ?? o.value }));
      return out;
    }),
  };
  if (title !== undefined) resolved.title = text(title)!;
  if (description !== undefined) resolved.description = text(description)!;
  if (submitLabel !== undefined) resolved.submitLabel = text(submitLabel)!;
  return resolved;
}

/**
 * `text` with its value for `locale` set to `value` (the form builder, editing one language).
 * The deployment's language (`base`) keeps a plain string plain; another language turns it
 * into per-locale values with the old string as the base one. An empty value removes that
 * locale's, except the base one while other languages have theirs: it stays empty, which
 * the schema refuses, because they need it as their fallback. A base value left alone
 * becomes a plain string again; nothing left is undefined.
 */
export function setLocalized(text: LocalizedText | undefined, locale: string, value: string, base: string): LocalizedText | undefined {
  if (typeof text !== 'object' && locale === base) return value === '' ? undefined : value;
  const values: Record<string, string> = typeof text === 'object' ? { ...text } : text !== undefined && text !== '' ? { [base]: text } : {};
  if (value === '' && locale !== base) delete values[locale];
  else values[locale] = value;
  const keys = Object.keys(values);
  if (keys.length === 0) return undefined;
  if (keys.length === 1 && keys[0] === base) return values[base] === '' ? undefined : values[base];
  return values;
}

/** The value the builder shows for `locale`: only that locale's own (the fallback is a placeholder). */
export function ownValue(text: LocalizedText | undefined, locale: string, base: string): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return locale === base ? text : '';
  return own(text, locale) ? text[locale]! : '';
}
