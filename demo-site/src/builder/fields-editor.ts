// The pre-engagement form's fields: one editable card per field, and the settings that name a field.
import type { LocalizedText } from '../../../config/types.ts';
import { FIELD_TYPES, changeFieldType, formatOptions, hasOptions, optionsFrom, moveItem, parseOptions, removeField, renameField, setOptional, type FieldSetting, type FieldType, type PreEngagementField } from './model.ts';
import { config, links, $, el, baseLocale, editLocale, showLocalized, edited, shown, fieldsList } from './state.ts';
import { changed, say } from './check-preview.ts';

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
    changeFieldType(field, type.value as FieldType);
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

  if (field.type === 'consent') {
    fieldset.append(
      el(
        'div',
        { className: 'grid-2' },
        control(index, 'policyUrl', 'Policy link (http or https)', textInput(field.policyUrl ?? '', (v) => setOptional(field, 'policyUrl', v.trim() === '' ? undefined : v.trim()), { type: 'url', spellcheck: false }), 'The page the consent text refers to.'),
        control(index, 'version', 'Text version', textInput(field.version ?? '', (v) => setOptional(field, 'version', v.trim() === '' ? undefined : v.trim()), { spellcheck: false }), 'Recorded with each acceptance; change it when the text changes.'),
        control(index, 'linkText', 'Link text', localizedInput(() => field.linkText, (v) => setOptional(field, 'linkText', v)), 'Default: “Privacy policy” in the visitor’s language.'),
      ),
    );
  } else if (field.type !== 'hidden' && field.type !== 'checkbox' && !hasOptions(field.type)) {
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

export function renderFields(): void {
  const fields = config.preEngagement.fields;
  fieldsList.replaceChildren(...fields.map((f, i) => renderField(f, i, fields.length)));
  if (fields.length === 0) fieldsList.append(el('li', { className: 'hint', textContent: 'No fields: the chat starts without questions.' }));
  syncNameFieldOptions();
}

