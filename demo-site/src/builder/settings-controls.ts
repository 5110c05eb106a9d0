// The form-level settings: static controls bound to the working copy (texts per language, theme,
// token source, business hours, notifications, language).
import type { TextsConfig } from '../../../config/types.ts';
import { FIELD_TYPES, LOCALES, WEEKDAYS, defaultBusinessHours, formatDayHours, launcherContrastWarning, parseDates, parseDayHours, newField, setOptional, type FieldType } from './model.ts';
import { $, baseLocale, config, editLocale, el, setEditLocale } from './state.ts';
import { changed, previewNow, say } from './check-preview.ts';
import { renderFields } from './fields-editor.ts';
import { bindLocalized, onShowTexts, showTexts } from './localized-controls.ts';
import { refreshSurveyControls } from './survey-controls.ts';
import { renderTeaserRules } from './teaser-controls.ts';

// ---------- form-level settings (static controls) ----------

function bindText(id: string, get: () => string | undefined, set: (value: string) => void): void {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(id);
  input.value = get() ?? '';
  input.addEventListener('input', () => {
    set(input.value);
    changed();
  });
}

/** A widget text (config `texts`): the default language's in `texts`, another's in `textsByLocale`. */
function bindWidgetText(id: string, key: 'title' | 'composerPlaceholder'): void {
  const input = $<HTMLInputElement>(id);
  const own = (): TextsConfig | undefined => (editLocale === baseLocale() ? config.texts : config.textsByLocale?.[editLocale]);
  onShowTexts(() => {
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

export function refreshStaticControls(): void {
  const set = (id: string, value: string | undefined) => {
    ($(id) as HTMLInputElement).value = value ?? '';
  };
  showTexts();
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
  $<HTMLInputElement>('composer-emoji').checked = config.composer?.emoji !== false;
  $<HTMLInputElement>('unread-in-title').checked = config.launcher?.unreadInTitle === true;
  refreshSurveyControls();
  renderTeaserRules();
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
  if (!tags.has(editLocale)) setEditLocale(baseLocale());
  editLocaleSelect.value = editLocale;
}
editLocaleSelect.addEventListener('change', () => {
  setEditLocale(editLocaleSelect.value);
  showTexts();
  renderFields();
  previewNow();
});

/** Sets (or with '' removes: automatic) the widget's fixed language; texts being written in the old default follow it. */
function setDeploymentLocale(locale: string): void {
  const followed = editLocale === baseLocale();
  if (locale) config.locale = locale;
  else delete config.locale;
  if (followed) setEditLocale(baseLocale());
  syncEditLocales();
  showTexts();
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

// On unless turned off: only `false` is written, so an exported config stays short.
$<HTMLInputElement>('composer-emoji').addEventListener('change', (event) => {
  if ((event.target as HTMLInputElement).checked) delete config.composer;
  else config.composer = { emoji: false };
  changed();
});

$<HTMLInputElement>('unread-in-title').addEventListener('change', (event) => {
  setOptional(launcher(), 'unreadInTitle', (event.target as HTMLInputElement).checked ? true : undefined);
  if (Object.keys(launcher()).length === 0) delete config.launcher;
  changed();
});

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

