// The marketers' form builder: edits a working copy of flexchat.config.json,
// validates it against config/schema.json on every change (config/validate.ts),
// previews every valid change in the real widget on this page (launcher options
// through FlexChat('boot'), everything else through FlexChat('preview')), and
// exports the file and the snippet.
import '../styles.css';
import '../agent/agent.css';
import './builder.css';
import { localize, ownValue, setLocalized } from '../../../config/localized.ts';
import type { DeploymentConfig, LocalizedText, TextsConfig } from '../../../config/types.ts';
import { embed, snippet } from '../embed.ts';
import {
  FIELD_TYPES,
  LOCALES,
  WEEKDAYS,
  clone,
  defaultBusinessHours,
  formatDayHours,
  launcherContrastWarning,
  parseDates,
  parseDayHours,
  describePointer,
  exportConfig,
  formatOptions,
  hasOptions,
  optionsFrom,
  linksOf,
  moveItem,
  nearestPointer,
  newField,
  parseOptions,
  previewProblems,
  previewSettingsOf,
  removeField,
  renameField,
  setOptional,
  validate,
  type FieldSetting,
  type FieldType,
  type PreEngagementField,
} from './model.ts';

type ChatWindow = Window & { FlexChat?: (command: string, ...args: unknown[]) => void };
const flexChat = (command: string, ...args: unknown[]) => (window as ChatWindow).FlexChat?.(command, ...args);

const DRAFT_KEY = 'flexchat-demo:builder-draft';
const deployed = clone(__FLEXCHAT_DEPLOYMENT__);

function loadDraft(): DeploymentConfig {
  try {
    const draft = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as DeploymentConfig | null;
    if (draft && Array.isArray(draft.preEngagement?.fields)) return draft;
  } catch {
    // a broken draft: start from the deployed config
  }
  return clone(deployed);
}

let config = loadDraft();
/** Which field the name and first-message settings mean (by field, not key: see model.ts). */
let links = linksOf(config.preEngagement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
/** Creates an element with properties (className, id, value, …) and children. */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  node.append(...children);
  return node;
};

/** The deployment's default language: texts written in it stay plain strings. */
const baseLocale = () => config.locale ?? 'en';
/** The language whose texts the marketer is writing (and the preview shows). */
let editLocale = baseLocale();

/** Shows `text` in the language being edited; the default language's text is the placeholder. */
function showLocalized(input: HTMLInputElement | HTMLTextAreaElement, text: LocalizedText | undefined): void {
  input.value = ownValue(text, editLocale, baseLocale());
  input.placeholder = editLocale === baseLocale() ? '' : (localize(text, baseLocale(), baseLocale()) ?? '');
}
/** `text` with the value typed for the language being edited. */
const edited = (text: LocalizedText | undefined, value: string) => setLocalized(text, editLocale, value, baseLocale());
/** A label in the language being edited, for the builder's own headings and choices. */
const shown = (text: LocalizedText | undefined) => localize(text, editLocale, baseLocale()) ?? '';

const editor = $<HTMLFormElement>('editor');
const fieldsList = $<HTMLOListElement>('fields');

// ---------- form-level settings (static controls) ----------

function bindText(id: string, get: () => string | undefined, set: (value: string) => void): void {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(id);
  input.value = get() ?? '';
  input.addEventListener('input', () => {
    set(input.value);
    changed();
  });
}

const localizedControls: Array<() => void> = [];

/** A static control for a visitor-facing text, kept per language. */
function bindLocalized(id: string, get: () => LocalizedText | undefined, set: (value: LocalizedText | undefined) => void): void {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(id);
  localizedControls.push(() => showLocalized(input, get()));
  input.addEventListener('input', () => {
    set(edited(get(), input.value));
    changed();
  });
}

/** A widget text (config `texts`): the default language's in `texts`, another's in `textsByLocale`. */
function bindWidgetText(id: string, key: 'title' | 'composerPlaceholder'): void {
  const input = $<HTMLInputElement>(id);
  const own = (): TextsConfig | undefined => (editLocale === baseLocale() ? config.texts : config.textsByLocale?.[editLocale]);
  localizedControls.push(() => {
    input.value = own()?.[key] ?? '';
    input.placeholder = editLocale === baseLocale() ? '' : (config.texts?.[key] ?? '');
  });
  input.addEventListener('input', () => {
    if (editLocale === baseLocale()) setOptional(texts(), key, input.value);
    else {
      const all = (config.textsByLocale ??= {});
      const mine = (all[editLocale] ??= {});
      setOptional(mine, key, input.value);
      if (Object.keys(mine).length === 0) delete all[editLocale];
      if (Object.keys(all).length === 0) delete config.textsByLocale;
    }
    changed();
  });
}

function refreshStaticControls(): void {
  const set = (id: string, value: string | undefined) => {
    ($(id) as HTMLInputElement).value = value ?? '';
  };
  for (const refresh of localizedControls) refresh();
  set('primary-color', config.theme?.primaryColor);
  set('widget-origin', config.widgetOrigin);
  set('token-url', config.tokenUrl);
  set('deployment-key', config.tokenSource?.type === 'hosted' ? config.tokenSource.deploymentKey : '');
  set('hosted-region', config.tokenSource?.type === 'hosted' ? config.tokenSource.region : '');
  set('allowed-domains', config.allowedDomains.join('\n'));
  const color = config.theme?.primaryColor ?? '#0b57d0';
  ($('primary-color-picker') as HTMLInputElement).value = /^#[0-9a-f]{6}$/i.test(color) ? color : '#0b57d0';
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) radio.checked = radio.value === (config.theme?.mode ?? 'light');
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=position]')) radio.checked = radio.value === (config.launcher?.position ?? 'right');
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=offline-mode]')) radio.checked = radio.value === (config.offline?.mode ?? 'leaveMessage');
  showTokenSource();
  refreshBusinessHours();
  $<HTMLInputElement>('notify-sound').checked = config.notifications?.sound === true;
  $<HTMLInputElement>('notify-browser').checked = config.notifications?.browser === true;
  showContrastWarning();
  const locale = config.locale ?? '';
  const known = locale === '' || LOCALES.some((l) => l.value === locale);
  ($('locale') as HTMLSelectElement).value = known ? locale : '';
  set('locale-custom', known ? '' : locale);
  syncEditLocales();
}

const editLocaleSelect = $<HTMLSelectElement>('edit-locale');
/** The languages to write texts in: the widget's catalogues, the default language and any the config has texts for. */
function syncEditLocales(): void {
  const tags = new Set([baseLocale(), ...LOCALES.map((l) => l.value), ...Object.keys(config.textsByLocale ?? {})]);
  const name = (tag: string) => LOCALES.find((l) => l.value === tag)?.label ?? tag;
  editLocaleSelect.replaceChildren(
    ...[...tags].map((tag) => el('option', { value: tag, textContent: `${name(tag)} (${tag})${tag === baseLocale() ? ' · default' : ''}` })),
  );
  if (!tags.has(editLocale)) editLocale = baseLocale();
  editLocaleSelect.value = editLocale;
}
editLocaleSelect.addEventListener('change', () => {
  editLocale = editLocaleSelect.value;
  for (const refresh of localizedControls) refresh();
  renderFields();
  clearTimeout(previewTimer);
  updatePreview();
});

/** Sets (or with '' removes: automatic) the widget's fixed language; texts being written in the old default follow it. */
function setDeploymentLocale(locale: string): void {
  const followed = editLocale === baseLocale();
  if (locale) config.locale = locale;
  else delete config.locale;
  if (followed) editLocale = baseLocale();
  syncEditLocales();
  for (const refresh of localizedControls) refresh();
  renderFields();
  changed();
}

const theme = () => (config.theme ??= {});
const launcher = () => (config.launcher ??= {});
const texts = () => (config.texts ??= {});

bindLocalized('pe-title', () => config.preEngagement.title, (v) => setOptional(config.preEngagement, 'title', v));
bindLocalized('pe-submit', () => config.preEngagement.submitLabel, (v) => setOptional(config.preEngagement, 'submitLabel', v));
bindLocalized('pe-description', () => config.preEngagement.description, (v) => setOptional(config.preEngagement, 'description', v));
/** The chat button draws a white icon on the main colour as is: say when that is hard to see. */
function showContrastWarning(): void {
  $('primary-color-warning').textContent = launcherContrastWarning(config.theme?.primaryColor) ?? '';
}
bindText('primary-color', () => config.theme?.primaryColor, (v) => {
  setOptional(theme(), 'primaryColor', v.trim());
  if (/^#[0-9a-f]{6}$/i.test(v.trim())) ($('primary-color-picker') as HTMLInputElement).value = v.trim();
  showContrastWarning();
});
$<HTMLInputElement>('primary-color-picker').addEventListener('input', (event) => {
  const value = (event.target as HTMLInputElement).value;
  theme().primaryColor = value;
  $<HTMLInputElement>('primary-color').value = value;
  showContrastWarning();
  changed();
});
bindLocalized('launcher-label', () => config.launcher?.label, (v) => setOptional(launcher(), 'label', v));
bindWidgetText('text-title', 'title');
bindWidgetText('text-placeholder', 'composerPlaceholder');
bindText('widget-origin', () => config.widgetOrigin, (v) => (config.widgetOrigin = v.trim()));
bindText('token-url', () => config.tokenUrl, (v) => (config.tokenUrl = v.trim()));
bindText('allowed-domains', () => config.allowedDomains.join('\n'), (v) => {
  config.allowedDomains = v.split('\n').map((d) => d.trim()).filter(Boolean);
});
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) {
  radio.addEventListener('change', () => {
    theme().mode = radio.value as 'light' | 'dark' | 'auto';
    changed();
  });
}
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=position]')) {
  radio.addEventListener('change', () => {
    launcher().position = radio.value as 'left' | 'right';
    changed();
  });
}

/** Token service (tokenUrl) or Twilio's hosted init (deployment key, region): the controls of the one chosen. */
function showTokenSource(): void {
  const hosted = config.tokenSource?.type === 'hosted';
  $('hosted-controls').hidden = !hosted;
  $('token-url-control').hidden = hosted;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=token-source]')) radio.checked = radio.value === (hosted ? 'hosted' : 'tokenService');
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=offline-mode]')) {
    if (radio.value === 'leaveMessage') radio.disabled = hosted;
  }
}
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=token-source]')) {
  radio.addEventListener('change', () => {
    if (radio.value === 'hosted') {
      config.tokenSource = { type: 'hosted', deploymentKey: $<HTMLInputElement>('deployment-key').value.trim() };
      const region = $<HTMLInputElement>('hosted-region').value.trim();
      if (region) config.tokenSource.region = region;
      // Leaving a message needs the token service.
      if (config.offline?.mode === 'leaveMessage' || config.businessHours) (config.offline ??= {}).mode = 'closedMessage';
    } else {
      delete config.tokenSource;
    }
    refreshStaticControls();
    changed();
  });
}
bindText('deployment-key', () => (config.tokenSource?.type === 'hosted' ? config.tokenSource.deploymentKey : ''), (v) => {
  if (config.tokenSource?.type === 'hosted') config.tokenSource.deploymentKey = v.trim();
});
bindText('hosted-region', () => (config.tokenSource?.type === 'hosted' ? config.tokenSource.region : ''), (v) => {
  if (config.tokenSource?.type !== 'hosted') return;
  if (v.trim()) config.tokenSource.region = v.trim();
  else delete config.tokenSource.region;
});

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=offline-mode]')) {
  radio.addEventListener('change', () => {
    (config.offline ??= {}).mode = radio.value as 'leaveMessage' | 'closedMessage';
    changed();
  });
}

// ---------- business hours and notifications ----------

const hoursEnabled = $<HTMLInputElement>('bh-enabled');
const hoursDetails = $('bh-details');
const dayInputs = WEEKDAYS.map(({ value, label }) => {
  const input = el('input', { id: `bh-${value}`, spellcheck: false, placeholder: 'closed' });
  input.dataset.pointer = `/businessHours/weekly/${value}`;
  input.addEventListener('input', () => {
    const hours = config.businessHours;
    if (!hours) return;
    const intervals = parseDayHours(input.value);
    if (intervals.length) hours.weekly[value] = intervals;
    else delete hours.weekly[value];
    changed();
  });
  $('bh-weekly').append(el('div', { className: 'control' }, el('label', { htmlFor: input.id, textContent: label }), input));
  return { day: value, input };
});

function refreshBusinessHours(): void {
  const hours = config.businessHours;
  hoursEnabled.checked = hours !== undefined;
  hoursDetails.hidden = hours === undefined;
  $<HTMLInputElement>('bh-timezone').value = hours?.timezone ?? '';
  for (const { day, input } of dayInputs) input.value = formatDayHours(hours?.weekly[day]);
  $<HTMLTextAreaElement>('bh-closed-dates').value = (hours?.closedDates ?? []).join('\n');
}

hoursEnabled.addEventListener('change', () => {
  if (hoursEnabled.checked) config.businessHours ??= defaultBusinessHours(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  else delete config.businessHours;
  refreshBusinessHours();
  changed();
});
$<HTMLInputElement>('bh-timezone').addEventListener('input', (event) => {
  if (config.businessHours) config.businessHours.timezone = (event.target as HTMLInputElement).value.trim();
  changed();
});
$<HTMLTextAreaElement>('bh-closed-dates').addEventListener('input', (event) => {
  if (!config.businessHours) return;
  setOptional(config.businessHours, 'closedDates', parseDates((event.target as HTMLTextAreaElement).value).length ? parseDates((event.target as HTMLTextAreaElement).value) : undefined);
  changed();
});

for (const [id, key] of [['notify-sound', 'sound'], ['notify-browser', 'browser']] as const) {
  $<HTMLInputElement>(id).addEventListener('change', (event) => {
    const notifications = (config.notifications ??= {});
    setOptional(notifications, key, (event.target as HTMLInputElement).checked ? true : undefined);
    if (Object.keys(notifications).length === 0) delete config.notifications;
    changed();
  });
}

const localeSelect = $<HTMLSelectElement>('locale');
localeSelect.append(
  el('option', { value: '', textContent: "Automatic: each visitor's browser language" }),
  ...LOCALES.map((l) => el('option', { value: l.value, textContent: `${l.label} (${l.value})` })),
);
localeSelect.addEventListener('change', () => {
  $<HTMLInputElement>('locale-custom').value = '';
  setDeploymentLocale(localeSelect.value);
});
$<HTMLInputElement>('locale-custom').addEventListener('input', (event) => {
  const value = (event.target as HTMLInputElement).value.trim();
  setDeploymentLocale(value || localeSelect.value);
});

const newFieldType = $<HTMLSelectElement>('new-field-type');
newFieldType.append(...FIELD_TYPES.map((t) => el('option', { value: t.value, textContent: t.label })));
$('add-field').addEventListener('click', () => {
  config.preEngagement.fields.push(newField(config.preEngagement.fields, newFieldType.value as FieldType));
  renderFields();
  changed();
  const index = config.preEngagement.fields.length - 1;
  $<HTMLInputElement>(`f${index}-label`).focus();
  say(`Field ${index + 1} added.`);
});

// ---------- fields ----------

function control(
  index: number,
  prop: string,
  labelText: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  input.id = `f${index}-${prop}`;
  input.dataset.pointer = `/preEngagement/fields/${index}/${prop}`;
  const wrapper = el('div', { className: 'control' }, el('label', { htmlFor: input.id, textContent: labelText }), input);
  if (hint) {
    const hintEl = el('p', { className: 'hint', id: `${input.id}-hint`, textContent: hint });
    input.setAttribute('aria-describedby', hintEl.id);
    wrapper.append(hintEl);
  }
  return wrapper;
}

function textInput(value: string | undefined, onInput: (value: string) => void, attrs: Record<string, unknown> = {}): HTMLInputElement {
  const input = el('input', { value: value ?? '', ...attrs });
  input.addEventListener('input', () => {
    onInput(input.value);
    changed();
  });
  return input;
}

function fieldTitle(field: PreEngagementField, index: number): string {
  return `Field ${index + 1}: ${shown(field.label) || '(no label)'}`;
}

/** An input for one of a field's visitor-facing texts, in the language being edited. */
function localizedInput(get: () => LocalizedText | undefined, set: (value: LocalizedText | undefined) => void, after?: () => void): HTMLInputElement {
  const input = el('input');
  showLocalized(input, get());
  input.addEventListener('input', () => {
    set(edited(get(), input.value));
    after?.();
    changed();
  });
  return input;
}

/** "Move up: Field 2: Email", "Remove Field 2: Email": buttons say which field they act on. */
function nameAction(button: HTMLButtonElement, field: PreEngagementField, index: number): void {
  const action = button.dataset.action ?? '';
  button.setAttribute('aria-label', action === 'Remove' ? `Remove ${fieldTitle(field, index)}` : `${action}: ${fieldTitle(field, index)}`);
}

function renderField(field: PreEngagementField, index: number, count: number): HTMLLIElement {
  const fieldset = el('fieldset', { className: 'field-card', tabIndex: -1 });
  fieldset.dataset.pointer = `/preEngagement/fields/${index}`;
  fieldset.id = `f${index}`;
  const legend = el('legend', { textContent: fieldTitle(field, index) });
  fieldset.append(legend);

  const type = el('select');
  type.append(...FIELD_TYPES.map((t) => el('option', { value: t.value, textContent: t.label, selected: t.value === field.type })));
  type.addEventListener('change', () => {
    field.type = type.value as FieldType;
    if (hasOptions(field.type) && !field.options?.length) field.options = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
    if (!hasOptions(field.type)) delete field.options;
    renderFields();
    changed();
    $(`f${index}-type`).focus();
  });

  const label = localizedInput(() => field.label, (v) => (field.label = v ?? ''), () => {
    legend.textContent = fieldTitle(field, index);
    for (const button of fieldset.querySelectorAll<HTMLButtonElement>('button[data-action]')) nameAction(button, field, index);
    syncNameFieldOptions();
  });
  const name = textInput(field.name, (v) => {
    renameField(config.preEngagement, links, index, v.trim());
    syncNameFieldOptions();
  }, { spellcheck: false });

  const required = el('input', { type: 'checkbox', checked: field.required === true, id: `f${index}-required` });
  required.dataset.pointer = `/preEngagement/fields/${index}/required`;
  required.addEventListener('change', () => {
    setOptional(field, 'required', required.checked ? true : undefined);
    changed();
  });

  const grid = el(
    'div',
    { className: 'grid-2' },
    control(index, 'label', 'Label', label),
    control(index, 'type', 'Type', type),
    control(index, 'name', 'Key', name, 'Sent to Flex as pre-engagement data. Letters, digits and _.'),
    el('div', { className: 'control control--check' }, el('label', { className: 'inline-check', htmlFor: required.id }, required, ' Required')),
  );
  fieldset.append(grid);

  if (field.type !== 'hidden' && field.type !== 'checkbox' && !hasOptions(field.type)) {
    fieldset.append(
      el(
        'div',
        { className: 'grid-2' },
        control(index, 'placeholder', 'Placeholder', localizedInput(() => field.placeholder, (v) => setOptional(field, 'placeholder', v))),
        control(index, 'pattern', 'Pattern (regular expression)', textInput(field.pattern, (v) => setOptional(field, 'pattern', v), { spellcheck: false }), 'e.g. ^[0-9]{5}$ for a 5-digit order number'),
        control(index, 'minLength', 'Minimum length', textInput(field.minLength?.toString(), (v) => setOptional(field, 'minLength', v.trim() === '' ? undefined : Number(v)), { type: 'number', min: '0', inputMode: 'numeric' })),
        control(index, 'maxLength', 'Maximum length', textInput(field.maxLength?.toString(), (v) => setOptional(field, 'maxLength', v.trim() === '' ? undefined : Number(v)), { type: 'number', min: '1', inputMode: 'numeric' })),
      ),
    );
  }
  if (hasOptions(field.type)) {
    const options = el('textarea', { rows: 3, value: formatOptions(field.options, editLocale, baseLocale()), spellcheck: false });
    options.addEventListener('input', () => {
      const parsed = optionsFrom(field.options, parseOptions(options.value), editLocale, baseLocale());
      setOptional(field, 'options', parsed.length ? parsed : undefined);
      changed();
    });
    fieldset.append(control(index, 'options', 'Options', options, 'One per line: value | label (or just the label).'));
  }
  if (field.type === 'hidden') {
    fieldset.append(control(index, 'defaultValue', 'Value', textInput(typeof field.defaultValue === 'string' ? field.defaultValue : '', (v) => setOptional(field, 'defaultValue', v)), 'Sent with every chat; pages can set it with FlexChat(\'identify\', …).'));
  } else {
    fieldset.append(
      el(
        'div',
        { className: 'grid-2' },
        control(index, 'description', 'Help text', localizedInput(() => field.description, (v) => setOptional(field, 'description', v))),
        control(index, 'errorText', 'Error message', localizedInput(() => field.errorText, (v) => setOptional(field, 'errorText', v)), 'Shown when the answer is missing or invalid.'),
      ),
    );
  }

  const move = (to: number, what: string) => {
    const button = el('button', { type: 'button', className: 'button button--secondary button--small', textContent: what });
    button.disabled = to < 0 || to >= count;
    button.addEventListener('click', () => {
      config.preEngagement.fields = moveItem(config.preEngagement.fields, index, to);
      renderFields();
      changed();
      const again = document.querySelector<HTMLButtonElement>(`#f${to} button[data-action="${what}"]`);
      (again && !again.disabled ? again : $(`f${to}`)).focus();
      say(`${shown(field.label) || 'Field'} is now field ${to + 1} of ${count}.`);
    });
    button.dataset.action = what;
    nameAction(button, field, index);
    return button;
  };
  const remove = el('button', { type: 'button', className: 'button button--danger button--small', textContent: 'Remove' });
  remove.dataset.action = 'Remove';
  nameAction(remove, field, index);
  remove.addEventListener('click', () => {
    removeField(config.preEngagement, links, index);
    renderFields();
    changed();
    const next = config.preEngagement.fields.length ? $(`f${Math.min(index, config.preEngagement.fields.length - 1)}`) : $('add-field');
    next.focus();
    say(`${shown(field.label) || 'Field'} removed.`);
  });
  fieldset.append(el('div', { className: 'button-row' }, move(index - 1, 'Move up'), move(index + 1, 'Move down'), remove));
  return el('li', {}, fieldset);
}

/** The choices of a setting that names a field: one option per field (by position), plus `extra` ones. */
function syncFieldChoice(id: string, setting: FieldSetting, extra: Array<{ value: string; text: string }>, current: string): void {
  const select = $<HTMLSelectElement>(id);
  const fields = config.preEngagement.fields;
  const options = extra.map((o) => el('option', { value: o.value, textContent: o.text }));
  fields.forEach((f, i) => options.push(el('option', { value: `#${i}`, textContent: `${shown(f.label) || f.name} (${f.name})` })));
  const linked = links[setting];
  const at = linked ? fields.indexOf(linked) : -1;
  const named = config.preEngagement[setting];
  if (at < 0 && typeof named === 'string') options.push(el('option', { value: `?${named}`, textContent: `${named} (no such field)` }));
  select.replaceChildren(...options);
  select.value = at >= 0 ? `#${at}` : typeof named === 'string' ? `?${named}` : current;
}

function syncNameFieldOptions(): void {
  syncFieldChoice('pe-name-field', 'friendlyNameField', [{ value: '', text: '(none)' }], '');
  const first = config.preEngagement.firstMessageField;
  syncFieldChoice(
    'pe-first-message',
    'firstMessageField',
    [
      { value: '', text: 'Automatic: the first long-text field' },
      { value: 'none', text: 'None: keep the answers out of the chat' },
    ],
    first === false ? 'none' : '',
  );
}

/** A choice of `syncFieldChoice` made: link the setting to that field (or set it as the extra option says). */
function chooseField(setting: FieldSetting, value: string, onExtra: (value: string) => void): void {
  const field = value.startsWith('#') ? config.preEngagement.fields[Number(value.slice(1))] : undefined;
  if (field) {
    links[setting] = field;
    config.preEngagement[setting] = field.name;
  } else if (!value.startsWith('?')) {
    delete links[setting];
    onExtra(value);
  }
  changed();
}
$<HTMLSelectElement>('pe-name-field').addEventListener('change', (event) => {
  chooseField('friendlyNameField', (event.target as HTMLSelectElement).value, () => delete config.preEngagement.friendlyNameField);
});
$<HTMLSelectElement>('pe-first-message').addEventListener('change', (event) => {
  chooseField('firstMessageField', (event.target as HTMLSelectElement).value, (value) => {
    if (value === 'none') config.preEngagement.firstMessageField = false;
    else delete config.preEngagement.firstMessageField;
  });
});

function renderFields(): void {
  const fields = config.preEngagement.fields;
  fieldsList.replaceChildren(...fields.map((f, i) => renderField(f, i, fields.length)));
  if (fields.length === 0) fieldsList.append(el('li', { className: 'hint', textContent: 'No fields: the chat starts without questions.' }));
  syncNameFieldOptions();
}

// ---------- validation, preview, export ----------

function showProblems(): number {
  const problems = validate(config);
  for (const node of editor.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of editor.querySelectorAll('.field-error')) node.remove();
  const known = new Set([...editor.querySelectorAll<HTMLElement>('[data-pointer]')].map((n) => n.dataset.pointer as string));
  const box = $('problems');
  if (problems.length === 0) {
    box.replaceChildren(el('p', { className: 'ok', textContent: 'No problems: the config is valid and ready to export.' }));
    return 0;
  }
  const list = el('ul', { className: 'problems' });
  for (const problem of problems) {
    const pointer = nearestPointer(problem.path, known);
    const target = pointer ? editor.querySelector<HTMLElement>(`[data-pointer="${CSS.escape(pointer)}"]`) : null;
    const text = `${describePointer(problem.path, config)} ${problem.message}`;
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      const message = el('p', { className: 'field-error', id: `${target.id || 'x'}-error-${Math.random().toString(36).slice(2, 7)}`, textContent: problem.message });
      const describedBy = (target.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.includes('-error-'));
      target.setAttribute('aria-describedby', [...describedBy, message.id].join(' '));
      (target.tagName === 'FIELDSET' ? target.querySelector('legend')! : target).after(message);
      const link = el('a', { href: `#${target.id}`, textContent: text });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        target.focus();
      });
      list.append(el('li', {}, link));
    } else list.append(el('li', { textContent: text }));
  }
  box.replaceChildren(el('p', { className: 'not-ok', textContent: `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} to fix before export:` }), list);
  return problems.length;
}

function updateExport(valid: boolean): void {
  $<HTMLTextAreaElement>('config-json').value = exportConfig(config);
  $<HTMLTextAreaElement>('snippet').value = snippet(config.widgetOrigin);
  for (const id of ['download', 'copy-config', 'copy-snippet']) $<HTMLButtonElement>(id).disabled = !valid;
}

const previewClosed = $<HTMLInputElement>('preview-closed');
previewClosed.addEventListener('change', () => {
  clearTimeout(previewTimer);
  updatePreview();
  if (previewClosed.checked) flexChat('open');
});

function previewStatus(text: string): void {
  $('preview-status').textContent = text;
}

/** Launcher options through the loader, the rest through the widget's preview command. */
function updatePreview(): void {
  const options: Record<string, string> = {};
  if (/^#([0-9a-f]{3}){1,2}$/i.test(config.theme?.primaryColor ?? '')) options.color = config.theme!.primaryColor!;
  if (config.launcher?.position) options.position = config.launcher.position;
  const label = shown(config.launcher?.label);
  if (label && label.length <= 60) options.label = label;
  const title = config.textsByLocale?.[editLocale]?.title ?? config.texts?.title;
  if (title) options.title = title;
  flexChat('boot', options);
  reserveChatSpace();
  if (previewProblems(validate(config)).length > 0) {
    previewStatus('The preview shows the last valid version until the problems are fixed.');
    return;
  }
  previewStatus('');
  flexChat('preview', previewSettingsOf(config, { closedHours: previewClosed.checked, locale: editLocale }));
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;

function changed(): void {
  const count = showProblems();
  updateExport(count === 0);
  localStorage.setItem(DRAFT_KEY, JSON.stringify(config));
  clearTimeout(previewTimer);
  previewTimer = setTimeout(updatePreview, 200);
}

function say(text: string): void {
  $('export-status').textContent = text;
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (e.g. an automated browser): select the text for Ctrl+C instead.
    const area = what === 'Snippet' ? $<HTMLTextAreaElement>('snippet') : $<HTMLTextAreaElement>('config-json');
    area.focus();
    area.select();
    say(`${what} selected: press Ctrl+C (⌘C on a Mac) to copy it.`);
    return;
  }
  say(`${what} copied to the clipboard.`);
}

$('copy-config').addEventListener('click', () => void copy(exportConfig(config), 'Config'));
$('copy-snippet').addEventListener('click', () => void copy(snippet(config.widgetOrigin), 'Snippet'));
$('download').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([exportConfig(config)], { type: 'application/json' }));
  const link = el('a', { href: url, download: 'flexchat.config.json' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  say('flexchat.config.json downloaded.');
});
$('reset').addEventListener('click', () => {
  if (exportConfig(config) !== exportConfig(deployed) && !window.confirm('Start over from the deployed config? The changes made here will be lost.')) {
    say('Nothing changed: your edits are kept.');
    return;
  }
  config = clone(deployed);
  links = linksOf(config.preEngagement);
  refreshStaticControls();
  renderFields();
  changed();
  say('Back to the deployed config.');
});
$<HTMLInputElement>('import').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    const parsed = JSON.parse(await file.text()) as DeploymentConfig;
    if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.preEngagement?.fields)) throw new Error('no preEngagement.fields');
    parsed.allowedDomains = Array.isArray(parsed.allowedDomains) ? parsed.allowedDomains : [];
    config = parsed;
    links = linksOf(config.preEngagement);
    refreshStaticControls();
    renderFields();
    changed();
    say(`${file.name} loaded.`);
  } catch (error) {
    say(`${file.name} is not a flexchat config: ${(error as Error).message}`);
  }
});
$('open-preview').addEventListener('click', () => flexChat('open'));

// The real widget's panel is fixed at the chat button's corner, over the page. While it is
// open the page keeps that strip free (builder.css), so it never covers the builder's own
// Check and Export column.
let chatOpen = false;
function reserveChatSpace(): void {
  const side = config.launcher?.position === 'left' ? 'left' : 'right';
  if (chatOpen) document.body.dataset.chatOpen = side;
  else delete document.body.dataset.chatOpen;
  const offset = Number.isInteger(config.launcher?.offsetX) ? (config.launcher!.offsetX as number) : 20;
  document.body.style.setProperty('--chat-space', `${offset + 400 + 16}px`);
}

refreshStaticControls();
renderFields();
changed();
// The real widget, embedded exactly as on any site (this origin is an allowed domain).
embed(document, deployed.widgetOrigin);
flexChat('on', 'open', () => {
  chatOpen = true;
  reserveChatSpace();
});
flexChat('on', 'close', () => {
  chatOpen = false;
  reserveChatSpace();
});
flexChat('on', 'error', (error: { code: string }) => {
  if (error.code === 'preview_invalid') previewStatus('The widget could not show this change; it keeps the last one it could.');
});
updatePreview();
