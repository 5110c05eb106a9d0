// The form builder's model: a working copy of flexchat.config.json and the edits a
// marketer makes to it. Pure (no DOM), so it is unit-tested on its own.
import { ownValue, setLocalized } from '../../../config/localized.ts';
import type { BusinessHoursConfig, DeploymentConfig, FieldType, PreEngagementConfig, FormFieldConfig as PreEngagementField, Weekday } from '../../../config/types.ts';
import { validateDeploymentConfig, type ConfigProblem } from '../../../config/validate.ts';
import { PREVIEW_KEYS, type PreviewKey } from '../../../contracts/bridge-protocol.ts';

export type { FieldType, PreEngagementField };

export const FIELD_TYPES: ReadonlyArray<{ value: FieldType; label: string }> = [
  { value: 'text', label: 'Short text' },
  { value: 'email', label: 'Email' },
  { value: 'tel', label: 'Phone' },
  { value: 'textarea', label: 'Long text' },
  { value: 'select', label: 'Drop-down list' },
  { value: 'radio', label: 'Radio buttons' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'hidden', label: 'Hidden (set by the page)' },
  { value: 'consent', label: 'Consent (required checkbox + policy link)' },
];

export const hasOptions = (type: FieldType) => type === 'select' || type === 'radio';

/** Locales with a full catalogue in the widget (widget/src/i18n); any other BCP 47 tag can be
 *  typed in, and the widget falls back to the closest catalogue (else English). */
export const LOCALES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Español' },
  { value: 'fr', label: 'Français' },
  { value: 'de', label: 'Deutsch' },
  { value: 'pt-BR', label: 'Português (Brasil)' },
  { value: 'ar', label: 'العربية' },
];

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A field name from a label: "Order number" -> "orderNumber", unique among `taken`. */
export function nameFromLabel(label: string, taken: ReadonlySet<string>): string {
  const words = label
    .normalize('NFKD')
    .replace(/[^\w\s]/g, '')
    .trim()
    .split(/[\s_]+/)
    .filter(Boolean);
  let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
  if (!/^[A-Za-z]/.test(base)) base = `field${base}`;
  base = base.slice(0, 60);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  return name;
}

export function newField(existing: readonly PreEngagementField[], type: FieldType = 'text'): PreEngagementField {
  const taken = new Set(existing.map((f) => f.name));
  const label = `Question ${existing.length + 1}`;
  const field: PreEngagementField = { name: nameFromLabel(label, taken), type, label };
  if (hasOptions(type)) field.options = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
  if (type === 'consent') Object.assign(field, consentDefaults(field), { label: 'I agree to the privacy policy' });
  return field;
}

/** What a new consent field starts with: a label to rewrite, a policy link to point at yours, a first version. */
export function consentDefaults(field: PreEngagementField): Pick<PreEngagementField, 'policyUrl' | 'version' | 'required'> {
  return {
    policyUrl: field.policyUrl ?? 'https://example.com/privacy',
    version: field.version ?? '1',
    required: true,
  };
}

/** Changes a field's type, dropping the settings the new type does not take (consent has its own). */
export function changeFieldType(field: PreEngagementField, type: FieldType): void {
  const wasConsent = field.type === 'consent';
  field.type = type;
  if (hasOptions(type) && !field.options?.length) field.options = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
  if (!hasOptions(type)) delete field.options;
  if (type === 'consent') {
    for (const key of ['placeholder', 'minLength', 'maxLength', 'pattern', 'defaultValue'] as const) delete field[key];
    Object.assign(field, consentDefaults(field));
  } else if (wasConsent) {
    delete field.policyUrl;
    delete field.version;
    delete field.linkText;
  }
}

/** The settings that name a field of the form by its key. */
export const FIELD_SETTINGS = ['friendlyNameField', 'firstMessageField'] as const;
export type FieldSetting = (typeof FIELD_SETTINGS)[number];

/**
 * Which field each setting means, held by the field itself rather than by its key, so that
 * typing a key (even one that is briefly taken by another field) never moves a setting.
 */
export type FieldLinks = Partial<Record<FieldSetting, PreEngagementField>>;

/** The links of a form as loaded: the first field with each setting's key, as the widget and token service read it. */
export function linksOf(form: PreEngagementConfig): FieldLinks {
  const links: FieldLinks = {};
  for (const setting of FIELD_SETTINGS) {
    const value = form[setting];
    const field = typeof value === 'string' ? form.fields.find((f) => f.name === value) : undefined;
    if (field) links[setting] = field;
  }
  return links;
}

/** Gives field `index` a new key; the settings linked to that field follow it, no other. */
export function renameField(form: PreEngagementConfig, links: FieldLinks, index: number, name: string): void {
  const field = form.fields[index];
  if (!field) return;
  field.name = name;
  for (const setting of FIELD_SETTINGS) if (links[setting] === field) form[setting] = name;
}

/** Removes field `index`; the settings linked to it go too. */
export function removeField(form: PreEngagementConfig, links: FieldLinks, index: number): void {
  const [field] = form.fields.splice(index, 1);
  for (const setting of FIELD_SETTINGS) {
    if (field && links[setting] === field) {
      delete links[setting];
      delete form[setting];
    }
  }
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  if (from < 0 || from >= copy.length || to < 0 || to >= copy.length) return copy;
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** Options as a marketer types them: one per line, "value | label" or just "label". */
export function parseOptions(text: string): Array<{ value: string; label: string }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [left, ...rest] = line.split('|');
      const label = rest.length ? rest.join('|').trim() : left!.trim();
      const value = rest.length ? left!.trim() : left!.trim().toLowerCase().replace(/\s+/g, '-');
      return { value, label };
    });
}

/** The options as lines "value | label", the labels in `locale` (only its own; `base`: the default language). */
export function formatOptions(options: PreEngagementField['options'], locale = 'en', base = locale): string {
  return (options ?? []).map((o) => `${o.value} | ${ownValue(o.label, locale, base)}`).join('\n');
}

/**
 * The options typed for `locale`, merged into `existing`: values (and their order) are the same in
 * every language; a label typed for one language keeps the others' labels of that value.
 */
export function optionsFrom(
  existing: PreEngagementField['options'],
  typed: ReadonlyArray<{ value: string; label: string }>,
  locale: string,
  base: string,
): NonNullable<PreEngagementField['options']> {
  return typed.map(({ value, label }) => {
    const before = existing?.find((o) => o.value === value)?.label;
    return { value, label: setLocalized(before, locale, label, base) ?? value };
  });
}

// What FlexChat('preview', …) may change: how the widget looks and what the form
// asks, never where it connects. The bridge protocol owns the list.
export { PREVIEW_KEYS, type PreviewKey };
export type PreviewSettings = Partial<Pick<DeploymentConfig, PreviewKey>>;

/** Business hours with no opening at all: the widget shows its closed-hours screen. */
export const ALWAYS_CLOSED: NonNullable<DeploymentConfig['businessHours']> = { timezone: 'UTC', weekly: {} };

export interface PreviewOptions {
  /** Preview the screen visitors see outside business hours. */
  closedHours?: boolean;
  /** Preview in this language (the one the marketer is writing texts in). */
  locale?: string;
}

/** The settings the builder previews in the real widget: a copy of the preview keys of `config`. */
export function previewSettingsOf(config: DeploymentConfig, options: PreviewOptions = {}): PreviewSettings {
  const settings: Record<string, unknown> = {};
  for (const key of PREVIEW_KEYS) if (config[key] !== undefined) settings[key] = clone(config[key]);
  if (options.closedHours) settings.businessHours = ALWAYS_CLOSED;
  if (options.locale) settings.locale = options.locale;
  return settings as PreviewSettings;
}

/** Problems that would make the widget refuse the preview (those outside the preview keys do not). */
export function previewProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.filter((p) => (PREVIEW_KEYS as readonly string[]).includes(p.path.split('/')[1] ?? ''));
}

/** Sets or removes (when empty) an optional property. */
export function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | '' | undefined): void {
  if (value === '' || value === undefined || (typeof value === 'number' && Number.isNaN(value))) delete target[key];
  else target[key] = value as T[K];
}

/** The config as exported: `$schema` first (the published schema on the widget origin), then the rest. */
export function exportConfig(config: DeploymentConfig): string {
  const { $schema: _ignored, ...rest } = config as DeploymentConfig & { $schema?: string };
  void _ignored;
  return `${JSON.stringify({ $schema: `${config.widgetOrigin}/flexchat.config.schema.json`, ...rest }, null, 2)}\n`;
}

/** Validation with messages a marketer understands, each pointing at one setting. */
export function validate(config: DeploymentConfig): ConfigProblem[] {
  const exported = JSON.parse(exportConfig(config)) as unknown;
  const result = validateDeploymentConfig(exported);
  if (result.ok) return [];
  const problems = result.problems.map((problem) => friendly(problem, config));
  // validate.ts checks patterns only once the schema passes; a marketer wants every problem at once.
  config.preEngagement.fields.forEach((field, index) => {
    const path = `/preEngagement/fields/${index}/pattern`;
    if (typeof field.pattern !== 'string' || problems.some((p) => p.path === path)) return;
    try {
      new RegExp(field.pattern, 'u');
    } catch {
      problems.push({ path, message: 'is not a valid regular expression' });
    }
  });
  return problems;
}

/** The most fields a form may have (config/schema.json, preEngagement.fields maxItems). */
export const MAX_FIELDS = 30;

function friendly(problem: ConfigProblem, config: DeploymentConfig): ConfigProblem {
  const { path, message } = problem;
  const last = path.split('/').pop() ?? '';
  if (path === '/preEngagement/fields' && /more than \d+ items/.test(message)) {
    const count = config.preEngagement.fields.length;
    return { path, message: `has ${count} fields; a form can have at most ${MAX_FIELDS}. Remove ${count - MAX_FIELDS === 1 ? 'one' : count - MAX_FIELDS}.` };
  }
  if (/^\/businessHours\/weekly\/\w+\/\d+\/\d$/.test(path) && /must match pattern/.test(message)) {
    return { path, message: 'must be times like 09:00-17:30 (24-hour clock; 24:00 may close the day)' };
  }
  if (/^\/businessHours\/closedDates\/\d+$/.test(path) && /must match pattern/.test(message)) return { path, message: 'must be a date like 2026-12-25' };
  if (/fewer than 1 characters/.test(message)) return { path, message: 'must not be empty' };
  if (last === 'name' && /must match pattern/.test(message)) {
    return { path, message: 'must start with a letter and use only letters, digits and _ (at most 64)' };
  }
  if (/Color$/.test(last) && /must match pattern/.test(message)) return { path, message: 'must be a colour like #0b57d0' };
  if (last === 'locale' && /must match pattern/.test(message)) return { path, message: 'must be a language tag such as en, de or pt-BR' };
  if ((last === 'widgetOrigin' || /^allowedDomains/.test(path.split('/')[1] ?? '')) && /must match pattern/.test(message)) {
    return { path, message: 'must be an origin such as https://www.example.com (no path)' };
  }
  if (last === 'tokenUrl' && /must match pattern/.test(message)) return { path, message: 'must be a URL such as https://chat.example.com/api (no trailing /)' };
  return problem;
}

/** Human name of a JSON pointer, for the problem list: "/preEngagement/fields/2/label" -> "Field 3 (Email): label". */
export function describePointer(path: string, config: DeploymentConfig): string {
  const parts = path.split('/').slice(1);
  const base = config.locale ?? 'en';
  if (path === '/preEngagement/fields') return 'The pre-chat form';
  if (parts[0] === 'businessHours') {
    if (parts[1] === 'weekly' && parts[2] !== undefined) return `Business hours on ${WEEKDAYS.find((d) => d.value === parts[2])?.label ?? parts[2]}${parts[3] !== undefined ? ` (opening ${Number(parts[3]) + 1})` : ''}`;
    if (parts[1] === 'closedDates') return `Closed day${parts[2] !== undefined ? ` ${Number(parts[2]) + 1}` : 's'}`;
    if (parts[1] === 'timezone') return 'Business hours time zone';
  }
  if (parts[0] === 'preEngagement' && parts[1] === 'fields' && parts[2] !== undefined) {
    const index = Number(parts[2]);
    const field = config.preEngagement.fields[index];
    const rest = settingName(parts.slice(3), base);
    const label = ownValue(field?.label, base, base);
    return `Field ${index + 1}${label ? ` (${label})` : ''}${rest ? `: ${rest}` : ''}`;
  }
  return parts.join(' › ') || 'The config';
}

const LOCALIZED_SETTINGS = new Set(['label', 'placeholder', 'description', 'errorText', 'title', 'submitLabel']);

/** "options 2 label es" -> "option 3 label (es)": counted from 1, a language other than the default named. */
function settingName(parts: readonly string[], base: string): string {
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part === 'options' && next !== undefined && /^\d+$/.test(next)) {
      words.push(`option ${Number(next) + 1}`);
      i++;
    } else if (LOCALIZED_SETTINGS.has(part) && next !== undefined) {
      words.push(next === base ? part : `${part} (${next})`);
      i++;
    } else words.push(part);
  }
  return words.join(' ');
}

/** The control that shows `path`, or its nearest ancestor that has one. */
export function nearestPointer(path: string, known: ReadonlySet<string>): string | undefined {
  const parts = path.split('/');
  while (parts.length > 1) {
    const candidate = parts.join('/');
    if (known.has(candidate)) return candidate;
    parts.pop();
  }
  return undefined;
}

// ---------- the launcher's colour ----------

/** WCAG relative luminance of a #rgb / #rrggbb colour (null for anything else). */
function luminance(hex: string): number | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) return null;
  const digits = match[1]!.length === 3 ? [...match[1]!].map((d) => d + d).join('') : match[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours (1 to 21), null if either is not a hex colour. */
export function contrastRatio(a: string, b: string): number | null {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === null || lb === null) return null;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** WCAG 1.4.11: a graphic that identifies a control needs 3:1 against what is next to it. */
export const LAUNCHER_MIN_CONTRAST = 3;

/**
 * The chat button is drawn in the main colour with a WHITE icon (loader/src/loader.ts), as is;
 * unlike the widget's own buttons nothing darkens it. A warning (not an error: the config is
 * valid) when that icon would be hard to see; null when it is fine or the colour is not valid.
 */
export function launcherContrastWarning(color: string | undefined): string | null {
  const ratio = contrastRatio(color ?? '#0b57d0', '#ffffff');
  if (ratio === null || ratio >= LAUNCHER_MIN_CONTRAST) return null;
  return `The chat button's white icon is hard to see on ${color}: contrast ${(Math.floor(ratio * 10) / 10).toFixed(1)}:1, at least ${LAUNCHER_MIN_CONTRAST}:1 is needed. Choose a darker colour.`;
}

// ---------- business hours ----------

export const WEEKDAYS: ReadonlyArray<{ value: Weekday; label: string }> = [
  { value: 'mon', label: 'Monday' },
  { value: 'tue', label: 'Tuesday' },
  { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' },
  { value: 'fri', label: 'Friday' },
  { value: 'sat', label: 'Saturday' },
  { value: 'sun', label: 'Sunday' },
];

/** Business hours to start from when a marketer turns them on: weekdays 09:00-17:00 in `timezone`. */
export function defaultBusinessHours(timezone: string): BusinessHoursConfig {
  const day = (): Array<[string, string]> => [['09:00', '17:00']];
  return { timezone, weekly: { mon: day(), tue: day(), wed: day(), thu: day(), fri: day() } };
}

/** A day's openings as typed: "09:00-12:00, 13:00-17:30"; empty = closed. "9:00" is read as "09:00". */
export function parseDayHours(text: string): Array<[string, string]> {
  const time = (t: string) => (/^\d:\d\d$/.test(t) ? `0${t}` : t);
  return text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [open = '', close = ''] = part.split(/\s*[-–—]\s*|\s+to\s+/);
      return [time(open.trim()), time(close.trim())];
    });
}

export function formatDayHours(intervals: ReadonlyArray<readonly [string, string]> | undefined): string {
  return (intervals ?? []).map(([open, close]) => `${open}-${close}`).join(', ');
}

/** Closed days, one per line (or separated by commas); duplicates kept once. */
export function parseDates(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean))];
}
